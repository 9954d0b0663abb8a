package org.tasklane.worker.health;

import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * Whether this node's workers are registered with a scheduler that can reach them: the flags the
 * {@link org.tasklane.worker.Worker}s set and {@link WorkerReadyCheck} reads (one per actor system).
 * A JVM of several workers ({@code --nworkers}) is ready once all of them are ({@link #expect}).
 *
 * <p>The scheduler pings only the workers it has registered (about once a second), so its first
 * ping (or assignment) after this worker's {@code RegisterWorker} is the acknowledgement. The flag
 * drops when another scheduler introduces itself (until that one acknowledges too) and while the
 * scheduler's node is unreachable or gone.
 */
public final class WorkerReadiness implements Extension {
  /** Each started worker's reason not to be ready, by name; "" when it is ready. */
  private final java.util.concurrent.ConcurrentSkipListMap<String, String> workers =
      new java.util.concurrent.ConcurrentSkipListMap<>();
  private volatile int expected = 1;

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

  /** The node runs this many workers: ready only once that many are. */
  public void expect(int n) {
    expected = n;
  }

  /** The scheduler acknowledged this worker and is reachable. */
  public void registered(String worker) {
    workers.put(worker, "");
  }

  /** Not (or no longer) registered with a reachable scheduler, for this reason (shown by the check). */
  public void notRegistered(String worker, String why) {
    workers.put(worker, why);
  }

  /** The worker stopped: it no longer counts (nor does the node's readiness wait for it). */
  public void stopped(String worker) {
    workers.remove(worker);
  }

  public boolean isRegistered() {
    return reason().isEmpty();
  }

  /**
   * Why the node is not ready ("" when it is): the first worker that is not, named when there are
   * several, with how many are not.
   */
  public String reason() {
    int n = expected;
    if (workers.isEmpty()) {
      return n > 1 ? "none of its " + n + " workers has started" : "the worker has not started";
    }
    int notReady = 0;
    String first = null;
    for (java.util.Map.Entry<String, String> e : workers.entrySet()) {
      if (!e.getValue().isEmpty()) {
        notReady++;
        if (first == null) {
          first = n > 1 ? "worker " + e.getKey() + ": " + e.getValue() : e.getValue();
        }
      }
    }
    if (first != null) {
      return notReady > 1 ? notReady + " of its " + n + " workers are not ready; " + first : first;
    }
    if (workers.size() < n) {
      return workers.size() + " of its " + n + " workers have started";
    }
    return "";
  }
}
