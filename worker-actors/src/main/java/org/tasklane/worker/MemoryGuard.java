package org.tasklane.worker;

import com.typesafe.config.Config;
import java.io.IOException;
import java.util.function.BiConsumer;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.worker.memory.HeapGauge;
import org.tasklane.worker.memory.MemoryLimitExceeded;
import org.tasklane.worker.memory.MemoryMonitor;
import org.tasklane.worker.memory.MemorySettings;
import org.tasklane.worker.memory.MemoryThresholds;
import org.tasklane.worker.memory.SpillFolder;

/**
 * A worker's memory management in one place, for the worker actor: its {@link ResultStore} (with a
 * spill folder unless spilling is off or the folder cannot be made), the {@link HeapGauge}, the
 * {@link MemoryMonitor}, and what each level means: pause (no new tasks), resume, or restart (the
 * node shuts down with {@link MemoryLimitExceeded}; its launcher exits with a code its nanny restarts on).
 */
final class MemoryGuard implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MemoryGuard.class);

  private final String worker;
  private final MemoryThresholds thresholds;
  private final ResultStore store;
  private final HeapGauge gauge;
  private final MemoryMonitor monitor;
  /** Owned by the worker actor. */
  private boolean paused;

  private MemoryGuard(
      String worker, MemorySettings settings, BiConsumer<MemoryThresholds.Level, DashboardProtocol.WorkerMemory> onLevel) {
    this.worker = worker;
    this.thresholds = settings.thresholds();
    this.store = new ResultStore(openFolder(worker, settings));
    this.gauge = new HeapGauge(store::memoryBytes);
    this.monitor = new MemoryMonitor(worker, store, gauge, thresholds, onLevel).start(settings.interval());
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (settings.limitBytes() > 0 && maxHeap < settings.limitBytes()) {
      log.warn("Worker {}: its memory limit ({} MiB) is above the JVM's maximum heap ({} MiB): it may run out of "
          + "heap before it spills; give the JVM more (-Xmx in TASKLANE_JAVA_OPTS) or the worker a lower --memory-limit",
          worker, settings.limitBytes() >> 20, maxHeap >> 20);
    }
  }

  /**
   * Starts the monitor for this worker.
   *
   * @param onLevel told (on the monitor's thread) when the level changes; pass it to {@link #onLevel} on the actor's
   */
  static MemoryGuard start(
      String worker, Config config, BiConsumer<MemoryThresholds.Level, DashboardProtocol.WorkerMemory> onLevel) {
    return new MemoryGuard(worker, MemorySettings.fromConfig(config), onLevel);
  }

  private static SpillFolder openFolder(String worker, MemorySettings settings) {
    if (settings.target() == 0 && settings.spill() == 0) {
      return null; // spilling is off
    }
    try {
      return SpillFolder.open(settings.spillDir(), settings.maxSpillBytes());
    } catch (IOException | RuntimeException e) {
      log.warn("Worker {}: cannot make a spill folder in {} ({}); results stay in memory, and the worker pauses "
          + "if its memory reaches {}% of its limit", worker, settings.spillDir(), e, Math.round(settings.pause() * 100));
      return null;
    }
  }

  ResultStore store() {
    return store;
  }

  /** A result was stored (in memory): the monitor checks at once whether to spill or pause. */
  void stored() {
    monitor.checkSoon();
  }

  /** Whether the worker takes no new tasks now. */
  boolean paused() {
    return paused;
  }

  /**
   * On the actor's thread: the worker is at this level now, for these figures. Returns true if it may take tasks again
   * (it resumed); a restart shuts the node down.
   */
  boolean onLevel(MemoryThresholds.Level level, DashboardProtocol.WorkerMemory m, ActorSystem<?> system) {
    String figures = String.format(java.util.Locale.ROOT,
        "%d MiB of its %d MiB limit (managed %d MiB, unmanaged %d MiB; %d MiB spilled)",
        (m.managedBytes() + m.unmanagedBytes()) >> 20, m.limitBytes() >> 20, m.managedBytes() >> 20,
        m.unmanagedBytes() >> 20, m.spilledBytes() >> 20);
    switch (level) {
      case RUNNING -> {
        if (paused) {
          log.info("Worker {} resumes: memory is {}", worker, figures);
        }
        paused = false;
        return true;
      }
      case PAUSED -> {
        if (!paused) {
          log.warn("Worker {} pauses (takes no new tasks): memory is {}, above {}%", worker, figures,
              Math.round(thresholds.pause() * 100));
        }
        paused = true;
        return false;
      }
      default -> {
        paused = true;
        log.error("Worker {} restarts: memory is {}, above {}% after a garbage collection; its results are computed "
            + "again elsewhere", worker, figures, Math.round(thresholds.terminate() * 100));
        CoordinatedShutdown.get(system).runAll(MemoryLimitExceeded.INSTANCE);
        return false;
      }
    }
  }

  DashboardProtocol.WorkerMemory figures() {
    return monitor.figures();
  }

  /** Stops the monitor and deletes the spill folder. */
  @Override
  public void close() {
    monitor.close();
    gauge.close();
    store.close();
  }
}
