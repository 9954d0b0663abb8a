package org.tasklane.worker;

import java.util.List;

/**
 * A function tasks can call by name. Implementations are found with {@link java.util.ServiceLoader}:
 * a jar on the worker's classpath with a {@code META-INF/services/org.tasklane.worker.TaskFunction}
 * file listing its classes adds functions. Each implementation needs a public no-argument
 * constructor and must be safe to call from several threads at once.
 *
 * <p>Arguments arrive converted by {@link Values#toJava}: integral numbers as {@link Long},
 * floating ones as {@link Double}, text as {@link String}, binary as {@code byte[]}, arrays as
 * {@link List}, objects as {@link java.util.Map}, JSON null as {@code null}. The result goes back
 * through {@link Values#toJson}.
 */
public interface TaskFunction {

  /** The name tasks use in their {@code fn} field; unique on a worker. */
  String name();

  /**
   * Compute the result. Throw {@link IllegalArgumentException} with a one-line message for bad
   * arguments; any exception makes the task erred.
   */
  Object call(List<Object> args) throws Exception;
}
