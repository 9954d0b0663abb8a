package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.Dashboard;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * What the errors page and the task panel ask (read only):
 *
 * <pre>
 * api/v1/errors.json                  the erred tasks seen, grouped by kind, the most recent first
 * api/v1/errors.json?graph=G&amp;key=K    one task's error with its group (404 if the dashboard has no record of it)
 * api/v1/explain.json?graph=G&amp;key=K   the scheduler's explanation of one task, asked through the cluster
 *                                     (404 if the scheduler does not hold it, 503 without a scheduler)
 * </pre>
 */
public final class ErrorRoutes {
  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final Duration askTimeout;
  private final ObjectMapper mapper;

  public ErrorRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, DashboardSettings settings,
      ObjectMapper mapper) {
    this.system = system;
    this.dashboard = dashboard;
    this.askTimeout = settings.askTimeout();
    this.mapper = mapper;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () ->
        respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> concat(
            path("errors.json", () -> parameterOptional("graph", graph -> parameterOptional("key", key ->
                graph.isPresent() || key.isPresent() ? taskError(graph, key) : errors()))),
            path("explain.json", () -> parameterOptional("graph", graph -> parameterOptional("key", key ->
                explain(graph, key))))))));
  }

  private Route errors() {
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, Dashboard.ErrorsReply>ask(
            dashboard, Dashboard.GetErrors::new, askTimeout, system.scheduler())
        .<Route>thenApply(r -> complete(StatusCodes.OK, r.errors(), Jackson.marshaller(mapper)))
        .exceptionally(e -> busy());
    return onSuccess(result, r -> r);
  }

  private Route taskError(Optional<String> graph, Optional<String> key) {
    if (graph.isEmpty() || key.isEmpty()) {
      return error(StatusCodes.BAD_REQUEST, "ask for one task with both graph and key, or for every error with neither");
    }
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, Dashboard.TaskErrorReply>ask(
            dashboard, replyTo -> new Dashboard.GetTaskError(graph.get(), key.get(), replyTo), askTimeout,
            system.scheduler())
        .<Route>thenApply(r -> r.error() == null
            ? error(StatusCodes.NOT_FOUND, "this dashboard has no error of task " + quoted(key.get()) + " of graph "
                + quoted(graph.get()) + " (it did not err, or its record is older than the last 20,000 tasks)")
            : complete(StatusCodes.OK, r.error(), Jackson.marshaller(mapper)))
        .exceptionally(e -> busy());
    return onSuccess(result, r -> r);
  }

  private Route explain(Optional<String> graph, Optional<String> key) {
    if (graph.isEmpty() || key.isEmpty()) {
      return error(StatusCodes.BAD_REQUEST, "explain.json needs graph and key, e.g. explain.json?graph=ID&key=KEY");
    }
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, SchedulerProtocol.ExplainReply>ask(
            dashboard, replyTo -> new Dashboard.ExplainTask(graph.get(), key.get(), replyTo), askTimeout,
            system.scheduler())
        .<Route>thenApply(r -> r.explanation() != null
            ? complete(StatusCodes.OK, r.explanation(), Jackson.marshaller(mapper))
            : error(Dashboard.NO_SCHEDULER.equals(r.problem()) ? StatusCodes.SERVICE_UNAVAILABLE : StatusCodes.NOT_FOUND,
                r.problem()))
        .exceptionally(e -> error(StatusCodes.SERVICE_UNAVAILABLE,
            "the scheduler did not answer in " + askTimeout.toMillis() + " ms; try again"));
    return onSuccess(result, r -> r);
  }

  /** A user's key in a message: quoted, one line, at most 80 characters. */
  private static String quoted(String s) {
    String one = s.replaceAll("\\p{Cntrl}", "?");
    return "'" + (one.length() > 80 ? one.substring(0, 80) + "…" : one) + "'";
  }

  private Route busy() {
    return error(StatusCodes.SERVICE_UNAVAILABLE, "the dashboard did not answer in " + askTimeout.toMillis()
        + " ms; try again");
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new DashboardView.ErrorMessage(message), Jackson.marshaller(mapper));
  }
}
