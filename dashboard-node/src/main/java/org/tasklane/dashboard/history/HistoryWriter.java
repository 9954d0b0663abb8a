package org.tasklane.dashboard.history;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Writes the run history on its own thread. The dashboard actor only calls the {@code on...}
 * methods, which enqueue and return at once (no I/O, never blocking). The queue is bounded in
 * messages and in task records; what does not fit is dropped, the runs it belonged to get a
 * {@link HistoryRecord.Gap} once the queue has room again, and the log says so once per episode.
 */
public final class HistoryWriter implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HistoryWriter.class);
  static final long TICK_MILLIS = 1000;
  /** How long {@link #close()} waits for the queue to be written. */
  static final long CLOSE_WAIT_MILLIS = 10_000;

  private sealed interface Input permits Batch, Snap, Metrics, Dropped {}

  // timeMillis: the dashboard's stamp of the message (its RecordClock), which its record carries
  private record Batch(DashboardProtocol.SchedulerEvents events, boolean gap, long timeMillis) implements Input {}

  private record Snap(DashboardProtocol.Snapshot snapshot, long timeMillis) implements Input {}

  private record Metrics(DashboardProtocol.WorkerMetrics metrics, long timeMillis) implements Input {}

  private record Dropped(Set<String> graphIds, boolean allRuns, long tasks, long messages) implements Input {}

  private final BlockingQueue<Input> queue;
  private final int maxQueuedTasks;
  private final AtomicLong queuedTasks = new AtomicLong();
  private final RunRecorder recorder;
  private final Thread thread;
  private volatile boolean stopping;

  // the producer's drop episode (the dashboard actor's thread; guarded by this)
  private final Set<String> droppedGraphs = new HashSet<>();
  private boolean droppedAll;
  private long droppedTasks;
  private long droppedMessages;

  HistoryWriter(HistoryStore store, HistorySettings settings) {
    this.queue = new ArrayBlockingQueue<>(settings.queueMessages());
    this.maxQueuedTasks = settings.queueTasks();
    this.recorder = new RunRecorder(store, settings);
    this.thread = new Thread(this::run, "tasklane-history-writer");
    this.thread.setDaemon(true);
  }

  /** Starts the writer's thread over a scanned store. */
  public static HistoryWriter start(HistoryStore store, HistorySettings settings) {
    HistoryWriter w = new HistoryWriter(store, settings);
    w.begin();
    return w;
  }

  /** Starts the thread (tests fill the queue first). */
  void begin() {
    thread.start();
  }

  /** Messages waiting in the queue. */
  int queued() {
    return queue.size();
  }

  // ------------------------------------------------------------------ the dashboard's side

  /** A scheduler batch the dashboard applied; {@code gap}: the dashboard's state saw batches missing before it. */
  public void onSchedulerEvents(DashboardProtocol.SchedulerEvents b, boolean gap) {
    onSchedulerEvents(b, gap, System.currentTimeMillis());
  }

  /**
   * A scheduler batch the dashboard applied at {@code timeMillis} (its clock's stamp: the records
   * carry it, so that a replay at a time the dashboard showed rebuilds what it showed).
   */
  public void onSchedulerEvents(DashboardProtocol.SchedulerEvents b, boolean gap, long timeMillis) {
    offer(new Batch(b, gap, timeMillis), b.tasks().size());
  }

  public void onSnapshot(DashboardProtocol.Snapshot s) {
    onSnapshot(s, System.currentTimeMillis());
  }

  public void onSnapshot(DashboardProtocol.Snapshot s, long timeMillis) {
    offer(new Snap(s, timeMillis), s.recentTasks().size());
  }

  public void onWorkerMetrics(DashboardProtocol.WorkerMetrics m) {
    onWorkerMetrics(m, System.currentTimeMillis());
  }

  public void onWorkerMetrics(DashboardProtocol.WorkerMetrics m, long timeMillis) {
    offer(new Metrics(m, timeMillis), 0);
  }

  private synchronized void offer(Input in, int tasks) {
    if (stopping) {
      return;
    }
    if (droppedMessages > 0) {
      // the episode ends once its note is in the queue, before anything newer
      if (queuedTasks.get() + tasks <= maxQueuedTasks && queue.remainingCapacity() >= 2
          && queue.offer(new Dropped(Set.copyOf(droppedGraphs), droppedAll, droppedTasks, droppedMessages))) {
        log.warn("History: the writer caught up after dropping {} message(s) ({} task records)", droppedMessages,
            droppedTasks);
        droppedGraphs.clear();
        droppedAll = false;
        droppedTasks = 0;
        droppedMessages = 0;
      } else {
        drop(in, tasks);
        return;
      }
    }
    if (queuedTasks.get() + tasks > maxQueuedTasks || !queue.offer(in)) {
      drop(in, tasks);
      return;
    }
    queuedTasks.addAndGet(tasks);
  }

  private void drop(Input in, int tasks) {
    if (droppedMessages == 0) {
      log.warn("History: the writer is behind (its queue holds {} messages / {} task records): dropping records; "
          + "the runs they belong to will be partial", queue.size(), queuedTasks.get());
    }
    droppedMessages++;
    droppedTasks += tasks;
    if (in instanceof Batch b) {
      b.events().tasks().forEach(t -> droppedGraphs.add(t.graphId()));
      b.events().graphs().forEach(g -> droppedGraphs.add(g.graphId()));
      droppedAll |= b.events().droppedTasks() > 0;
    } else if (in instanceof Snap) {
      droppedAll = true;
    }
    // dropped worker metrics cost a run nothing but a point of its worker figures
  }

  // ------------------------------------------------------------------ the writer's thread

  private void run() {
    long nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000;
    try {
      while (!stopping || !queue.isEmpty()) {
        Input in = queue.poll(Math.max(1, (nextTick - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
        if (in != null) {
          handle(in);
        }
        if (System.nanoTime() - nextTick >= 0) {
          recorder.onTick();
          nextTick = System.nanoTime() + TICK_MILLIS * 1_000_000;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.error("History: the writer stopped on an error; runs are no longer recorded", e);
    } finally {
      recorder.close();
    }
  }

  private void handle(Input in) {
    if (in instanceof Batch b) {
      queuedTasks.addAndGet(-b.events().tasks().size());
      recorder.onSchedulerEvents(b.events(), b.gap(), b.timeMillis());
    } else if (in instanceof Snap s) {
      queuedTasks.addAndGet(-s.snapshot().recentTasks().size());
      recorder.onSnapshot(s.snapshot(), s.timeMillis());
    } else if (in instanceof Metrics m) {
      recorder.onWorkerMetrics(m.metrics(), m.timeMillis());
    } else if (in instanceof Dropped d) {
      recorder.onDropped(d.graphIds(), d.allRuns(), d.tasks(), d.messages());
    }
  }

  /** Writes what is queued, closes every run (those still running stay partial) and stops the thread. */
  @Override
  public void close() {
    stopping = true;
    try {
      thread.join(CLOSE_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      log.warn("History: the writer did not finish within {} ms; runs it had open may end torn", CLOSE_WAIT_MILLIS);
    }
  }
}
