package org.tasklane.worker;

import com.typesafe.config.Config;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Topics;
import org.tasklane.worker.code.CodeSettings;
import org.tasklane.worker.code.JavaCalls;
import org.tasklane.worker.health.WorkerReadiness;
import org.tasklane.worker.inspect.InspectSettings;
import org.tasklane.worker.inspect.LogBuffer;
import org.tasklane.worker.inspect.LogBufferAppender;
import org.tasklane.worker.memory.MemorySettings;
import org.tasklane.worker.metrics.HostSample;
import org.tasklane.worker.metrics.HostSampler;
import org.tasklane.worker.metrics.MetricsPublisher;
import org.tasklane.worker.metrics.WorkerNodeMetrics;
import org.tasklane.worker.profile.JfrProfiler;
import org.tasklane.worker.profile.ProfileSettings;

/**
 * What the workers of one JVM share (one worker, or {@code --nworkers} of them), made once: the
 * host sampler (one OSHI sampling for all: hundreds of samplers would eat cores), memory
 * management (one heap: {@link JvmMemory}), the profiler's one recording stream, the log buffer,
 * the jars fetched for {@code java:} functions, the Prometheus figures, the readiness flags, and
 * the publisher of their figures (one message per JVM and interval, {@link MetricsPublisher}).
 * A worker's own: its threads, its result store, its data endpoint, its name.
 */
final class JvmResources implements AutoCloseable {
  final int nworkers;
  final HostSampler sampler;
  final JvmMemory memory;
  final WorkerNodeMetrics metrics;
  final JavaCalls javaCalls;
  final WorkerReadiness readiness;
  /** Null if workers keep no log lines ({@code inspect.logs = off}). */
  final LogBuffer logs;
  final InspectSettings inspect;
  final ProfileSettings profile;
  /** Null if profiling is off. */
  final JfrProfiler profiler;
  /** Null if profiling is off. */
  private final ActorRef<Topic.Command<DashboardProtocol.WorkerProfile>> profiles;
  final ActorRef<MetricsPublisher.Command> publisher;
  /** Whether the workers have a {@code memory-limit} of their own (else each reports its share of the host's memory). */
  private final boolean limited;

  /**
   * Makes them, spawning the publisher and the profiles' topic as children of {@code context}.
   *
   * @param names the workers' names, all of them (for the log lines and the readiness check)
   */
  JvmResources(ActorContext<?> context, List<String> names, WorkerNodeMetrics metrics) {
    Config config = context.getSystem().settings().config();
    this.nworkers = names.size();
    String who = nworkers == 1 ? "Worker " + names.get(0) : "The " + nworkers + " workers of this JVM";
    this.metrics = metrics;
    this.readiness = WorkerReadiness.get(context.getSystem());
    readiness.expect(nworkers);
    this.limited = config.getBytes("tasklane.worker.memory-limit") > 0;
    this.sampler = new HostSampler(config.getBytes("tasklane.worker.memory-limit")).start(Worker.METRICS_INTERVAL);
    this.memory = new JvmMemory(context.getSystem(), MemorySettings.fromConfig(config), nworkers, who);
    this.javaCalls = JavaCalls.start(context.getSystem(), CodeSettings.fromConfig(config));
    this.inspect = InspectSettings.fromConfig(config);
    this.logs = inspect.logs() ? LogBufferAppender.install(inspect) : null;
    this.profile = ProfileSettings.fromConfig(config);
    if (profile.enabled()) {
      this.profiles = context.spawn(
          Topic.create(DashboardProtocol.WorkerProfile.class, Topics.WORKER_PROFILES), "profiles-topic");
      this.profiler = JfrProfiler.start(profile, nworkers == 1 ? names.get(0) : who);
    } else {
      this.profiles = null;
      this.profiler = null;
    }
    this.publisher = context.spawn(MetricsPublisher.onTopic(Worker.METRICS_INTERVAL), "metrics-publisher");
  }

  /** Samples a worker's task threads for its own profiles; null if profiling is off. */
  JfrProfiler.Target profile(org.tasklane.worker.inspect.TaskThreads threads, String name, String incarnation) {
    if (profiler == null) {
      return null;
    }
    // the stream's thread publishes: Topic refs may be told from any thread
    return profiler.add(threads, name, incarnation, p -> profiles.tell(Topic.publish(p)));
  }

  /**
   * The latest host sample as one worker's share: the process's CPU and resident memory divided
   * among its workers (so a host's or cluster's totals add up), and without a memory limit of their
   * own, the host's memory too; the host's network and disk rates whole.
   */
  HostSample hostShare() {
    HostSample h = sampler.latest();
    if (nworkers == 1) {
      return h;
    }
    return new HostSample(h.cpuPercent() / nworkers, h.rssBytes() / nworkers,
        limited ? h.memoryLimitBytes() : h.memoryLimitBytes() / nworkers,
        h.netInBytesPerSec(), h.netOutBytesPerSec(), h.diskReadBytesPerSec(), h.diskWriteBytesPerSec());
  }

  /** Stops the threads (the actors stop with their parent). */
  @Override
  public void close() {
    sampler.close();
    memory.close();
    if (profiler != null) {
      profiler.close();
    }
    javaCalls.closeInBackground();
  }
}
