package org.tasklane.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * An executor that runs nothing by itself: it keeps what it is handed until the test runs it on
 * the test's thread, and remembers the most it ever held at once.
 */
final class TestingExecutor extends AbstractExecutorService {
  private final BlockingQueue<Runnable> handed = new LinkedBlockingQueue<>();
  private volatile boolean shutdown;
  private volatile int mostHeld;
  private volatile int nthreadsAsked;

  /** A factory that returns this executor and records the thread count it was asked for. */
  ExecutorFactory factory() {
    return nthreads -> {
      nthreadsAsked = nthreads;
      return this;
    };
  }

  @Override
  public synchronized void execute(Runnable command) {
    if (shutdown) {
      throw new RejectedExecutionException("shut down");
    }
    handed.add(command);
    mostHeld = Math.max(mostHeld, handed.size());
  }

  /** Run the oldest runnable handed over on this thread; false if there is none. */
  boolean runNext() {
    Runnable next;
    synchronized (this) {
      next = handed.poll();
    }
    if (next == null) {
      return false;
    }
    next.run();
    return true;
  }

  int held() {
    return handed.size();
  }

  int mostHeld() {
    return mostHeld;
  }

  int nthreadsAsked() {
    return nthreadsAsked;
  }

  @Override
  public void shutdown() {
    shutdown = true;
  }

  @Override
  public List<Runnable> shutdownNow() {
    shutdown = true;
    List<Runnable> left = new ArrayList<>();
    handed.drainTo(left);
    return left;
  }

  @Override
  public boolean isShutdown() {
    return shutdown;
  }

  @Override
  public boolean isTerminated() {
    return shutdown;
  }

  @Override
  public boolean awaitTermination(long timeout, TimeUnit unit) {
    return shutdown;
  }
}
