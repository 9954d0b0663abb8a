package org.tasklane.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the thread pool a worker runs its tasks on; injected so tests can supply their own. The
 * worker hands it one long-running lane loop per thread, plus one for each lane whose thread a
 * timed-out function keeps (see {@link TaskLanes}), and shuts it down when it stops.
 */
@FunctionalInterface
public interface ExecutorFactory {

  /** A pool for this many tasks at once. */
  ExecutorService create(int nthreads);

  /**
   * A pool of daemon threads named {@code exec-0}, {@code exec-1}, ...: {@code nthreads} of them, one
   * per lane, and one more (numbered on) for each lane whose thread a stuck function keeps.
   */
  static ExecutorFactory fixedThreadPool() {
    return nthreads -> new ThreadPoolExecutor(nthreads, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
        new SynchronousQueue<>(), namedDaemonThreads("exec-"));
  }

  /** Daemon threads named {@code prefix0}, {@code prefix1}, .... */
  static ThreadFactory namedDaemonThreads(String prefix) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread t = new Thread(runnable, prefix + next.getAndIncrement());
      t.setDaemon(true);
      return t;
    };
  }
}
