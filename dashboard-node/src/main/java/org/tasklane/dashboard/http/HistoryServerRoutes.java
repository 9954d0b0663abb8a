package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.history.HistoryStore;

/**
 * Every route of the history server ({@code tasklane history --dir DIR}): the run history's routes
 * as a dashboard serves them ({@link HistoryRoutes}), with no cluster behind them, in the same
 * {@link RouteEnvelope} (headers, authentication, GET and HEAD only, the prefix):
 *
 * <pre>
 * (root)                       redirect to runs (relative)
 * status, tasks, workers       redirect to runs: there are no live pages here (the runs page links them)
 * assets/NAME                  web/NAME from the jar
 * runs, api/v1/runs.json, runs/ID/...   {@link HistoryRoutes}
 * health                       ok
 * </pre>
 */
public final class HistoryServerRoutes {
  private final List<String> prefix;
  private final RouteEnvelope envelope;
  private final HistoryRoutes history;

  /**
   * @param store a read-only store of the folder served
   * @param prefix the segments every route lies under
   */
  public HistoryServerRoutes(
      ActorSystem<?> system, HistoryStore store, List<String> prefix, AccessControl access, ObjectMapper mapper) {
    this.prefix = List.copyOf(prefix);
    this.envelope = new RouteEnvelope(prefix, access);
    this.history = new HistoryRoutes(system, Optional.of(store), mapper);
  }

  public Route routes() {
    return envelope.wrap(() -> concat(
        pathSingleSlash(() -> toRuns()),
        // "/a/b" (no trailing slash): "runs" would resolve to "/a/runs"
        pathEnd(() -> redirect(
            Uri.create(prefix.isEmpty() ? "/runs" : prefix.get(prefix.size() - 1) + "/runs"), StatusCodes.FOUND)),
        path("status", this::toRuns),
        path("tasks", this::toRuns),
        path("workers", this::toRuns),
        pathPrefix("assets", StaticRoutes::assets),
        history.routes(),
        path("health", () -> complete("ok"))));
  }

  private Route toRuns() {
    return redirect(Uri.create("runs"), StatusCodes.FOUND);
  }
}
