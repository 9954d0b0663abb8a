package org.tasklane.scheduler;

import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * The scheduler actor as this node's client API asks it: the singleton itself once it runs on this
 * node (on a scheduler node it does: the singleton is pinned to role {@code scheduler}), else the
 * singleton's proxy. Asking the actor itself spares every request the proxy's mailbox, one thread
 * hand-off each way on the one-task round trip (docs/latency.md). The actor keeps its ref when it
 * is restarted, and a proxy could reach no other actor while this node is up.
 */
public final class SchedulerRef implements Supplier<ActorRef<SchedulerProtocol.Command>> {
  private volatile ActorRef<SchedulerProtocol.Command> proxy;
  private volatile ActorRef<SchedulerProtocol.Command> local;

  /** A ref that is only ever this one (tests, and a scheduler that is no singleton). */
  public static SchedulerRef of(ActorRef<SchedulerProtocol.Command> ref) {
    SchedulerRef r = new SchedulerRef();
    r.proxy = ref;
    return r;
  }

  /** The scheduler's behavior, telling this holder its own ref when it starts on this node. */
  public Behavior<SchedulerProtocol.Command> recording(Behavior<SchedulerProtocol.Command> scheduler) {
    return Behaviors.setup(context -> {
      local = context.getSelf();
      return scheduler;
    });
  }

  /** The singleton's proxy, for as long as the singleton has not started on this node. */
  public void proxy(ActorRef<SchedulerProtocol.Command> proxy) {
    this.proxy = proxy;
  }

  @Override
  public ActorRef<SchedulerProtocol.Command> get() {
    ActorRef<SchedulerProtocol.Command> l = local;
    return l != null ? l : proxy;
  }
}
