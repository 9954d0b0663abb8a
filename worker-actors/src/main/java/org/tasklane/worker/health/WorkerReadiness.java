package org.tasklane.worker.health;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * Whether this node's worker is registered with a scheduler that can reach it: the flag the
 * {@link org.tasklane.worker.Worker} sets and {@link WorkerReadyCheck} reads (one per actor system).
 *
 * <p>The scheduler pings only the workers it has registered (about once a second), so its first
 * ping (or assignment) after this worker's {@code RegisterWorker} is the acknowledgement. The flag
 * drops when another scheduler introduces itself (until that one acknowledges too) and while the
 * scheduler's node is unreachable or gone.
 */
public final class WorkerReadiness implements Extension {
  private volatile boolean registered;
  private volatile String reason = "the worker has not started";

  /** The extension's id: {@code WorkerReadiness.ID.get(system)} or {@link #get}. */
  public static final Id ID = new Id();

  /** Looks the extension up (creating it once per actor system). */
  public static final class Id extends AbstractExtensionId<WorkerReadiness> implements ExtensionIdProvider {
    private Id() {}

    @Override
    public WorkerReadiness createExtension(ExtendedActorSystem system) {
      return new WorkerReadiness();
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }

  /** This actor system's flag (a typed system is a {@link ClassicActorSystemProvider} too). */
  public static WorkerReadiness get(ClassicActorSystemProvider system) {
    return ID.get(system);
  }

  /** The scheduler acknowledged this worker and is reachable. */
  public void registered() {
    registered = true;
    reason = "";
  }

  /** Not (or no longer) registered with a reachable scheduler, for this reason (shown by the check). */
  public void notRegistered(String why) {
    registered = false;
    reason = why;
  }

  public boolean isRegistered() {
    return registered;
  }

  /** Why the worker is not ready ("" when it is). */
  public String reason() {
    return reason;
  }
}
