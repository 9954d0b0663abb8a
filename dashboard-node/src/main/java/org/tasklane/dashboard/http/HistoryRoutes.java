package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.history.HistoryStore;
import org.tasklane.dashboard.history.RunIds;
import org.tasklane.dashboard.history.RunInfo;

/**
 * The run history's routes (docs/dashboard.md, "Run history"):
 *
 * <pre>
 * runs                     the runs page (web/runs.html)
 * api/v1/runs.json         [RunInfo], newest first ([] without history)
 * runs/ID/run.json         one run's RunInfo; 404 {"error"} for an id that is malformed or names no run
 * runs/ID/report.html, runs/ID/trace.json    the run's report and trace ({@link RunExportRoutes})
 * runs/ID/status, tasks, events, api/v1/...   the run replayed on the live pages ({@link ReplayRoutes})
 * </pre>
 *
 * Reading the folder is file I/O: it runs on Pekko's blocking dispatcher, never on the server's.
 * The replay, report and trace routes go under {@code runs/ID/} beside {@code run.json}.
 */
public final class HistoryRoutes {
  private final Optional<HistoryStore> store;
  private final ObjectMapper mapper;
  private final Executor blocking;
  private final RunExportRoutes exports;
  private final ReplayRoutes replay;

  public HistoryRoutes(ActorSystem<?> system, Optional<HistoryStore> store, ObjectMapper mapper) {
    this.store = store;
    this.exports = new RunExportRoutes(system, id -> store.flatMap(s -> s.open(id)));
    this.replay = new ReplayRoutes(system, id -> store.flatMap(s -> s.open(id)), mapper);
    this.mapper = mapper;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  public Route routes() {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> concat(
        path("runs", () -> getFromResource("web/runs.html", ContentTypes.TEXT_HTML_UTF8)),
        path(PathMatchers.segment("api").slash("v1").slash("runs.json"), () -> json(this::list)),
        exports.routes(),
        pathPrefix("runs", () -> pathPrefix(PathMatchers.segment(), id -> concat(
            path("run.json", () -> run(id)), replay.routes(id))))));
  }

  private List<RunInfo> list() {
    return store.map(HistoryStore::list).orElse(List.of());
  }

  private Route run(String id) {
    if (!RunIds.valid(id) || store.isEmpty()) {
      return notFound(id);
    }
    return onSuccess(CompletableFuture.supplyAsync(() -> store.get().info(id), blocking),
        info -> info.<Route>map(i -> complete(StatusCodes.OK, i, Jackson.marshaller(mapper))).orElseGet(() -> notFound(id)));
  }

  /** 404 with one line naming the id (as JSON text: never HTML). */
  public Route notFound(String id) {
    String shown = id.length() > 80 ? id.substring(0, 80) + "..." : id;
    return complete(StatusCodes.NOT_FOUND,
        new DashboardView.ErrorMessage(store.isEmpty() ? "this dashboard keeps no run history"
            : "no run '" + shown + "' in the history"),
        Jackson.marshaller(mapper));
  }

  private Route json(Supplier<Object> body) {
    return onSuccess(CompletableFuture.supplyAsync(body, blocking),
        b -> complete(StatusCodes.OK, b, Jackson.marshaller(mapper)));
  }
}
