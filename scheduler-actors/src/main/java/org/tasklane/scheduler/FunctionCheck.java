package org.tasklane.scheduler;

/** Whether the registered workers know every function a graph calls ({@link TaskTable#checkFunctions}). */
public sealed interface FunctionCheck {

  /** Every function is known to some worker, or no worker is registered yet (one may bring them). */
  record Known() implements FunctionCheck {}

  /** A function no registered worker knows; {@code message} names it, its task and what the workers know. */
  record Unknown(String message) implements FunctionCheck {}

  FunctionCheck KNOWN = new Known();
}
