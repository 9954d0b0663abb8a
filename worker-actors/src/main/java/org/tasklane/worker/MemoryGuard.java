package org.tasklane.worker;

import java.util.function.Consumer;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.worker.memory.MemoryThresholds;

/**
 * One worker's part in its JVM's memory management ({@link JvmMemory}): its {@link ResultStore},
 * whether it is paused, and its figures. The JVM's monitor decides; this only follows it.
 */
final class MemoryGuard implements AutoCloseable {
  private final JvmMemory jvm;
  private final ResultStore store;
  private final Consumer<MemoryThresholds.Level> listener;
  /** Owned by the worker actor. */
  private boolean paused;

  MemoryGuard(JvmMemory jvm, ResultStore store, Consumer<MemoryThresholds.Level> listener) {
    this.jvm = jvm;
    this.store = store;
    this.listener = listener;
  }

  ResultStore store() {
    return store;
  }

  Consumer<MemoryThresholds.Level> listener() {
    return listener;
  }

  /** A result was stored (in memory): the JVM's monitor checks at once whether to spill or pause. */
  void stored() {
    jvm.stored();
  }

  /** Whether the worker takes no new tasks now. */
  boolean paused() {
    return paused;
  }

  /**
   * On the actor's thread: the JVM is at this level now. Returns true if the worker may take tasks
   * again (it resumed). The JVM logged it, and shuts the node down for a restart.
   */
  boolean onLevel(MemoryThresholds.Level level) {
    paused = level != MemoryThresholds.Level.RUNNING;
    return !paused;
  }

  DashboardProtocol.WorkerMemory figures() {
    return jvm.figures(store);
  }

  /** Leaves the JVM's memory management and deletes this worker's spill folder. */
  @Override
  public void close() {
    jvm.leave(this);
  }
}
