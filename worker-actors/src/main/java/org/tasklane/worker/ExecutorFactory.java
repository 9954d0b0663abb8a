package org.tasklane.worker;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Makes the thread pool a worker runs its tasks on; injected so tests can supply their own. The
 * worker hands at most {@code nthreads} tasks to it at once and shuts it down when it stops.
 */
@FunctionalInterface
public interface ExecutorFactory {

  /** A pool for this many tasks at once. */
  ExecutorService create(int nthreads);

  /** A fixed pool of daemon threads named {@code exec-0}, {@code exec-1}, .... */
  static ExecutorFactory fixedThreadPool() {
    return nthreads -> Executors.newFixedThreadPool(nthreads, namedDaemonThreads("exec-"));
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
