package org.tasklane.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The worker's execution threads. Each of the {@code nthreads} threads takes the next ready task
 * (lowest assignment order first), runs it, and leaves the result for the actor, which it wakes
 * at most once per batch of results. A busy thread goes from one task to the next without waiting
 * for the actor: no hand-off and no wake-up per task, which is what makes tiny tasks cheap.
 */
final class TaskLanes {
  /** A task that ran, and how. */
  record Done(PendingTask task, TaskRunner.Result result) {}

  private final PriorityBlockingQueue<PendingTask> ready =
      new PriorityBlockingQueue<>(64, (a, b) -> Long.compare(a.seq, b.seq));
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final AtomicInteger executing = new AtomicInteger();
  private final ExecutorService executor;
  private final TaskRunner runner;
  private final Runnable wakeActor;

  /**
   * @param executor runs the {@code nthreads} lane loops (each loop holds one thread for good)
   * @param wakeActor tells the actor that results are waiting; called from lane threads
   */
  TaskLanes(ExecutorService executor, int nthreads, TaskRunner runner, Runnable wakeActor) {
    this.executor = executor;
    this.runner = runner;
    this.wakeActor = wakeActor;
    for (int i = 0; i < nthreads; i++) {
      executor.execute(this::loop);
    }
  }

  /** Queues a task whose inputs are all here. */
  void submit(PendingTask task) {
    ready.add(task);
  }

  /** Tasks running now. */
  int executing() {
    return executing.get();
  }

  /** Tasks ready and waiting for a thread. */
  int queued() {
    return ready.size();
  }

  /** The results left since the last call; the next result after this wakes the actor again. */
  List<Done> drain() {
    wakePending.set(false);
    List<Done> out = new ArrayList<>();
    for (Done d; (d = done.poll()) != null; ) {
      out.add(d);
    }
    return out;
  }

  void shutdown() {
    executor.shutdownNow();
  }

  private void loop() {
    while (!Thread.currentThread().isInterrupted()) {
      PendingTask task;
      try {
        task = ready.take();
      } catch (InterruptedException e) {
        return;
      }
      executing.incrementAndGet();
      TaskRunner.Result result;
      try {
        result = runner.run(task.assignment, task.values, task.transfers);
      } catch (Throwable t) {
        result = TaskRunner.crashed(task.assignment, task.transfers, t);
      }
      done.add(new Done(task, result));
      executing.decrementAndGet();
      if (wakePending.compareAndSet(false, true)) {
        wakeActor.run();
      }
    }
  }
}
