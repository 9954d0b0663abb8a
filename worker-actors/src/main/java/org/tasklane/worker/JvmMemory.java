package org.tasklane.worker;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
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
 * Memory management for all the workers of one JVM: they share its heap, so there is one {@link
 * HeapGauge} and one {@link MemoryMonitor} (one thread), over all their stores ({@link ResultStores}).
 *
 * <p>As in Dask, {@code --memory-limit} is per worker: the JVM's limit is their sum (N x the limit;
 * without one, the JVM's maximum heap), and the spill, pause and restart fractions apply to the
 * JVM's memory against it. Spilling takes the least recently used results across all the workers;
 * a pause pauses all of them (the heap is full for every one); a restart restarts the JVM with all
 * its workers (the node shuts down with {@link MemoryLimitExceeded}; its nanny starts it again).
 * Each worker's figures are its own results, with an equal share of the unmanaged memory and of the limit.
 */
final class JvmMemory implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JvmMemory.class);

  private final MemorySettings settings;
  private final int nworkers;
  private final String who;
  private final MemoryThresholds thresholds;
  private final ResultStores stores = new ResultStores();
  private final HeapGauge gauge;
  private final MemoryMonitor monitor;
  private final ActorSystem<?> system;
  private final List<Consumer<MemoryThresholds.Level>> listeners = new CopyOnWriteArrayList<>();
  /** Logged once: the first worker whose spill folder could not be made. */
  private volatile boolean folderWarned;

  /**
   * @param who the workers in log lines: "Worker NAME" for one, "The N workers of this JVM" for several
   */
  JvmMemory(ActorSystem<?> system, MemorySettings settings, int nworkers, String who) {
    this.system = system;
    this.settings = settings;
    this.nworkers = nworkers;
    this.who = who;
    long perWorker = settings.limitBytes() > 0 ? settings.limitBytes() : 0;
    long limit = perWorker == 0 ? Runtime.getRuntime().maxMemory()
        : perWorker > Long.MAX_VALUE / nworkers ? Long.MAX_VALUE : perWorker * nworkers;
    this.thresholds = new MemoryThresholds(limit, settings.target(), settings.spill(), settings.pause(),
        settings.terminate());
    this.gauge = new HeapGauge(stores::memoryBytes);
    this.monitor = new MemoryMonitor(who, stores, gauge, thresholds, this::onLevel).start(settings.interval());
    long maxHeap = Runtime.getRuntime().maxMemory();
    if (perWorker > 0 && maxHeap < limit) {
      log.warn("{}: the memory limit ({} MiB{}) is above the JVM's maximum heap ({} MiB): it may run out of "
          + "heap before it spills; give the JVM more (-Xmx in TASKLANE_JAVA_OPTS) or the workers a lower --memory-limit",
          who, limit >> 20, nworkers > 1 ? ", " + nworkers + " x " + (perWorker >> 20) + " MiB" : "", maxHeap >> 20);
    }
  }

  /** A worker joins: its own store (and spill folder), paused and resumed with the others. */
  MemoryGuard join(String worker, Consumer<MemoryThresholds.Level> onLevel) {
    ResultStore store = new ResultStore(openFolder(worker), stores.clock());
    stores.add(store);
    listeners.add(onLevel);
    onLevel.accept(monitor.level()); // a worker that joins a paused JVM starts paused
    return new MemoryGuard(this, store, onLevel);
  }

  /** A worker leaves: its store is closed (its spill folder deleted). */
  void leave(MemoryGuard guard) {
    listeners.remove(guard.listener());
    stores.remove(guard.store());
    guard.store().close();
  }

  private SpillFolder openFolder(String worker) {
    if (settings.target() == 0 && settings.spill() == 0) {
      return null; // spilling is off
    }
    try {
      return SpillFolder.open(settings.spillDir(), settings.maxSpillBytes());
    } catch (IOException | RuntimeException e) {
      if (!folderWarned) {
        folderWarned = true;
        log.warn("Worker {}: cannot make a spill folder in {} ({}); results stay in memory, and the worker pauses "
            + "if its JVM's memory reaches {}% of its limit", worker, settings.spillDir(), e,
            Math.round(settings.pause() * 100));
      }
      return null;
    }
  }

  /** A result was stored: check at once whether to spill or pause. */
  void stored() {
    monitor.checkSoon();
  }

  /** On the monitor's thread: says what the level means once for the JVM, then tells every worker. */
  private void onLevel(MemoryThresholds.Level level, DashboardProtocol.WorkerMemory m) {
    String figures = String.format(Locale.ROOT,
        "%d MiB of its %d MiB limit (managed %d MiB, unmanaged %d MiB; %d MiB spilled)",
        (m.managedBytes() + m.unmanagedBytes()) >> 20, m.limitBytes() >> 20, m.managedBytes() >> 20,
        m.unmanagedBytes() >> 20, m.spilledBytes() >> 20);
    switch (level) {
      case RUNNING -> log.info("{} resume{}: memory is {}", who, nworkers > 1 ? "" : "s", figures);
      case PAUSED -> log.warn("{} pause{} (take{} no new tasks): memory is {}, above {}%", who, nworkers > 1 ? "" : "s",
          nworkers > 1 ? "" : "s", figures, Math.round(thresholds.pause() * 100));
      default -> log.error("{} restart{}: memory is {}, above {}% after a garbage collection; the results are "
          + "computed again elsewhere", who, nworkers > 1 ? "" : "s", figures, Math.round(thresholds.terminate() * 100));
    }
    for (Consumer<MemoryThresholds.Level> l : listeners) {
      l.accept(level);
    }
    if (level == MemoryThresholds.Level.TERMINATE) {
      CoordinatedShutdown.get(system).runAll(MemoryLimitExceeded.INSTANCE);
    }
  }

  /**
   * One worker's figures: its own results, an equal share of the JVM's unmanaged memory and of its
   * limit, and the JVM's level and counts of pauses and failed spills.
   */
  DashboardProtocol.WorkerMemory figures(ResultStore store) {
    DashboardProtocol.WorkerMemory jvm = monitor.figures();
    return new DashboardProtocol.WorkerMemory(store.memoryBytes(), store.spilledBytes(), store.spilledCount(),
        jvm.unmanagedBytes() / nworkers, thresholds.limit() / nworkers, thresholds.target(), thresholds.spill(),
        thresholds.pause(), thresholds.terminate(), jvm.paused(), store.spills(), store.unspills(), monitor.pauses(),
        monitor.spillFailures());
  }

  /** The JVM's limit: the workers' limits added up (or the maximum heap). */
  long limitBytes() {
    return thresholds.limit();
  }

  /** Stops the monitor; the workers' stores are closed as they leave. */
  @Override
  public void close() {
    monitor.close();
    gauge.close();
  }
}
