package org.tasklane.client;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.Objects;

/**
 * The result of one task of a {@link Graph}, to pass to other tasks of the same graph or to read
 * with {@link Tasklane#run}. A ref is a name, not a value: the value stays on the worker that
 * computed it until a task or the client needs it.
 *
 * <p>The task's options are set on its ref: {@code g.call(Files::readString, path).retries(2)}.
 *
 * @param <T> the type of the result
 */
public final class Ref<T> {
  private final Graph graph;
  private final Graph.TaskEntry task;

  Ref(Graph graph, Graph.TaskEntry task) {
    this.graph = graph;
    this.task = task;
  }

  /** The task's key in its graph (unique there; shown on the dashboard). */
  public String key() {
    return task.key;
  }

  /** The task's group: the function's name, e.g. {@code WordCount.count}. */
  public String group() {
    return task.group;
  }

  /** The graph this task belongs to. */
  public Graph graph() {
    return graph;
  }

  /** The declared type of the result, into which it is decoded. */
  public Type type() {
    return task.resultType;
  }

  /**
   * Runs the task again, up to {@code retries} times, if its function throws or times out (each
   * attempt shows in the task stream). Default 0.
   */
  public Ref<T> retries(int retries) {
    if (retries < 0 || retries > 100) {
      throw new IllegalArgumentException("retries must be from 0 to 100, got " + retries);
    }
    graph.checkOpen();
    task.retries = retries;
    return this;
  }

  /** Interrupts an attempt that runs longer than {@code timeout}; it then errs with {@code timed out after ...}. */
  public Ref<T> timeout(Duration timeout) {
    Objects.requireNonNull(timeout, "timeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofDays(7)) > 0) {
      throw new IllegalArgumentException("the timeout must be above 0 and at most 7 days, got " + timeout);
    }
    graph.checkOpen();
    task.timeout = timeout;
    return this;
  }

  /** Gives the task a key of your choice instead of the generated one (unique in the graph). */
  public Ref<T> key(String key) {
    graph.rename(task, key);
    return this;
  }

  @Override
  public String toString() {
    return "Ref[" + task.key + "]";
  }
}
