package org.tasklane.client;

import java.util.concurrent.CompletableFuture;

/**
 * The result of one task, once it is computed: completes with the value decoded into the task's
 * declared result type, or exceptionally with a {@link TaskFailedException} (or a
 * {@link TasklaneException} if the scheduler could not be reached). Cancelling it does not cancel
 * the task; {@link GraphRun#cancel()} does.
 *
 * @param <T> the result's type
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
  private final String key;

  TaskFuture(String key) {
    this.key = key;
  }

  /** The task's key. */
  public String key() {
    return key;
  }

  @Override
  public <U> CompletableFuture<U> newIncompleteFuture() {
    return new CompletableFuture<>(); // what thenApply & co. return: a plain future
  }

  @Override
  public String toString() {
    return "TaskFuture[" + key + ", " + (isDone() ? (isCompletedExceptionally() ? "failed" : "done") : "running") + "]";
  }
}
