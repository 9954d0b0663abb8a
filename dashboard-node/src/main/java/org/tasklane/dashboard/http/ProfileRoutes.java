package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.ProfileView;
import org.tasklane.dashboard.profile.ProfileStore;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The profile page's data (read only):
 *
 * <pre>
 * api/v1/profile.json                       the last 5 minutes, every worker and group, user frames
 *   ?minutes=N                              the last N minutes (1 to 15)
 *   ?from=MS&amp;to=MS                          a window in epoch milliseconds (within the last 15 minutes)
 *   &amp;group=G &amp;worker=W                      one task group, one worker
 *   &amp;all=true                               whole stacks, Tasklane's plumbing included
 * </pre>
 *
 * The answer is a tree of at most {@link ProfileStore#MAX_ANSWER_NODES} frames ({@code folded} says
 * whether the rarest were folded into "(other)"), with the groups and workers the window has.
 */
public final class ProfileRoutes {
  static final int DEFAULT_MINUTES = 5;
  static final int MAX_MINUTES = (int) (ProfileStore.KEEP_MILLIS / 60_000);

  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final Duration askTimeout;
  private final ObjectMapper mapper;

  public ProfileRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, Duration askTimeout, ObjectMapper mapper) {
    this.system = system;
    this.dashboard = dashboard;
    this.askTimeout = askTimeout;
    this.mapper = mapper;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () -> path("profile.json", () ->
        respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> parameterMap(this::profile)))));
  }

  private Route profile(Map<String, String> params) {
    ProfileStore.Query query;
    try {
      query = query(params, System.currentTimeMillis());
    } catch (IllegalArgumentException e) {
      return complete(StatusCodes.BAD_REQUEST, new DashboardView.ErrorMessage(e.getMessage()),
          Jackson.marshaller(mapper));
    }
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, ProfileView.ProfileReply>ask(
            dashboard, replyTo -> new ProfileView.GetProfile(query, replyTo), askTimeout, system.scheduler())
        .<Route>thenApply(r -> complete(StatusCodes.OK, r.answer(), Jackson.marshaller(mapper)))
        .exceptionally(e -> complete(StatusCodes.SERVICE_UNAVAILABLE, new DashboardView.ErrorMessage(
            "the dashboard did not answer in " + askTimeout.toMillis() + " ms; try again"), Jackson.marshaller(mapper)));
    return onSuccess(result, r -> r);
  }

  /** The query the parameters ask for; a bad one is one line naming what is wrong. */
  static ProfileStore.Query query(Map<String, String> params, long nowMillis) {
    for (String name : params.keySet()) {
      if (!java.util.Set.of("group", "worker", "minutes", "from", "to", "all").contains(name)) {
        throw new IllegalArgumentException("unknown parameter '" + shorten(name)
            + "'; profile.json takes group, worker, minutes, from, to and all");
      }
    }
    String all = params.getOrDefault("all", "false");
    if (!all.equals("true") && !all.equals("false")) {
      throw new IllegalArgumentException("all must be true or false, got '" + shorten(all) + "'");
    }
    long from;
    long to;
    if (params.containsKey("from") || params.containsKey("to")) {
      if (params.containsKey("minutes")) {
        throw new IllegalArgumentException("give either minutes or from and to, not both");
      }
      from = number(params, "from", nowMillis - DEFAULT_MINUTES * 60_000L);
      to = number(params, "to", nowMillis);
      if (from > to) {
        throw new IllegalArgumentException("from (" + from + ") is after to (" + to + ")");
      }
    } else {
      long minutes = number(params, "minutes", DEFAULT_MINUTES);
      if (minutes < 1 || minutes > MAX_MINUTES) {
        throw new IllegalArgumentException("minutes must be between 1 and " + MAX_MINUTES + ", got " + minutes);
      }
      from = nowMillis - minutes * 60_000;
      to = nowMillis;
    }
    return new ProfileStore.Query(params.getOrDefault("group", ""), params.getOrDefault("worker", ""), from, to,
        all.equals("true"));
  }

  private static long number(Map<String, String> params, String name, long otherwise) {
    String v = params.get(name);
    if (v == null) {
      return otherwise;
    }
    try {
      return Long.parseLong(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number, got '" + shorten(v) + "'");
    }
  }

  private static String shorten(String s) {
    String one = s.replaceAll("\\p{Cntrl}", "?");
    return one.length() > 40 ? one.substring(0, 40) + "…" : one;
  }
}
