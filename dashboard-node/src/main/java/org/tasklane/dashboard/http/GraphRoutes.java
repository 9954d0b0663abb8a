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
import org.tasklane.dashboard.DashboardView;
import org.tasklane.protocol.DashboardProtocol;

/**
 * What the graph page asks (read only):
 *
 * <pre>
 * api/v1/graphs.json          the graphs the dashboard holds, oldest first
 * api/v1/graph.json?id=ID     one graph's groups with their counts and the edges between them
 *                             (400 without a good id, 404 if the dashboard does not hold it)
 * </pre>
 */
public final class GraphRoutes {
  /** The longest graph id asked for. */
  static final int MAX_ID_CHARS = 256;

  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final Duration askTimeout;
  private final ObjectMapper mapper;

  public GraphRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, Duration askTimeout, ObjectMapper mapper) {
    this.system = system;
    this.dashboard = dashboard;
    this.askTimeout = askTimeout;
    this.mapper = mapper;
  }

  public Route routes() {
    return pathPrefix("api", () -> pathPrefix("v1", () ->
        respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> concat(
            path("graphs.json", this::graphs),
            path("graph.json", () -> parameterOptional("id", this::graph))))));
  }

  private Route graphs() {
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, DashboardView.GraphList>ask(
            dashboard, Dashboard.GetGraphs::new, askTimeout, system.scheduler())
        .<Route>thenApply(r -> complete(StatusCodes.OK, r, Jackson.marshaller(mapper)))
        .exceptionally(e -> busy());
    return onSuccess(result, r -> r);
  }

  private Route graph(Optional<String> id) {
    String problem = badId(id);
    if (problem != null) {
      return error(StatusCodes.BAD_REQUEST, problem);
    }
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, Dashboard.GraphReply>ask(
            dashboard, replyTo -> new Dashboard.GetGraph(id.get(), replyTo), askTimeout, system.scheduler())
        .<Route>thenApply(r -> r.detail() == null
            ? error(StatusCodes.NOT_FOUND, "this dashboard holds no graph '" + id.get() + "' (it finished long "
                + "ago, or never ran); api/v1/graphs.json lists those it holds")
            : complete(StatusCodes.OK, r.detail(), Jackson.marshaller(mapper)))
        .exceptionally(e -> busy());
    return onSuccess(result, r -> r);
  }

  /** Why an id asked for is no good, or null. */
  static String badId(Optional<String> id) {
    if (id.isEmpty() || id.get().isEmpty()) {
      return "graph.json needs the graph's id, e.g. graph.json?id=ID (api/v1/graphs.json lists them)";
    }
    if (id.get().length() > MAX_ID_CHARS || id.get().chars().anyMatch(Character::isISOControl)) {
      return "a graph id is 1 to " + MAX_ID_CHARS + " characters without control characters";
    }
    return null;
  }

  private Route busy() {
    return error(StatusCodes.SERVICE_UNAVAILABLE, "the dashboard did not answer in " + askTimeout.toMillis()
        + " ms; try again");
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new DashboardView.ErrorMessage(message), Jackson.marshaller(mapper));
  }
}
