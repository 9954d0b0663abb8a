package org.tasklane.scheduler.health;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * What {@link SchedulerReadyCheck} needs of a scheduler node (one per actor system): the scheduler
 * actor as the client API asks it (the singleton, or its proxy) and the client API's binding. The
 * node's guardian {@link #attach}es them when it starts; until then the node is not ready.
 */
public final class SchedulerReadiness implements Extension {
  private volatile Supplier<ActorRef<SchedulerProtocol.Command>> scheduler;
  private volatile CompletableFuture<InetSocketAddress> apiBound;

  /** The extension's id: {@code SchedulerReadiness.ID.get(system)} or {@link #get}. */
  public static final Id ID = new Id();

  /** Looks the extension up (creating it once per actor system). */
  public static final class Id extends AbstractExtensionId<SchedulerReadiness> implements ExtensionIdProvider {
    private Id() {}

    @Override
    public SchedulerReadiness createExtension(ExtendedActorSystem system) {
      return new SchedulerReadiness();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }

  public static SchedulerReadiness get(ClassicActorSystemProvider system) {
    return ID.get(system);
  }

  /**
   * @param scheduler the scheduler actor as the client API asks it
   * @param apiBound completes when the client API listens (exceptionally if it cannot)
   */
  public void attach(Supplier<ActorRef<SchedulerProtocol.Command>> scheduler, CompletableFuture<InetSocketAddress> apiBound) {
    this.scheduler = scheduler;
    this.apiBound = apiBound;
  }

  /** The scheduler actor (null before the guardian attached it, or while the singleton has no ref yet). */
  ActorRef<SchedulerProtocol.Command> scheduler() {
    Supplier<ActorRef<SchedulerProtocol.Command>> s = scheduler;
    return s == null ? null : s.get();
  }

  /** The client API listens. */
  boolean apiBound() {
    CompletableFuture<InetSocketAddress> b = apiBound;
    return b != null && b.isDone() && !b.isCompletedExceptionally();
  }
}
