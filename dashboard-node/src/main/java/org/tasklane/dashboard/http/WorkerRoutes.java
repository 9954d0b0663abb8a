package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.WorkerDetails;
import org.tasklane.dashboard.WorkerHistory;
import org.tasklane.dashboard.WorkerPageSettings;
import org.tasklane.dashboard.WorkerPageView;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.WorkerProtocol;

/**
 * A worker up close (read only; NAME URL-encoded):
 *
 * <pre>
 * workers/NAME                              the page (web/worker.html)
 * api/v1/workers/NAME/history.json          its figures over the last five minutes (the dashboard's own)
 * api/v1/workers/NAME/tasks.json            what runs on its threads now (asked of the worker)
 * api/v1/workers/NAME/logs.json?lines=N&after=SEQ
 *                                           its last N log lines (1..1000) after line SEQ (asked of the worker;
 *                                           403 if worker-logs is off)
 * api/v1/workers/NAME/threads.json          a dump of its task threads (asked of the worker; 429 within its rate limit)
 * </pre>
 *
 * The dashboard asks the worker's actor directly ({@link WorkerDetails}); an unknown worker is 404,
 * one that has left the cluster 404 too, one that does not answer in {@code ask-timeout} 504, each
 * with one line {@code {"error": ...}}.
 */
public final class WorkerRoutes {
  /** Log lines one request may ask for, at most (the worker keeps at most its own bound). */
  static final int MAX_LOG_LINES = 1000;
  /** Characters of a worker name, at most. */
  static final int MAX_NAME_CHARS = 256;

  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final Duration askTimeout;
  private final ObjectMapper mapper;
  private final WorkerPageSettings settings;

  public WorkerRoutes(ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, Duration askTimeout,
      ObjectMapper mapper, WorkerPageSettings settings) {
    this.system = system;
    this.dashboard = dashboard;
    this.askTimeout = askTimeout;
    this.mapper = mapper;
    this.settings = settings;
  }

  public Route routes() {
    return respondWithHeader(CacheControl.create(CacheDirectives.NO_STORE), () -> concat(
        pathPrefix("workers", () -> path(PathMatchers.segment(), name -> checked(name,
            () -> StaticRoutes.page("worker")))),
        pathPrefix("api", () -> pathPrefix("v1", () -> pathPrefix("workers", () ->
            pathPrefix(PathMatchers.segment(), name -> checked(name, () -> concat(
                path("history.json", () -> history(name)),
                path("tasks.json", () -> running(name)),
                path("logs.json", () -> parameterOptional("lines", lines ->
                    parameterOptional("after", after -> logs(name, lines, after)))),
                path("threads.json", () -> dump(name))))))))));
  }

  /** One line saying what is wrong with a name, or null if it may be one. */
  static String checkName(String name) {
    if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
      return "a worker name has 1 to " + MAX_NAME_CHARS + " characters, got " + name.length();
    }
    for (int i = 0; i < name.length(); i++) {
      if (Character.isISOControl(name.charAt(i))) {
        return "a worker name has no control characters";
      }
    }
    return null;
  }

  private Route checked(String name, java.util.function.Supplier<Route> inner) {
    String problem = checkName(name);
    return problem == null ? inner.get() : error(StatusCodes.BAD_REQUEST, problem);
  }

  private Route history(String name) {
    return withWorker(name, false, found -> {
      WorkerHistory.Series s = found.history();
      return completeJson(new WorkerPageView.History(s.name(), s.host(), s.address(), found.worker() != null,
          s.lastMillis(), s.points()));
    });
  }

  private Route running(String name) {
    return askWorker(name, WorkerProtocol.GetRunningTasks::new,
        (r, worker) -> completeJson(WorkerPageView.Running.of(r)));
  }

  private Route logs(String name, Optional<String> linesParam, Optional<String> afterParam) {
    if (!settings.logs()) {
      return error(StatusCodes.FORBIDDEN, "worker logs are off on this dashboard (tasklane.dashboard.worker-logs = off, "
          + "--no-worker-logs)");
    }
    int lines;
    try {
      lines = linesParam.map(String::trim).map(Integer::parseInt).orElse(MAX_LOG_LINES);
    } catch (NumberFormatException e) {
      lines = -1;
    }
    if (lines < 1 || lines > MAX_LOG_LINES) {
      return error(StatusCodes.BAD_REQUEST, "lines must be a whole number from 1 to " + MAX_LOG_LINES + ", got '"
          + linesParam.orElse("") + "'");
    }
    long after;
    try {
      after = afterParam.map(String::trim).map(Long::parseLong).orElse(0L);
    } catch (NumberFormatException e) {
      after = -1;
    }
    if (after < 0) {
      return error(StatusCodes.BAD_REQUEST, "after must be a line's seq (a whole number, 0 or more), got '"
          + afterParam.orElse("") + "'");
    }
    int n = lines;
    long a = after;
    return askWorker(name,
        (ActorRef<WorkerProtocol.LogsReply> replyTo) -> new WorkerProtocol.GetLogs(a, n, replyTo),
        (reply, worker) -> reply instanceof WorkerProtocol.Logs l
            ? completeJson(WorkerPageView.Logs.of(l))
            : error(StatusCodes.FORBIDDEN, ((WorkerProtocol.Refused) reply).reason()));
  }

  private Route dump(String name) {
    return askWorker(name, WorkerProtocol.GetThreadDump::new, (reply, worker) -> {
      if (reply instanceof WorkerProtocol.ThreadDump d) {
        return completeJson(WorkerPageView.Dump.of(d));
      }
      WorkerProtocol.Refused refused = (WorkerProtocol.Refused) reply;
      long seconds = Math.max(1, (refused.retryAfterMillis() + 999) / 1000);
      return respondWithHeader(RawHeader.create("Retry-After", String.valueOf(seconds)),
          () -> error(StatusCodes.TOO_MANY_REQUESTS, refused.reason()));
    });
  }

  /** Finds the worker, then asks its actor; the answer (or a one-line error) as JSON. */
  private <R> Route askWorker(String name, Function<ActorRef<R>, WorkerProtocol.Command> ask,
      BiFunction<R, String, Route> answer) {
    return withWorker(name, true, found -> {
      CompletionStage<Route> reply = AskPattern.<WorkerProtocol.Command, R>ask(
              found.worker(), ask::apply, askTimeout, system.scheduler())
          .thenApply(r -> answer.apply(r, name))
          .exceptionally(e -> error(StatusCodes.GATEWAY_TIMEOUT,
              "worker " + name + " did not answer in " + askTimeout.toMillis() + " ms; try again"));
      return onSuccess(reply, r -> r);
    });
  }

  /** Asks the dashboard for the worker; 404 if it knows none of that name (or, {@code present}, if it has left). */
  private Route withWorker(String name, boolean present, Function<WorkerDetails.FoundWorker, Route> inner) {
    CompletionStage<Route> found = AskPattern.<DashboardProtocol.Command, WorkerDetails.FoundWorker>ask(
            dashboard, replyTo -> new WorkerDetails.FindWorker(name, replyTo), askTimeout, system.scheduler())
        .thenApply(f -> {
          if (f.history() == null) {
            return error(StatusCodes.NOT_FOUND, "no worker named " + name + " (or none heard from in the last "
                + WorkerDetails.KEEP_MILLIS / 60_000 + " minutes)");
          }
          if (present && f.worker() == null) {
            return error(StatusCodes.NOT_FOUND, "worker " + name + " is not in the cluster now (last heard from "
                + Math.max(0, (System.currentTimeMillis() - f.history().lastMillis()) / 1000) + " s ago)");
          }
          return inner.apply(f);
        })
        .exceptionally(e -> error(StatusCodes.SERVICE_UNAVAILABLE,
            "the dashboard did not answer in " + askTimeout.toMillis() + " ms; try again"));
    return onSuccess(found, r -> r);
  }

  private Route completeJson(Object body) {
    return complete(StatusCodes.OK, body, Jackson.marshaller(mapper));
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new DashboardView.ErrorMessage(message), Jackson.marshaller(mapper));
  }
}
