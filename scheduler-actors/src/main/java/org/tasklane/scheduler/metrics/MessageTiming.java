package org.tasklane.scheduler.metrics;

import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.BehaviorInterceptor;
import org.apache.pekko.actor.typed.Signal;
import org.apache.pekko.actor.typed.TypedActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * Times the scheduler actor's event loop from outside it: how long each message takes to handle
 * (by message type), and how long a message waits in the mailbox. For the wait, after a message
 * and at most once a second it sends itself a {@link MailboxProbe} stamped with the time: the probe
 * queues behind whatever is in the mailbox then, and is handled here (the scheduler never sees it).
 * Runs on the actor's thread, like the actor.
 */
public final class MessageTiming extends BehaviorInterceptor<SchedulerProtocol.Command, SchedulerProtocol.Command> {

  /** At most one probe in flight, and at most one a second. */
  static final long PROBE_INTERVAL_NANOS = 1_000_000_000L;
  /** Message types named in the label, at most; further ones (there are about 25) count as {@code other}. */
  static final int MAX_MESSAGE_TYPES = 64;

  /** A message sent to self to measure how long the mailbox holds it. */
  record MailboxProbe(long sentNanos) implements SchedulerProtocol.Command, NoSerializationVerificationNeeded {}

  private final SchedulerMetrics metrics;
  /** Each message type's label and series, looked up once. */
  private final Map<Class<?>, Timer> timers = new HashMap<>();
  private long lastProbeNanos = System.nanoTime() - PROBE_INTERVAL_NANOS;
  private boolean probeInFlight;

  /** {@code behavior}, its messages timed into {@code metrics}. */
  public static Behavior<SchedulerProtocol.Command> timed(
      SchedulerMetrics metrics, Behavior<SchedulerProtocol.Command> behavior) {
    return Behaviors.intercept(() -> new MessageTiming(metrics), behavior);
  }

  MessageTiming(SchedulerMetrics metrics) {
    super(SchedulerProtocol.Command.class);
    this.metrics = metrics;
  }

  @Override
  public Behavior<SchedulerProtocol.Command> aroundReceive(
      TypedActorContext<SchedulerProtocol.Command> ctx,
      SchedulerProtocol.Command msg,
      ReceiveTarget<SchedulerProtocol.Command> target) {
    long start = System.nanoTime();
    if (msg instanceof MailboxProbe probe) {
      metrics.mailboxDelay(start - probe.sentNanos());
      probeInFlight = false;
      lastProbeNanos = start;
      return Behaviors.same();
    }
    Behavior<SchedulerProtocol.Command> next = target.apply(ctx, msg);
    long end = System.nanoTime();
    timerOf(msg).series().observe((end - start) / 1e9);
    if (!probeInFlight && end - lastProbeNanos >= PROBE_INTERVAL_NANOS) {
      probeInFlight = true;
      ctx.asJava().getSelf().tell(new MailboxProbe(System.nanoTime()));
    }
    return next;
  }

  @Override
  public Behavior<SchedulerProtocol.Command> aroundSignal(
      TypedActorContext<SchedulerProtocol.Command> ctx, Signal signal, SignalTarget<SchedulerProtocol.Command> target) {
    return target.apply(ctx, signal);
  }

  private record Timer(String name, DistributionDataPoint series) {}

  private Timer timerOf(SchedulerProtocol.Command msg) {
    Timer t = timers.get(msg.getClass());
    if (t == null) {
      String simple = msg.getClass().getSimpleName();
      String name = timers.size() >= MAX_MESSAGE_TYPES ? "other" : simple.isEmpty() ? msg.getClass().getName() : simple;
      t = new Timer(name, metrics.messageTimer(name));
      timers.put(msg.getClass(), t);
    }
    return t;
  }

  /** The message's label: its simple class name ({@code SubmitGraph}, {@code Tick}), bounded in number. */
  String nameOf(SchedulerProtocol.Command msg) {
    return timerOf(msg).name();
  }
}
