package org.tasklane.worker;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.worker.inspect.TaskThreads;

/**
 * The worker's execution threads. Each of the {@code nthreads} threads takes the next ready task
 * (lowest assignment order first), runs it, and leaves the result for the actor, which it wakes
 * at most once per batch of results. A busy thread goes from one task to the next without waiting
 * for the actor: no hand-off and no wake-up per task, which is what makes tiny tasks cheap.
 *
 * <p>A task with a timeout is watched by the worker's one {@link Watchdog}. Past its limit, its
 * thread is interrupted and the task is reported as timed out at once, whatever the function does
 * next; what the function returns after that is dropped. A function that ignores the interrupt
 * keeps its thread (Java cannot take it back): if it has not returned {@link #STUCK_AFTER} after
 * its interrupt, its lane goes on with a new thread, and the stuck one ends as soon as the function
 * returns. At most {@code nthreads} threads are left to stuck functions at once; past that, a
 * lane waits for its thread. A function that never returns holds its thread until the worker stops
 * (the threads are daemons: they do not keep the process alive).
 */
final class TaskLanes {
  private static final Logger log = LoggerFactory.getLogger(TaskLanes.class);

  /** A task that ran, and how. */
  record Done(PendingTask task, TaskRunner.Result result) {}

  /** How long a timed-out function may take to return after its interrupt before its lane gets a new thread. */
  static final Duration STUCK_AFTER = Duration.ofSeconds(1);

  private final PriorityBlockingQueue<PendingTask> ready =
      new PriorityBlockingQueue<>(64, (a, b) -> Long.compare(a.seq, b.seq));
  private final ConcurrentLinkedQueue<Done> done = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean wakePending = new AtomicBoolean();
  private final AtomicInteger executing = new AtomicInteger();
  private final ExecutorService executor;
  private final TaskRunner runner;
  private final Runnable wakeActor;
  private final Watchdog watchdog;
  private final int maxStuck;
  /** Threads left to functions that ignored their timeout's interrupt (their lanes have new ones). */
  private final AtomicInteger stuck = new AtomicInteger();
  /** The lane threads and what each runs now (thread dumps, the running tasks, log lines' tasks). */
  private final TaskThreads threads;
  /** Closed while the worker is paused for memory: no lane starts a task. */
  private final LaneGate gate = new LaneGate();

  /**
   * @param executor runs the {@code nthreads} lane loops (each loop holds one thread for good), and
   *     one more loop for each lane whose thread a timed-out function keeps
   * @param wakeActor tells the actor that results are waiting; called from lane and watchdog threads
   */
  TaskLanes(ExecutorService executor, int nthreads, TaskRunner runner, Runnable wakeActor) {
    this(executor, nthreads, runner, wakeActor, 0);
  }

  /** @param timelineSize entries of each lane's task timeline for the profiler (a power of two), or 0 for none */
  TaskLanes(ExecutorService executor, int nthreads, TaskRunner runner, Runnable wakeActor, int timelineSize) {
    this.threads = new TaskThreads(timelineSize);
    this.executor = executor;
    this.runner = runner;
    this.wakeActor = wakeActor;
    this.watchdog = new Watchdog("watchdog");
    this.maxStuck = nthreads;
    for (int i = 0; i < nthreads; i++) {
      executor.execute(this::loop);
    }
  }

  /** Queues a task whose inputs are all here. */
  void submit(PendingTask task) {
    ready.add(task);
  }

  /** Paused (no lane starts another task) or not; the tasks running go on. */
  void pause(boolean paused) {
    if (paused) {
      gate.close();
    } else {
      gate.open();
    }
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

  /** Threads left to functions that ignored their timeout (their lanes run on new threads). */
  int stuck() {
    return stuck.get();
  }

  /** The lane threads and what each runs now. */
  TaskThreads threads() {
    return threads;
  }

  void shutdown() {
    watchdog.close();
    executor.shutdownNow();
  }

  private void loop() {
    TaskThreads.Lane lane = threads.enter();
    try {
      loop(lane);
    } finally {
      threads.leave(lane);
    }
  }

  private void loop(TaskThreads.Lane lane) {
    while (!Thread.currentThread().isInterrupted()) {
      PendingTask task;
      try {
        gate.awaitOpen();
        task = ready.take();
        if (gate.isClosed()) { // paused while this lane waited for a task: it waits for the resume first
          ready.add(task);
          continue;
        }
      } catch (InterruptedException e) {
        return;
      }
      executing.incrementAndGet();
      long timeout = task.assignment.timeoutMillis();
      long startMicros = TaskRunner.nowMicros();
      Watchdog.Attempt attempt = timeout > 0 ? watchdog.watch(timeout, a -> timedOut(task, a, startMicros)) : null;
      TaskRunner.Result result;
      lane.running(task.assignment, startMicros);
      try {
        task.readSpilled();
        result = runner.run(task.assignment, task.values, task.transfers);
      } catch (Throwable t) {
        result = TaskRunner.crashed(task.assignment, task.transfers, t);
      } finally {
        lane.idle();
      }
      Watchdog.Ending ending = attempt == null ? Watchdog.Ending.IN_TIME : attempt.finish();
      if (ending == Watchdog.Ending.IN_TIME) {
        finished(task, result);
      } else if (ending == Watchdog.Ending.ABANDONED) {
        stuck.decrementAndGet();
        log.info("The function of task {} returned {} after its timeout; its thread {} ends (its lane has another)",
            task.assignment.key(), Watchdog.readable((TaskRunner.nowMicros() - startMicros) / 1000 - timeout),
            Thread.currentThread().getName());
        return;
      } // else late: reported as timed out already, what it returned is dropped; this thread goes on
    }
  }

  private void finished(PendingTask task, TaskRunner.Result result) {
    done.add(new Done(task, result));
    executing.decrementAndGet();
    if (wakePending.compareAndSet(false, true)) {
      wakeActor.run();
    }
  }

  /** On the watchdog's thread: the attempt ran past its limit (its thread was interrupted). */
  private void timedOut(PendingTask task, Watchdog.Attempt attempt, long startMicros) {
    finished(task, TaskRunner.timedOut(task.assignment, task.transfers, startMicros, attempt.thread.getName()));
    watchdog.later(STUCK_AFTER, () -> replaceIfStuck(task, attempt));
  }

  /** On the watchdog's thread: the function still has not returned; its lane goes on with a new thread. */
  private void replaceIfStuck(PendingTask task, Watchdog.Attempt attempt) {
    if (stuck.get() >= maxStuck) {
      log.warn("The function of task {} ignores its interrupt {} after its timeout; {} threads are stuck already, "
          + "so its lane waits for its thread {}", task.assignment.key(), Watchdog.readable(STUCK_AFTER.toMillis()),
          stuck.get(), attempt.thread.getName());
      return;
    }
    if (!attempt.abandon()) {
      return; // it came back
    }
    stuck.incrementAndGet();
    try {
      executor.execute(this::loop);
    } catch (RejectedExecutionException e) {
      return; // stopping
    }
    log.warn("The function of task {} ignores its interrupt {} after its timeout: its thread {} is left to it "
        + "until it returns, and its lane goes on with a new thread ({} stuck)", task.assignment.key(),
        Watchdog.readable(STUCK_AFTER.toMillis()), attempt.thread.getName(), stuck.get());
  }
}
