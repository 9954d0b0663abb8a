package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.HostGroups;
import org.tasklane.dashboard.history.ReplayCursor;
import org.tasklane.dashboard.history.RunBounds;
import org.tasklane.dashboard.history.RunLookup;
import org.tasklane.dashboard.history.RunRecording;
import org.tasklane.dashboard.history.TaskDetail;

/**
 * A recorded run on the live pages: the same routes as the live dashboard's, under {@code runs/ID/},
 * so that the same page code, with the same relative URLs, draws a run of the history:
 *
 * <pre>
 * status, tasks, workers           the pages (they see from their URL that they replay)
 * assets/NAME                      web/NAME
 * events?t=MILLIS&amp;speed=S           the live SSE stream's events, from the state at t, paced at S (1, 10, 100)
 * api/v1/status.json?t=MILLIS      the snapshot at t (default: the run's end), as the live one
 * api/v1/groups.json, workers.json, hosts.json, resources.json ?t=MILLIS    its parts
 * api/v1/tasks.json?from=MICROS&amp;to=MICROS&amp;width=PIXELS   the tasks of a window ({@link TaskDetail})
 * </pre>
 *
 * A time outside the run is taken to its start or end. A bad parameter is a 400 with one line
 * ({@code {"error": ...}}); an unknown run a 404. Reading a run's file runs on the blocking
 * dispatcher, at most {@link #MAX_CONCURRENT_READS} at once (past that: 503, try again).
 */
public final class ReplayRoutes {
  /** Reads of run files for the JSON routes at once (each seeks into one run; SSE streams are bounded apart). */
  static final int MAX_CONCURRENT_READS = 4;
  /** What a run id may be: a plain file name (the history checks it again). */
  static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}");

  private final RunLookup runs;
  private final ObjectMapper mapper;
  private final Executor blocking;
  private final Semaphore reads = new Semaphore(MAX_CONCURRENT_READS);
  private final ReplayEvents events;

  /** With the dashboard's settings (heartbeat, client stall timeout) from the system's config. */
  public ReplayRoutes(ActorSystem<?> system, RunLookup runs, ObjectMapper mapper) {
    this(system, runs, DashboardSettings.fromConfig(system.settings().config()), mapper);
  }

  public ReplayRoutes(ActorSystem<?> system, RunLookup runs, DashboardSettings settings, ObjectMapper mapper) {
    this.runs = runs;
    this.mapper = mapper;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    this.events = new ReplayEvents(runs, settings, mapper, blocking);
  }

  /** The routes of run {@code runId}, matched after {@code runs/ID/} (the history's routes match that far). */
  public Route routes(String runId) {
    if (!RUN_ID.matcher(runId).matches()) {
      return error(StatusCodes.NOT_FOUND, "no run '" + runId + "' in the history");
    }
    return concat(
        path("status", () -> page(runId, "status")),
        path("tasks", () -> page(runId, "tasks")),
        path("workers", () -> page(runId, "workers")),
        pathPrefix("assets", StaticRoutes::assets),
        path("events", () -> parameterOptional("t", t -> parameterOptional("speed", speed ->
            events.route(runId, t, speed)))),
        pathPrefix("api", () -> pathPrefix("v1", () ->
            respondWithHeader(CacheControl.create(CacheDirectives.NO_CACHE), () -> concat(
                path("status.json", () -> atTime(runId, c -> c.snapshot(0))),
                path("groups.json", () -> atTime(runId, c -> c.state().groups())),
                path("workers.json", () -> atTime(runId, c -> c.state().workers(c.time()))),
                path("hosts.json", () -> atTime(runId,
                    c -> HostGroups.of(new ArrayList<>(c.state().workers(c.time()))))),
                path("resources.json", () -> atTime(runId, c -> c.state().resourceHistory())),
                path("tasks.json", () -> tasks(runId)))))));
  }

  /** The page, if the run exists. */
  private Route page(String runId, String name) {
    return read(runId, r -> Boolean.TRUE, found -> StaticRoutes.page(name));
  }

  /** The state at {@code ?t=} (default: the run's end) as {@code body} gives it, as JSON. */
  private Route atTime(String runId, Function<ReplayCursor, Object> body) {
    return parameterOptional("t", t -> {
      Optional<Long> time;
      try {
        time = ReplayParams.time("t", t);
      } catch (IllegalArgumentException e) {
        return error(StatusCodes.BAD_REQUEST, e.getMessage());
      }
      return read(runId, r -> {
        RunBounds bounds = RunBounds.of(r);
        return body.apply(ReplayCursor.at(r, bounds.clamp(time.orElse(bounds.end())), bounds.end()));
      }, this::json);
    });
  }

  private Route tasks(String runId) {
    return parameterOptional("from", from -> parameterOptional("to", to -> parameterOptional("width", width -> {
      Optional<Long> f;
      Optional<Long> t;
      int w;
      try {
        f = ReplayParams.time("from", from);
        t = ReplayParams.time("to", to);
        w = ReplayParams.width(width);
        if (f.isPresent() && t.isPresent() && t.get() < f.get()) {
          throw new IllegalArgumentException("to must not be before from, got from=" + f.get() + " to=" + t.get());
        }
      } catch (IllegalArgumentException e) {
        return error(StatusCodes.BAD_REQUEST, e.getMessage());
      }
      return read(runId, r -> {
        RunBounds bounds = RunBounds.of(r);
        long lo = f.orElse(bounds.start() * 1000);
        long hi = t.orElse(Math.max(lo, bounds.end() * 1000));
        return TaskDetail.of(r, lo, Math.max(lo, hi), w);
      }, this::json);
    })));
  }

  /**
   * Opens the run on the blocking dispatcher, computes {@code work} from it, closes it, and answers
   * with {@code answer} of the result: 404 if there is no such run, 503 if too many reads run, 500
   * (one line) if the file cannot be read.
   */
  private <T> Route read(String runId, Function<RunRecording, T> work, Function<T, Route> answer) {
    if (!reads.tryAcquire()) {
      return error(StatusCodes.SERVICE_UNAVAILABLE, "the history is busy reading other runs; try again");
    }
    CompletableFuture<Optional<T>> result;
    try {
      result = CompletableFuture.supplyAsync(() -> {
        Optional<RunRecording> opened = runs.open(runId);
        if (opened.isEmpty()) {
          return Optional.<T>empty();
        }
        try (RunRecording r = opened.get()) {
          return Optional.of(work.apply(r));
        }
      }, blocking);
    } catch (RuntimeException e) {
      reads.release();
      throw e;
    }
    result.whenComplete((x, e) -> reads.release());
    return onSuccess(result.<Route>handle((found, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return error(StatusCodes.INTERNAL_SERVER_ERROR, "could not read run '" + runId + "': " + cause.getMessage());
      }
      return found.map(answer).orElseGet(() -> error(StatusCodes.NOT_FOUND, "no run '" + runId + "' in the history"));
    }), route -> route);
  }

  private Route json(Object body) {
    return complete(StatusCodes.OK, body, Jackson.marshaller(mapper));
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new DashboardView.ErrorMessage(message), Jackson.marshaller(mapper));
  }
}
