package org.tasklane.worker;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Starts a worker node from a finished configuration (the command line builds it). */
public final class WorkerMain {
  private WorkerMain() {}

  /** Starts the node; it joins the cluster named by the configuration's seed nodes. */
  public static ActorSystem<Void> start(Config config) {
    config = withRetirePhaseTimeout(config);
    WorkerSettings settings = WorkerSettings.fromConfig(config);
    Behavior<Void> root = Behaviors.setup(context -> {
      // the name and host default to the cluster address, known once the system is up
      WorkerSettings resolved = settings.withDefaultsFrom(context.getSystem().address());
      if (resolved.nworkers() == 1) {
        context.getLog().info("Worker {} starting with {} threads", resolved.name(), resolved.nthreads());
      } else {
        context.getLog().info("Workers {}-1 .. {}-{} starting, {} threads each", resolved.name(), resolved.name(),
            resolved.nworkers(), resolved.nthreads());
      }
      return WorkerGuardian.create(resolved);
    });
    // the cluster's name: a seed node of another name never answers this node's join
    return ActorSystem.create(root, config.getString("tasklane.cluster-name"), config);
  }

  /**
   * The configuration with a timeout of the coordinated-shutdown phase the worker retires in (see
   * {@link WorkerGuardian}) long enough for {@code tasklane.worker.retire-timeout}, unless it is
   * longer already.
   */
  static Config withRetirePhaseTimeout(Config config) {
    String path = "pekko.coordinated-shutdown.phases." + WorkerGuardian.RETIRE_PHASE + ".timeout";
    Duration needed = config.getDuration("tasklane.worker.retire-timeout").plus(WorkerGuardian.RETIRE_PHASE_MARGIN);
    Duration now = config.hasPath(path)
        ? config.getDuration(path)
        : config.getDuration("pekko.coordinated-shutdown.default-phase-timeout");
    if (now.compareTo(needed) >= 0) {
      return config;
    }
    return ConfigFactory.parseMap(java.util.Map.of(path, needed.toMillis() + "ms")).withFallback(config);
  }
}
