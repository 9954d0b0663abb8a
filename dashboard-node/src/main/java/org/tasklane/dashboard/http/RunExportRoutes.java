package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.StreamConverters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.dashboard.history.RunIds;
import org.tasklane.dashboard.history.RunRecording;
import org.tasklane.dashboard.report.RunIndex;
import org.tasklane.dashboard.report.RunReport;
import org.tasklane.dashboard.report.TraceExport;

/**
 * A recorded run, downloaded:
 *
 * <pre>
 * runs/ID/report.html   the one-file HTML report (text/html, with the report's own CSP)
 * runs/ID/trace.json    the Chrome trace-event file (application/json, as an attachment)
 * </pre>
 *
 * Both are written as a stream while they are sent. An unknown run is 404 with one line of JSON. A
 * run still being recorded is served as far as it is recorded, and the report and trace say it is
 * partial. Exports hold the run's task records in memory while they are written, so at most
 * {@link #MAX_CONCURRENT_EXPORTS} run at once (another request meanwhile gets 503 with one line), and
 * a run whose records would take more than a quarter of the heap is refused (503, one line saying so).
 */
public final class RunExportRoutes {
  static final int MAX_CONCURRENT_EXPORTS = 2;
  private static final Logger log = LoggerFactory.getLogger(RunExportRoutes.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Opens a recorded run by id; empty if there is no such run. */
  @FunctionalInterface
  public interface RunOpener {
    Optional<RunRecording> open(String runId) throws IOException;
  }

  /** A response whose body never starts (the client left first) frees its export slot after this. */
  static final java.time.Duration UNSTARTED_RELEASE = java.time.Duration.ofSeconds(30);

  private final ActorSystem<?> system;
  private final RunOpener runs;
  private final long heapBudget;
  private final scala.concurrent.ExecutionContextExecutor blocking;
  private final Semaphore exports = new Semaphore(MAX_CONCURRENT_EXPORTS);

  public RunExportRoutes(ActorSystem<?> system, RunOpener runs) {
    this(system, runs, Runtime.getRuntime().maxMemory() / 4);
  }

  /** @param heapBudget the most heap one export may hold (runs needing more are refused) */
  RunExportRoutes(ActorSystem<?> system, RunOpener runs, long heapBudget) {
    this.heapBudget = heapBudget;
    this.system = system;
    this.runs = runs;
    this.blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
  }

  /** One export's hold on a slot, given back once whichever way the export ends. */
  private final class Slot {
    private final java.util.concurrent.atomic.AtomicBoolean held = new java.util.concurrent.atomic.AtomicBoolean(true);
    private volatile boolean started;

    void releaseIfUnstarted() {
      if (!started) {
        release();
      }
    }

    void release() {
      if (held.compareAndSet(true, false)) {
        exports.release();
      }
    }
  }

  public Route routes() {
    return pathPrefix("runs", () -> pathPrefix(segment -> concat(
        path("report.html", () -> export(segment, Kind.REPORT)),
        path("trace.json", () -> export(segment, Kind.TRACE)))));
  }

  private enum Kind { REPORT, TRACE }

  private Route export(String runId, Kind kind) {
    if (!RunIds.valid(runId)) {
      return error(StatusCodes.NOT_FOUND, "no run with that id in the history");
    }
    if (!exports.tryAcquire()) {
      return error(StatusCodes.SERVICE_UNAVAILABLE, "the dashboard is writing " + MAX_CONCURRENT_EXPORTS
          + " reports or traces already; try again in a moment");
    }
    Slot slot = new Slot();
    CompletionStage<Optional<RunIndex>> read = CompletableFuture.supplyAsync(() -> {
      try {
        Optional<RunRecording> opened = runs.open(runId);
        if (opened.isEmpty()) {
          return Optional.<RunIndex>empty();
        }
        try (RunRecording r = opened.get()) {
          long need = r.info().recordedTasks() * RunIndex.HELD_BYTES_PER_RUN;
          if (need > heapBudget) {
            throw new TooLarge("run " + runId + " has " + r.info().recordedTasks() + " task records: exporting it needs "
                + "about " + Math.max(1, need >> 20) + " MiB of heap, more than the " + Math.max(1, heapBudget >> 20)
                + " MiB this dashboard allows an export (a quarter of its heap); give it more memory (-Xmx)");
          }
          return Optional.of(RunIndex.read(r));
        }
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }, blocking);
    return onComplete(read, result -> {
      if (result.isFailure() && unwrap(result.failed().get()) instanceof TooLarge big) {
        slot.release();
        return error(StatusCodes.SERVICE_UNAVAILABLE, big.getMessage());
      }
      if (result.isFailure()) {
        slot.release();
        log.warn("run {}: cannot read it: {}", runId, result.failed().get().toString());
        return error(StatusCodes.INTERNAL_SERVER_ERROR, "run " + runId + " cannot be read: "
            + oneLine(result.failed().get()));
      }
      if (result.get().isEmpty()) {
        slot.release();
        return error(StatusCodes.NOT_FOUND, "no run '" + runId + "' in the history");
      }
      RunIndex run = result.get().get();
      return kind == Kind.REPORT
          ? stream(run, slot, ContentTypes.TEXT_HTML_UTF8,
              List.of(RawHeader.create("Content-Security-Policy", RunReport.CONTENT_SECURITY_POLICY)),
              out -> RunReport.write(run, out))
          : stream(run, slot, ContentTypes.APPLICATION_JSON,
              List.of(RawHeader.create("Content-Disposition",
                  "attachment; filename=\"tasklane-" + runId + ".trace.json\"")),
              out -> new TraceExport(run).write(out));
    });
  }

  @FunctionalInterface
  private interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Writes the body on the blocking dispatcher into the response as it goes; frees the export slot at the end. */
  private Route stream(RunIndex run, Slot slot, ContentType type, List<HttpHeader> headers, Writer writer) {
    system.scheduler().scheduleOnce(UNSTARTED_RELEASE, slot::releaseIfUnstarted, blocking);
    var source = StreamConverters.asOutputStream().mapMaterializedValue(out -> {
      slot.started = true;
      blocking.execute(() -> {
        try (OutputStream o = new java.io.BufferedOutputStream(out, 64 * 1024)) {
          writer.write(o);
        } catch (IOException e) {
          log.debug("run {}: export ended early: {}", run.info().id(), e.toString()); // the client went away
        } catch (RuntimeException e) {
          log.warn("run {}: export failed", run.info().id(), e);
        } finally {
          slot.release();
        }
      });
      return org.apache.pekko.NotUsed.getInstance();
    });
    return complete(HttpResponse.create()
        .withStatus(StatusCodes.OK)
        .addHeaders(headers)
        .withEntity(HttpEntities.createChunked(type, source)));
  }

  /** A run whose records this dashboard's heap cannot hold for an export. */
  private static final class TooLarge extends RuntimeException {
    TooLarge(String message) {
      super(message, null, false, false);
    }
  }

  private static Throwable unwrap(Throwable e) {
    return e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
  }

  private static String oneLine(Throwable e) {
    Throwable cause = unwrap(e);
    if (cause instanceof java.io.UncheckedIOException u) {
      cause = u.getCause();
    }
    String m = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    return m.replaceAll("\\s+", " ");
  }

  private static Route error(StatusCode status, String message) {
    String body;
    try {
      body = JSON.writeValueAsString(java.util.Map.of("error", message));
    } catch (IOException e) {
      body = "{\"error\":\"error\"}";
    }
    return complete(HttpResponse.create().withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, body)));
  }
}
