package org.tasklane.worker.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Topics;

/**
 * Publishes the figures of all the workers of one JVM on {@link Topics#WORKER_METRICS}: each
 * worker hands its latest {@link DashboardProtocol.WorkerMetrics} over (a local message), and every
 * interval this sends what arrived since the last one as {@link DashboardProtocol.WorkerMetricsBatch}es:
 * one message per JVM and interval (one more per {@link DashboardProtocol.WorkerMetricsBatch#MAX_ENTRIES}
 * workers), whatever the number of workers, and one topic actor per JVM rather than one per worker.
 * Holds at most one entry per worker (a newer one replaces the older).
 */
public final class MetricsPublisher {
  private MetricsPublisher() {}

  /** What the publisher takes. */
  public interface Command {}

  /** A worker's figures of now (local only: never crosses the network in this wrapper). */
  public record Figures(DashboardProtocol.WorkerMetrics metrics) implements Command, NoSerializationVerificationNeeded {}

  private enum Tick implements Command {
    INSTANCE
  }

  /**
   * @param publish where each batch goes (the topic, in a node; a probe in tests); on the actor's thread
   * @param interval how often it publishes
   */
  public static Behavior<Command> create(
      java.util.function.Consumer<DashboardProtocol.WorkerMetricsBatch> publish, Duration interval) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      timers.startTimerWithFixedDelay(Tick.INSTANCE, interval);
      Map<String, DashboardProtocol.WorkerMetrics> fresh = new LinkedHashMap<>();
      return Behaviors.receive(Command.class)
          .onMessage(Figures.class, f -> {
            fresh.put(f.metrics().worker(), f.metrics());
            return Behaviors.same();
          })
          .onMessageEquals(Tick.INSTANCE, () -> {
            for (DashboardProtocol.WorkerMetricsBatch b : batches(fresh.values())) {
              publish.accept(b);
            }
            fresh.clear();
            return Behaviors.same();
          })
          .build();
    }));
  }

  /** The publisher with the JVM's one topic actor for worker figures (its child {@code "metrics-topic"}). */
  public static Behavior<Command> onTopic(Duration interval) {
    return Behaviors.setup(context -> {
      ActorRef<Topic.Command<DashboardProtocol.Command>> topic =
          context.spawn(Topic.create(DashboardProtocol.Command.class, Topics.WORKER_METRICS), "metrics-topic");
      return create(b -> topic.tell(Topic.publish(b)), interval);
    });
  }

  /** The figures in batches of at most {@link DashboardProtocol.WorkerMetricsBatch#MAX_ENTRIES}; none if there are none. */
  static List<DashboardProtocol.WorkerMetricsBatch> batches(java.util.Collection<DashboardProtocol.WorkerMetrics> all) {
    List<DashboardProtocol.WorkerMetricsBatch> out = new ArrayList<>();
    List<DashboardProtocol.WorkerMetrics> chunk = new ArrayList<>();
    for (DashboardProtocol.WorkerMetrics m : all) {
      chunk.add(m);
      if (chunk.size() == DashboardProtocol.WorkerMetricsBatch.MAX_ENTRIES) {
        out.add(new DashboardProtocol.WorkerMetricsBatch(chunk));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty()) {
      out.add(new DashboardProtocol.WorkerMetricsBatch(chunk));
    }
    return out;
  }
}
