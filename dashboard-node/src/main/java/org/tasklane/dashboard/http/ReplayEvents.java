package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.BackpressureTimeoutException;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.tasklane.dashboard.SseWire;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.history.ReplayCursor;
import org.tasklane.dashboard.history.RunBounds;
import org.tasklane.dashboard.history.RunLookup;
import org.tasklane.dashboard.history.RunRecording;

/**
 * {@code runs/ID/events?t=MILLIS&speed=S}: a recorded run as the live SSE stream (same event names,
 * same data, {@code id:} the event's seq): a {@code snapshot} of the state at t first, then every
 * {@link #TICK} of wall time the changes of the next {@code S}×{@link #TICK} of the run, and when
 * the run's end is reached a {@code status} event ({@code connected: false}, "the replay reached
 * the end of the run"), after which the stream ends. The replay's clock is the wall clock times
 * the speed from the moment the snapshot is ready: a browser that reads slowly skips ahead rather
 * than falling behind.
 *
 * <p>Bounded like the live stream: at most {@link #MAX_STREAMS} replays at once (past that: 503),
 * each reading a bounded stretch of the run at a time ({@link ReplayCursor}), a comment heartbeat
 * when quiet, and a browser whose connection takes no data for {@code client-stall-timeout} is
 * dropped. The run's file is opened when the stream starts and closed when it ends, however it
 * ends.
 */
final class ReplayEvents {
  /** How often a replay sends what changed. */
  static final Duration TICK = Duration.ofMillis(100);
  /** Replays streaming at once, over all browsers. */
  static final int MAX_STREAMS = 32;

  private static final ContentType EVENT_STREAM = MediaTypes.TEXT_EVENT_STREAM.toContentType();
  private static final ByteString HEARTBEAT = ByteString.fromString(":\n\n");
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ReplayEvents.class);

  private final RunLookup runs;
  private final DashboardSettings settings;
  private final ObjectMapper mapper;
  private final Executor blocking;
  private final AtomicInteger streams = new AtomicInteger();

  ReplayEvents(RunLookup runs, DashboardSettings settings, ObjectMapper mapper, Executor blocking) {
    this.runs = runs;
    this.settings = settings;
    this.mapper = mapper;
    this.blocking = blocking;
  }

  /** The streams running now. */
  int streams() {
    return streams.get();
  }

  Route route(String runId, Optional<String> t, Optional<String> speed) {
    Optional<Long> time;
    int s;
    try {
      time = ReplayParams.time("t", t);
      s = ReplayParams.speed(speed);
    } catch (IllegalArgumentException e) {
      return error(StatusCodes.BAD_REQUEST, e.getMessage());
    }
    if (streams.get() >= MAX_STREAMS) {
      return error(StatusCodes.SERVICE_UNAVAILABLE, MAX_STREAMS + " replays are streaming; try again later");
    }
    // 404 before the stream: a stream's own opening happens when the response is sent
    CompletableFuture<Boolean> exists = CompletableFuture.supplyAsync(() -> {
      Optional<RunRecording> r = runs.open(runId);
      r.ifPresent(RunRecording::close);
      return r.isPresent();
    }, blocking);
    return onSuccess(exists.<Route>handle((found, failure) -> {
      if (failure != null) {
        return error(StatusCodes.INTERNAL_SERVER_ERROR, "could not read run '" + runId + "': "
            + (failure.getCause() != null ? failure.getCause().getMessage() : failure.getMessage()));
      }
      if (!found) {
        return error(StatusCodes.NOT_FOUND, "no run '" + runId + "' in the history");
      }
      return complete(HttpResponse.create()
          .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))
          .withEntity(HttpEntities.create(EVENT_STREAM,
              stream(runId, time, s).keepAlive(settings.heartbeat(), () -> HEARTBEAT))));
    }), r -> r);
  }

  /** The replay of one browser; each materialization opens the run anew. */
  Source<ByteString, NotUsed> stream(String runId, Optional<Long> time, int speed) {
    return Source.<ByteString, NotUsed>fromMaterializer((mat, attributes) -> {
      Replay replay = new Replay();
      streams.incrementAndGet();
      return Source.completionStage(CompletableFuture.supplyAsync(() -> replay.open(runId, time), blocking))
          .flatMapConcat(snapshot -> Source.single(snapshot).concat(replay.changes(speed)))
          .backpressureTimeout(settings.clientStallTimeout())
          .mapError(BackpressureTimeoutException.class, e -> new EventRoutes.ClientDropped("a replaying browser took "
              + "no data for " + settings.clientStallTimeout().toSeconds() + " s; dropped it"))
          .watchTermination((notUsed, done) -> {
            done.whenComplete((ok, failure) -> {
              if (failure != null) {
                LOG.info("SSE replay of run {}: {}", runId, failure.getMessage());
              }
              // after any read in progress: the blocking thread may still be in the file
              CompletableFuture.runAsync(replay::close, blocking);
              streams.decrementAndGet();
            });
            return notUsed;
          });
    }).mapMaterializedValue(x -> NotUsed.getInstance());
  }

  /** What one tick sends; {@code last}: the replay reached the end (its status is in {@code events}). */
  private record Step(List<ByteString> events, boolean last) {}

  /** One browser's replay: the open run and its cursor; reads and closing one at a time. */
  private final class Replay {
    private RunRecording recording;
    private ReplayCursor cursor;
    private boolean closed;
    private final AtomicLong nextSeq = new AtomicLong(2);

    /** Opens the run and builds the state at the time asked (or the run's start): the snapshot event. */
    synchronized ByteString open(String runId, Optional<Long> time) {
      if (closed) {
        throw new IllegalStateException("the browser left");
      }
      recording = runs.open(runId).orElseThrow(() -> new IllegalStateException("run '" + runId + "' is gone"));
      RunBounds bounds = RunBounds.of(recording);
      cursor = ReplayCursor.at(recording, bounds.clamp(time.orElse(bounds.start())), bounds.end());
      return encode("snapshot", 1, cursor.snapshot(1));
    }

    /** Every TICK, the events of the run's next speed × TICK; ends after the end's status. */
    Source<ByteString, NotUsed> changes(int speed) {
      long startNanos = System.nanoTime();
      long from = cursor.time();
      return Source.tick(TICK, TICK, Boolean.TRUE)
          .mapAsync(1, x -> CompletableFuture.supplyAsync(
              () -> advance(from + (System.nanoTime() - startNanos) / 1_000_000 * speed), blocking))
          .takeWhile(step -> !step.last(), true)
          .mapConcat(Step::events)
          .mapMaterializedValue(c -> NotUsed.getInstance());
    }

    /** The encoded events up to {@code t}; the last step has the end's status. */
    private synchronized Step advance(long t) {
      if (closed || cursor.finished()) {
        return new Step(List.of(), true);
      }
      List<ReplayCursor.Event> events = cursor.advanceTo(t, nextSeq.get());
      nextSeq.addAndGet(events.size());
      return new Step(events.stream().map(e -> encode(e.name(), e.seq(), e.data())).toList(), cursor.finished());
    }

    synchronized void close() {
      closed = true;
      if (recording != null) {
        recording.close();
        recording = null;
      }
    }
  }

  private ByteString encode(String event, long seq, Object data) {
    try {
      return SseWire.encode(event, seq, mapper.writeValueAsString(data));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write the " + event + " event: " + e.getOriginalMessage(), e);
    }
  }

  private Route error(StatusCode status, String message) {
    return complete(status, new DashboardView.ErrorMessage(message), Jackson.marshaller(mapper));
  }
}
