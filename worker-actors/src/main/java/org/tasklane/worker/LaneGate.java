package org.tasklane.worker;

/**
 * Whether the task lanes may start another task: closed while the worker is paused for memory, so
 * that tasks already handed to the lanes wait too, not only new assignments (a paused Dask worker
 * runs nothing new either). A task running when it closes runs to its end.
 */
final class LaneGate {
  private boolean closed;

  synchronized void close() {
    closed = true;
  }

  synchronized void open() {
    closed = false;
    notifyAll();
  }

  synchronized boolean isClosed() {
    return closed;
  }

  /** Returns at once while open; else waits until it opens. */
  synchronized void awaitOpen() throws InterruptedException {
    while (closed) {
      wait();
    }
  }
}
