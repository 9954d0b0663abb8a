package org.tasklane.worker.memory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.worker.HeldResults;
import org.tasklane.worker.ResultStore;

/**
 * Keeps a worker inside its memory limit, on a thread of its own (spill files are written there,
 * never on the actor's thread): every interval it measures managed memory (the store's results in
 * memory) and process memory (managed plus {@link UnmanagedMemory}), spills what {@link
 * MemoryThresholds} says, and tells the worker when its level changes (run, pause, restart).
 *
 * <p>Disk trouble (full, unwritable, the folder at its bound) leaves the result in memory, logs one
 * warning line per spell of failures, and waits {@link #RETRY_AFTER} before trying again; meanwhile
 * the worker pauses if its memory says so. A restart is decided only on figures taken after a fresh
 * collection: garbage never restarts a worker. Collections are asked for at most once a second,
 * only while the worker is paused or its heap in use, garbage and all, is past the pause line: a
 * task that allocates much between two collections is seen within about a second.
 */
public final class MemoryMonitor implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(MemoryMonitor.class);

  /** After a failed spill, how long before the next attempt. */
  static final Duration RETRY_AFTER = Duration.ofSeconds(5);
  /** While paused or past the pause line, at most one requested collection per this. */
  static final Duration COLLECT_EVERY = Duration.ofSeconds(1);

  private final String worker;
  private final HeldResults store;
  private final UnmanagedMemory unmanaged;
  private final MemoryThresholds thresholds;
  private final BiConsumer<MemoryThresholds.Level, DashboardProtocol.WorkerMemory> onLevel;
  private final ScheduledExecutorService thread;
  private final java.util.concurrent.atomic.AtomicBoolean checkPending = new java.util.concurrent.atomic.AtomicBoolean();

  // written by the monitor's thread only; read by others for the figures
  private volatile MemoryThresholds.Level level = MemoryThresholds.Level.RUNNING;
  private volatile long pauses;
  private volatile long spillFailures;
  /** After a failed spill: no attempt before {@link #retryAtNanos}. */
  private boolean failing;
  private long retryAtNanos;
  private long lastCollectNanos = Long.MIN_VALUE / 2;
  /** The collection count when the process memory was first seen above the restart line; -1 if it is not. */
  private long terminateSeenAt = -1;

  /**
   * @param onLevel told of each change of level, with the figures that made it, on the monitor's thread
   */
  public MemoryMonitor(String worker, HeldResults store, UnmanagedMemory unmanaged, MemoryThresholds thresholds,
      BiConsumer<MemoryThresholds.Level, DashboardProtocol.WorkerMemory> onLevel) {
    this.worker = worker;
    this.store = store;
    this.unmanaged = unmanaged;
    this.thresholds = thresholds;
    this.onLevel = onLevel;
    this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "memory-monitor");
      t.setDaemon(true);
      return t;
    });
  }

  /** Checks every {@code interval} from now on. */
  public MemoryMonitor start(Duration interval) {
    thread.scheduleWithFixedDelay(() -> {
      try {
        check(System.nanoTime());
      } catch (RuntimeException e) {
        log.warn("Worker {}: the memory check failed: {}", worker, e.toString());
      }
    }, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** One check (the monitor's thread calls it; tests call it directly, with their own clock). */
  void check(long nowNanos) {
    long managed = store.memoryBytes();
    long wanted = thresholds.bytesToSpill(managed, managed + unmanaged.unmanagedBytes());
    if (wanted > 0 && (!failing || nowNanos - retryAtNanos >= 0)) {
      spill(wanted, nowNanos);
    }
    long process = store.memoryBytes() + unmanaged.unmanagedBytes();
    MemoryThresholds.Level now = thresholds.level(process);
    if (now == MemoryThresholds.Level.TERMINATE && !confirmed()) {
      now = MemoryThresholds.Level.PAUSED; // until a collection says the heap is really that full
    } else if (now != MemoryThresholds.Level.TERMINATE) {
      terminateSeenAt = -1;
    }
    // paused, or the heap in use (garbage and all) past the pause line: a collection tells which it is
    boolean suspect = now != MemoryThresholds.Level.RUNNING
        || thresholds.level(unmanaged.heapUsedNow()) != MemoryThresholds.Level.RUNNING;
    if (suspect && nowNanos - lastCollectNanos >= COLLECT_EVERY.toNanos()) {
      lastCollectNanos = nowNanos;
      unmanaged.collect();
    }
    if (now != level) {
      if (now == MemoryThresholds.Level.PAUSED && level == MemoryThresholds.Level.RUNNING) {
        pauses++;
      }
      level = now;
      onLevel.accept(now, figures());
    }
  }

  /** Above the restart line: true once a collection since it was first seen there agrees. */
  private boolean confirmed() {
    long collections = unmanaged.collections();
    if (terminateSeenAt < 0) {
      terminateSeenAt = collections;
      return false;
    }
    return collections > terminateSeenAt;
  }

  private void spill(long wanted, long nowNanos) {
    ResultStore.SpillOutcome out = store.spill(wanted);
    if (out.failure() == null) {
      failing = false;
      return;
    }
    spillFailures++;
    retryAtNanos = nowNanos + RETRY_AFTER.toNanos();
    if (!failing) {
      failing = true;
      log.warn("Worker {}: cannot spill results to disk ({}); they stay in memory, and the worker pauses if its "
          + "memory reaches {}% of its limit", worker, out.failure().getMessage(), Math.round(thresholds.pause() * 100));
    }
  }

  /** The worker's level now. */
  public MemoryThresholds.Level level() {
    return level;
  }

  /**
   * A result was just stored: check now rather than at the next interval, so that a worker whose
   * tasks make results faster than one interval's worth spills (and pauses) in step with them.
   * At most one such check waits at a time; any thread may call it.
   */
  public void checkSoon() {
    long managed = store.memoryBytes();
    if (thresholds.bytesToSpill(managed, managed + unmanaged.unmanagedBytes()) == 0
        && level == MemoryThresholds.Level.RUNNING) {
      return; // nothing to spill nor to pause for: the interval's check is enough (the common case, and cheap)
    }
    if (!checkPending.compareAndSet(false, true)) {
      return;
    }
    try {
      thread.execute(() -> {
        checkPending.set(false);
        try {
          check(System.nanoTime());
        } catch (RuntimeException e) {
          log.warn("Worker {}: the memory check failed: {}", worker, e.toString());
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException closed) {
      checkPending.set(false); // stopping
    }
  }

  /** Times the level went from running to paused since start. */
  public long pauses() {
    return pauses;
  }

  /** Spills that failed since start. */
  public long spillFailures() {
    return spillFailures;
  }

  /** The figures for the worker's metrics. */
  public DashboardProtocol.WorkerMemory figures() {
    long managed = store.memoryBytes();
    return new DashboardProtocol.WorkerMemory(managed, store.spilledBytes(), store.spilledCount(),
        unmanaged.unmanagedBytes(), thresholds.limit(), thresholds.target(), thresholds.spill(), thresholds.pause(),
        thresholds.terminate(), level != MemoryThresholds.Level.RUNNING, store.spills(), store.unspills(), pauses,
        spillFailures);
  }

  /** Stops checking (waits for a check under way, so the store can be closed after). */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
