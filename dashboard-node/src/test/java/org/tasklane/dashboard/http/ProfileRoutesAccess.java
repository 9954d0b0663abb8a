package org.tasklane.dashboard.http;

import java.util.Map;
import org.tasklane.dashboard.profile.ProfileStore;

/** Lets tests in other packages parse profile.json's parameters. */
public final class ProfileRoutesAccess {
  private ProfileRoutesAccess() {}

  public static ProfileStore.Query query(Map<String, String> params, long nowMillis) {
    return ProfileRoutes.query(params, nowMillis);
  }
}
