package org.tasklane.worker;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tasklane.protocol.WorkerProtocol;

/**
 * The worker node's guardian: loads the task functions once and spawns the {@link Worker} as
 * {@code "worker"} (path {@code /user/worker}, its data endpoint {@code /user/worker/data}). If the
 * worker stops, the guardian stops too, which terminates the actor system.
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
      ActorRef<WorkerProtocol.Command> worker =
          context.spawn(Worker.create(settings, registry, executorFactory), "worker");
      context.watch(worker);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, terminated -> {
            context.getLog().error("The worker actor stopped; stopping the worker node");
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
