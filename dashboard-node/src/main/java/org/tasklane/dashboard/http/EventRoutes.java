package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.event.Logging;
import org.apache.pekko.stream.BackpressureTimeoutException;
import org.apache.pekko.stream.BufferOverflowException;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.tasklane.dashboard.Dashboard;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.dashboard.SseWire;
import org.tasklane.dashboard.UpdateHub;
import org.tasklane.protocol.DashboardProtocol;

/**
 * {@code events}: one SSE stream per browser tab (docs/dashboard.md). Each stream subscribes to the
 * node's {@link UpdateHub} first; once an element of the hub has reached it (so the subscription
 * is live), it asks the {@link Dashboard} for a snapshot, sends it as the first event, then every
 * update after the snapshot's seq, in order, each with {@code id:} its seq, and a comment heartbeat
 * when idle. A {@code Last-Event-ID} of any form gets the same: a fresh snapshot first.
 *
 * <p>The stream is written here rather than through {@code EventStreamMarshalling}: Pekko's
 * {@code ServerSentEvent.heartbeat} is an empty {@code data:} line, and the contract's heartbeat is
 * a comment line ({@code :}), which no event handler sees.
 *
 * <p>Each stream has its own bounded buffer ({@code client-buffer}); a browser that falls that far
 * behind is dropped (its stream fails, the connection closes, EventSource reconnects), so that it
 * never holds up the hub or other browsers. A connection that takes no data for
 * {@code client-stall-timeout} while events wait for it is dropped the same way, and the server
 * gives each connection a small kernel send buffer ({@code socket-send-buffer}, see
 * {@link HttpServer}), so that a browser that stops reading is noticed within seconds, not after
 * megabytes.
 */
public final class EventRoutes {
  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final UpdateHub hub;
  private final DashboardSettings settings;
  private final ObjectMapper mapper;
  private final SseStats stats;

  public EventRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, UpdateHub hub, DashboardSettings settings,
      ObjectMapper mapper, SseStats stats) {
    this.system = system;
    this.dashboard = dashboard;
    this.hub = hub;
    this.settings = settings;
    this.mapper = mapper;
    this.stats = stats;
  }

  private static final ContentType EVENT_STREAM = MediaTypes.TEXT_EVENT_STREAM.toContentType();
  private static final ByteString HEARTBEAT = ByteString.fromString(":\n\n");

  public Route routes() {
    return path("events", () -> complete(HttpResponse.create()
        .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))
        .withEntity(HttpEntities.create(EVENT_STREAM,
            events().keepAlive(settings.heartbeat(), () -> HEARTBEAT)))));
  }

  /**
   * Ends a browser's stream that fell behind (its buffer overflowed) or missed updates (the hub's
   * input dropped some); the connection closes, and EventSource reconnects and starts from a
   * snapshot. No stack trace: the server logs it in one line.
   */
  static final class ClientDropped extends RuntimeException {
    ClientDropped(String message) {
      super(message, null, false, false);
    }
  }

  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(EventRoutes.class);

  /** The stream of one browser; each materialization is a new, independent subscription. */
  Source<ByteString, NotUsed> events() {
    return Source.fromMaterializer((mat, attributes) -> stream())
        .mapMaterializedValue(x -> NotUsed.getInstance());
  }

  private Source<ByteString, NotUsed> stream() {
    // updates up to this one are in any snapshot taken from now on: no need to buffer them
    long covered = hub.latestSeq();
    AtomicBoolean first = new AtomicBoolean(true);
    Source<UpdateHub.Update, NotUsed> live = hub.source()
        .filter(u -> first.getAndSet(false) || (!u.isPing() && u.seq() > covered))
        .buffer(settings.clientBuffer(), OverflowStrategy.fail().withLogLevel(Logging.DebugLevel()))
        .mapError(BufferOverflowException.class, e -> new ClientDropped("a browser fell "
            + settings.clientBuffer() + " events behind (tasklane.dashboard.client-buffer); dropped it, it will reconnect"));
    return live
        .prefixAndTail(1)
        // the first element has come through the hub: the subscription is live, so every update
        // after the snapshot taken now will reach this stream
        .flatMapConcat(firstAndRest -> Source.completionStage(askSnapshot())
            .flatMapConcat(snapshot -> Source.single(snapshotEvent(snapshot))
                .concat(inOrderAfter(snapshot.seq(), firstAndRest.second()).map(this::toEvent))))
        // a connection that takes nothing for this long (a stalled or vanished browser) is dropped
        // even if it is few events behind, as when the cluster is quiet
        .backpressureTimeout(settings.clientStallTimeout())
        .mapError(BackpressureTimeoutException.class, e -> new ClientDropped("a browser took no data for "
            + settings.clientStallTimeout().toSeconds() + " s (tasklane.dashboard.client-stall-timeout); dropped it"))
        .watchTermination((notUsed, done) -> {
          stats.connected();
          done.whenComplete((ok, failure) -> {
            boolean dropped = dropped(failure);
            if (dropped) {
              LOG.info("SSE: {}", failure.getMessage());
            }
            stats.disconnected(dropped);
          });
          return notUsed;
        });
  }

  /** The updates after {@code seq}, which must come one by one: a missing one fails the stream. */
  private static Source<UpdateHub.Update, NotUsed> inOrderAfter(long seq, Source<UpdateHub.Update, NotUsed> updates) {
    long[] last = {seq};
    return updates
        .filter(u -> !u.isPing() && u.seq() > last[0])
        .map(u -> {
          if (u.seq() != last[0] + 1) {
            throw new ClientDropped("a browser's stream missed updates " + (last[0] + 1) + " to " + (u.seq() - 1)
                + "; dropped it, it will reconnect and start from a snapshot");
          }
          last[0] = u.seq();
          return u;
        });
  }

  private CompletionStage<DashboardView.Snapshot> askSnapshot() {
    return AskPattern.<DashboardProtocol.Command, Dashboard.SnapshotReply>ask(
            dashboard, Dashboard.GetSnapshot::new, settings.askTimeout(), system.scheduler())
        .thenApply(Dashboard.SnapshotReply::snapshot);
  }

  /**
   * The snapshot event. Browsers that connect within the same update (all of them at once, after
   * a dashboard restart or a proxy's reconnect) share one encoding, as they share every other
   * event, rather than each holding a copy of a snapshot of hundreds of KiB: a snapshot at seq S
   * is a valid first event for any of them, since every change after it comes as an update above
   * S. A shared one is at most {@link #SNAPSHOT_REUSE_NANOS} old.
   */
  private ByteString snapshotEvent(DashboardView.Snapshot snapshot) throws JsonProcessingException {
    stats.sent();
    long now = System.nanoTime();
    EncodedSnapshot last = lastSnapshot.get();
    if (last != null && last.seq() == snapshot.seq() && now - last.nanos() < SNAPSHOT_REUSE_NANOS) {
      return last.wire();
    }
    ByteString wire = SseWire.encode("snapshot", snapshot.seq(), mapper.writeValueAsString(snapshot));
    lastSnapshot.set(new EncodedSnapshot(snapshot.seq(), now, wire));
    return wire;
  }

  /** How long an encoded snapshot is given to browsers that connect at the same seq. */
  static final long SNAPSHOT_REUSE_NANOS = 1_000_000_000L;

  /** The last snapshot event encoded, at {@code seq}, at {@code nanos} (System.nanoTime). */
  private record EncodedSnapshot(long seq, long nanos, ByteString wire) {}

  private final AtomicReference<EncodedSnapshot> lastSnapshot = new AtomicReference<>();

  private ByteString toEvent(UpdateHub.Update u) {
    stats.sent();
    return u.wire();
  }

  private static boolean dropped(Throwable failure) {
    Throwable t = failure;
    while (t != null) {
      if (t instanceof ClientDropped || t instanceof BufferOverflowException) {
        return true;
      }
      t = t.getCause();
    }
    return false;
  }
}
