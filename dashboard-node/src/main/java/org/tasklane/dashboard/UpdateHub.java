package org.tasklane.dashboard;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.japi.Pair;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.OverflowStrategy;
import org.apache.pekko.stream.javadsl.BroadcastHub;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.typed.javadsl.ActorSource;

/**
 * The node's one stream of updates to browsers: the {@link Dashboard} actor offers each update once
 * (already JSON), an {@link ActorSource} takes it without ever blocking the actor (it drops the
 * oldest if the stream falls behind), and a {@link BroadcastHub} hands it to every connected
 * browser's stream. The hub always has one consumer of its own that discards, so that it never
 * holds elements back while no browser is connected.
 */
public final class UpdateHub {

  /**
   * One SSE event: its {@code id}, its name and its JSON data, and the bytes every browser is sent
   * for it, encoded once however many browsers there are.
   */
  public record Update(long seq, String event, String json, org.apache.pekko.util.ByteString wire)
      implements NoSerializationVerificationNeeded {
    public Update(long seq, String event, String json) {
      this(seq, event, json, PING.equals(event) ? org.apache.pekko.util.ByteString.emptyByteString()
          : SseWire.encode(event, seq, json));
    }

    /** An update that carries nothing for browsers (see {@link #PING}). */
    public boolean isPing() {
      return PING.equals(event);
    }
  }

  /**
   * The name of the elements the actor sends when it has nothing else to send, so that a newly
   * connected browser's stream knows it is receiving from the hub; never sent to a browser.
   */
  public static final String PING = "ping";

  private final ActorRef<Update> input;
  private final Source<Update, NotUsed> source;
  private final AtomicLong latestSeq = new AtomicLong();

  private UpdateHub(ActorRef<Update> input, Source<Update, NotUsed> source) {
    this.input = input;
    this.source = source;
  }

  /** Starts the hub on this materializer (its life is the hub's life). */
  public static UpdateHub start(Materializer materializer, int inputBuffer, int hubBuffer) {
    Pair<ActorRef<Update>, Source<Update, NotUsed>> both = ActorSource.<Update>actorRef(
            u -> false, u -> java.util.Optional.empty(), inputBuffer, OverflowStrategy.dropHead())
        .toMat(BroadcastHub.of(Update.class, hubBuffer), Keep.both())
        .run(materializer);
    both.second().runWith(Sink.ignore(), materializer);
    return new UpdateHub(both.first(), both.second());
  }

  /** Sends an update to every connected browser (never blocks). */
  public void offer(Update u) {
    input.tell(u);
    if (!u.isPing()) {
      latestSeq.accumulateAndGet(u.seq(), Math::max);
    }
  }

  /** The seq of the latest update offered: every update up to it is in any snapshot taken later. */
  public long latestSeq() {
    return latestSeq.get();
  }

  /** A new subscription to every update offered from now on (and perhaps a few just before). */
  public Source<Update, NotUsed> source() {
    return source;
  }
}
