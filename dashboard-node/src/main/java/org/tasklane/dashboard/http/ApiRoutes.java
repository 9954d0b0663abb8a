package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
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
import org.tasklane.dashboard.DashboardState;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The dashboard's data as JSON, for scripts (read only):
 *
 * <pre>
 * api/v1/status.json               the snapshot (as the SSE {@code snapshot} event)
 * api/v1/groups.json               [Group], in submission order
 * api/v1/workers.json              [Worker]
 * api/v1/hosts.json                [{host, workers, threads, executing, queued, cpu, memory, heldBytes, members: [Worker]}]
 * api/v1/resources.json            [ResourcePoint], the resource plot's last five minutes, oldest first
 * api/v1/tasks.json?limit=N        [Task], the last N (1..20000, default 20000), oldest first
 * </pre>
 */
public final class ApiRoutes {
  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final Duration askTimeout;
  private final ObjectMapper mapper;

  public ApiRoutes(
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
            path("status.json", () -> answer(Dashboard.GetSnapshot::new, Dashboard.SnapshotReply::snapshot)),
            path("groups.json", () -> answer(Dashboard.GetGroups::new, Dashboard.GroupsReply::groups)),
            path("workers.json", () -> answer(Dashboard.GetWorkers::new, Dashboard.WorkersReply::workers)),
            path("hosts.json", () -> answer(Dashboard.GetWorkers::new,
                r -> org.tasklane.dashboard.HostGroups.of(new java.util.ArrayList<>(r.workers())))),
            path("resources.json", () -> answer(Dashboard.GetResourceHistory::new,
                Dashboard.ResourceHistoryReply::points)),
            path("tasks.json", () -> parameterOptional("limit", this::tasks))))));
  }

  private Route tasks(Optional<String> limitParam) {
    int limit;
    try {
      limit = limitParam.map(String::trim).map(Integer::parseInt).orElse(DashboardState.RECENT_TASKS);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > DashboardState.RECENT_TASKS) {
      return error(StatusCodes.BAD_REQUEST, "limit must be a whole number from 1 to " + DashboardState.RECENT_TASKS
          + ", got '" + limitParam.orElse("") + "'");
    }
    int n = limit;
    return answer(replyTo -> new Dashboard.GetTasks(n, replyTo), Dashboard.TasksReply::tasks);
  }

  /** Asks the dashboard actor and answers with the part of its reply, as JSON; 503 if it does not answer. */
  private <R> Route answer(
      Function<ActorRef<R>, DashboardProtocol.Command> ask, Function<R, Object> body) {
    CompletionStage<Route> result = AskPattern.<DashboardProtocol.Command, R>ask(
            dashboard, ask::apply, askTimeout, system.scheduler())
        .<Route>thenApply(reply -> complete(StatusCodes.OK, body.apply(reply), Jackson.marshaller(mapper)))
        .exceptionally(e -> error(StatusCodes.SERVICE_UNAVAILABLE,
            "the dashboard did not answer in " + askTimeout.toMillis() + " ms; try again"));
    return onSuccess(result, r -> r);
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new DashboardView.ErrorMessage(message), Jackson.marshaller(mapper));
  }
}
