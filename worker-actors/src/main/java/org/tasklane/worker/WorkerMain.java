package org.tasklane.worker;

import com.typesafe.config.Config;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/** Starts a worker node from a finished configuration (the command line builds it). */
public final class WorkerMain {
  private WorkerMain() {}

  /** Starts the node; it joins the cluster named by the configuration's seed nodes. */
  public static ActorSystem<Void> start(Config config) {
    WorkerSettings settings = WorkerSettings.fromConfig(config);
    Behavior<Void> root = Behaviors.setup(context -> {
      // the name and host default to the cluster address, known once the system is up
      WorkerSettings resolved = settings.withDefaultsFrom(context.getSystem().address());
      context.getLog().info("Worker {} starting with {} threads", resolved.name(), resolved.nthreads());
      return WorkerGuardian.create(resolved);
    });
    return ActorSystem.create(root, "tasklane", config);
  }
}
