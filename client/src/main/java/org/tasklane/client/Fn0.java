package org.tasklane.client;

import java.io.Serializable;

/**
 * A function of 0 arguments that Tasklane can run on its workers: a static method reference
 * ({@code WordCount::count}), a bound or unbound method reference, a constructor reference, a
 * lambda, or an object of a class that implements this. It is serializable only so that the client
 * can see which method it is; the method itself runs on a worker, its arguments and result encoded
 * by {@link org.tasklane.client.codec.ValueCodec}.
 *
 * @param <R> the type of the result
 */
@FunctionalInterface
public interface Fn0<R> extends Serializable {
  /** Computes the result. Any exception fails the task (and, after its retries, its future). */
  R apply() throws Exception;
}
