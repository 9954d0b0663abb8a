package org.tasklane.scheduler.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.Optional;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.protocol.api.AccessToken;

/**
 * Opt-in authentication of the client API ({@code tasklane.scheduler.api.auth-file}, the
 * scheduler's {@code --auth-file}): every route, {@code /health} included, answers only a request
 * that carries the token, as {@code Authorization: Bearer TOKEN} or as the password of HTTP Basic
 * auth. Anything else is {@code 401} with {@code WWW-Authenticate: Basic realm="tasklane"} and a
 * one-line JSON {@code {"error": ...}}. Without a token the route is unchanged.
 */
public final class ApiAuthentication {
  private ApiAuthentication() {}

  /** The setting that names the auth file (empty: no authentication). */
  public static final String AUTH_FILE = "tasklane.scheduler.api.auth-file";

  /** {@code inner}, answered only with the token if there is one. */
  public static Route require(Optional<AccessToken> token, Route inner) {
    if (token.isEmpty()) {
      return inner;
    }
    AccessToken t = token.get();
    return optionalHeaderValueByName("Authorization", h -> {
      if (h.isPresent() && t.accepts(h.get())) {
        return inner;
      }
      return complete(unauthorized(h.isPresent()));
    });
  }

  /** 401, the Basic challenge, and why, as one line of JSON. */
  static HttpResponse unauthorized(boolean hadCredentials) {
    return HttpResponse.create()
        .withStatus(StatusCodes.UNAUTHORIZED)
        .addHeader(RawHeader.create("WWW-Authenticate", AccessToken.CHALLENGE))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            hadCredentials ? AccessToken.REJECTED_JSON : AccessToken.MISSING_JSON));
  }
}
