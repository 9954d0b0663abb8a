package org.tasklane.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.worker.metrics.MetricsServer;
import org.tasklane.worker.metrics.MetricsSettings;
import org.tasklane.worker.metrics.WorkerNodeMetrics;

/**
 * The worker node's guardian: loads the task functions once, makes what the JVM's workers share
 * ({@link JvmResources}) and spawns {@code tasklane.worker.nworkers} {@link Worker}s: one as
 * {@code "worker"} (path {@code /user/worker}, its data endpoint {@code /user/worker/data}), several
 * as {@code "worker-1"} .. {@code "worker-N"}, named by {@link WorkerNames}. If a worker stops, the
 * guardian stops too, which terminates the actor system: the workers of a JVM share its fate.
 *
 * <p>In a cluster, a graceful stop (SIGTERM, which runs Pekko's coordinated shutdown) first retires
 * every worker: a task in phase {@code before-cluster-shutdown}, before the node leaves the cluster,
 * waits while the scheduler has the results only they hold copied to other workers (see
 * {@link Worker.Retire}; at most {@code tasklane.worker.retire-timeout} plus a margin), all of them at once.
 */
public final class WorkerGuardian {
  private WorkerGuardian() {}

  /** The guardian with the default executor: a fixed pool of threads {@code exec-0}, {@code exec-1}, .... */
  public static Behavior<Void> create(WorkerSettings settings) {
    return create(settings, ExecutorFactory.fixedThreadPool());
  }

  /**
   * The guardian.
   *
   * @throws IllegalStateException (when the behavior starts) if two task functions share a name
   */
  public static Behavior<Void> create(WorkerSettings settings, ExecutorFactory executorFactory) {
    return Behaviors.setup(context -> {
      FunctionRegistry registry = FunctionRegistry.load();
      MetricsSettings metricsSettings = MetricsSettings.fromConfig(context.getSystem().settings().config());
      WorkerNodeMetrics metrics = new WorkerNodeMetrics(metricsSettings);
      if (metricsSettings.enabled()) {
        MetricsServer.start(context.getSystem(), metrics, metricsSettings, settings.host());
      }
      WorkerSettings resolved = settings.withDefaultsFrom(context.getSystem().address());
      List<String> names = WorkerNames.names(resolved.name(), resolved.nworkers());
      JvmResources jvm = new JvmResources(context, names, metrics);
      List<ActorRef<WorkerProtocol.Command>> workers = new ArrayList<>(names.size());
      for (int i = 1; i <= names.size(); i++) {
        WorkerSettings own = resolved.withIdentity(names.get(i - 1), resolved.host(), resolved.address());
        ActorRef<WorkerProtocol.Command> worker = context.spawn(
            Worker.create(own, registry, executorFactory, jvm), WorkerNames.actorName(i, names.size()));
        context.watch(worker);
        workers.add(worker);
      }
      Cancellable retire = retireOnShutdown(context.getSystem(), workers);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, terminated -> {
            retire.cancel();
            context.getLog().error("The worker actor {} stopped; stopping the worker node{}",
                terminated.getRef().path().name(), names.size() > 1 ? " and its other workers" : "");
            return Behaviors.stopped();
          })
          .onSignal(PostStop.class, stopped -> {
            jvm.close();
            return Behaviors.same();
          })
          .build();
    });
  }

  /** The coordinated-shutdown phase in which a worker retires: before it leaves the cluster. */
  public static final String RETIRE_PHASE = CoordinatedShutdown.PhaseBeforeClusterShutdown();

  /**
   * The retire task's share of {@link #RETIRE_PHASE}'s timeout beyond
   * {@code tasklane.worker.retire-timeout}: the worker's own margin and a little more.
   */
  public static final Duration RETIRE_PHASE_MARGIN = Worker.RETIRE_MARGIN.plusSeconds(5);

  private static Cancellable retireOnShutdown(
      org.apache.pekko.actor.typed.ActorSystem<?> system, List<ActorRef<WorkerProtocol.Command>> workers) {
    if (!system.settings().config().getString("pekko.actor.provider").contains("cluster")) {
      return Cancellable.alreadyCancelled(); // no cluster to leave, nobody to hand results to
    }
    Duration timeout = system.settings().config().getDuration("tasklane.worker.retire-timeout")
        .plus(Worker.RETIRE_MARGIN).plusSeconds(2);
    CoordinatedShutdown shutdown = CoordinatedShutdown.get(system);
    return shutdown.addCancellableTask(RETIRE_PHASE, "tasklane-worker-retire", () -> {
      if (!isGraceful(shutdown.getShutdownReason())) {
        // removed from the cluster or never in it: the scheduler does not count on this worker
        return CompletableFuture.completedFuture(Done.getInstance());
      }
      // however each retirement ends (answered, timed out, the worker gone), the node goes on leaving
      // once all have ended; they retire at once, each handing off its own results
      CompletableFuture<?>[] each = new CompletableFuture<?>[workers.size()];
      for (int i = 0; i < each.length; i++) {
        each[i] = AskPattern.<WorkerProtocol.Command, Done>ask(workers.get(i), Worker.Retire::new, timeout,
            system.scheduler()).handle((done, error) -> Done.getInstance()).toCompletableFuture();
      }
      return CompletableFuture.allOf(each).thenApply(all -> Done.getInstance());
    });
  }

  /**
   * A stop asked for (SIGTERM, a terminate call), not a removal by the cluster, a failed join or a
   * restart for memory (which has no memory to spare for a hand-off).
   */
  static boolean isGraceful(java.util.Optional<CoordinatedShutdown.Reason> reason) {
    return reason.isEmpty()
        || (reason.get() != CoordinatedShutdown.clusterDowningReason()
            && reason.get() != CoordinatedShutdown.clusterJoinUnsuccessfulReason()
            && reason.get() != CoordinatedShutdown.clusterLeavingReason()
            && reason.get() != CoordinatedShutdown.incompatibleConfigurationDetectedReason()
            && reason.get() != org.tasklane.worker.memory.MemoryLimitExceeded.INSTANCE);
  }
}
