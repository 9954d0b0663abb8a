package org.tasklane.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskKeys;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.Transfer;
import org.tasklane.worker.code.JavaCalls;

/**
 * Runs one task on the calling thread and describes how it ended, as a {@link TaskReport} plus
 * the result value. Immutable; one instance is shared by all executor threads of a worker.
 */
final class TaskRunner {
  /** Stack frames in an error text, at most. */
  static final int MAX_FRAMES = 3;
  /** Characters of an exception message kept in an error text (reports must stay small). */
  static final int MAX_MESSAGE_CHARS = 2000;

  /** How a task ended: the report, and the value to hold if it is OK (else null). */
  record Result(TaskReport report, JsonNode value) {}

  private final FunctionRegistry registry;
  private final String workerName;
  private final long maxResultBytes;
  /** Runs {@code java:} functions; null if this runner has none. */
  private final JavaCalls javaCalls;

  TaskRunner(FunctionRegistry registry, String workerName, long maxResultBytes) {
    this(registry, workerName, maxResultBytes, null);
  }

  TaskRunner(FunctionRegistry registry, String workerName, long maxResultBytes, JavaCalls javaCalls) {
    this.registry = registry;
    this.workerName = workerName;
    this.maxResultBytes = maxResultBytes;
    this.javaCalls = javaCalls;
  }

  /** Now, in microseconds since the epoch. */
  static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }

  boolean knows(String fn) {
    return registry.get(fn) != null || (javaCalls != null && JavaCalls.isJava(fn));
  }

  /** Run the task with its inputs' values (input task id to value) on this thread. */
  Result run(TaskAssignment task, Map<Long, JsonNode> inputs, List<Transfer> transfers) {
    if (javaCalls != null && JavaCalls.isJava(task.fn())) {
      return runJava(task, inputs, transfers);
    }
    String thread = Thread.currentThread().getName();
    TaskFunction fn = registry.get(task.fn());
    if (fn == null) {
      return new Result(unknownFunction(task, transfers, nowMicros()), null);
    }
    long start = nowMicros();
    Object out;
    long stop;
    try {
      List<Object> args = arguments(task, inputs);
      start = nowMicros();
      out = fn.call(args);
      stop = nowMicros();
    } catch (Throwable t) {
      if (t instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      return new Result(new TaskReport(task.taskId(), TaskReport.Outcome.ERRED, 0, start, nowMicros(), thread,
          transfers, describe(t), List.of(), trace(t)), null);
    }
    try {
      JsonNode value = Values.toJson(out);
      long nbytes = Values.sizeOf(value);
      if (nbytes > maxResultBytes) {
        return erred(task, start, stop, thread, transfers,
            "result of " + task.key() + " is " + nbytes + " bytes, over the limit of " + maxResultBytes
                + " bytes (tasklane.worker.max-result-bytes)");
      }
      return new Result(
          new TaskReport(task.taskId(), TaskReport.Outcome.OK, nbytes, start, stop, thread, transfers, null, List.of()),
          value);
    } catch (Throwable t) {
      return erred(task, start, stop, thread, transfers, "cannot convert the result of " + task.key()
          + " (a " + out.getClass().getName() + ") to JSON: " + describe(t));
    }
  }

  /** Runs a {@code java:} function: a user's method from the graph's jars (see {@link JavaCalls}). */
  private Result runJava(TaskAssignment task, Map<Long, JsonNode> inputs, List<Transfer> transfers) {
    String thread = Thread.currentThread().getName();
    long start = nowMicros();
    JavaCalls.Outcome out = javaCalls.call(task, inputs);
    long stop = nowMicros();
    if (out instanceof JavaCalls.Threw threw) {
      return new Result(new TaskReport(task.taskId(), TaskReport.Outcome.ERRED, 0, start, stop, thread, transfers,
          threw.prefix() + describe(threw.cause()), List.of(), threw.trace()), null);
    }
    if (out instanceof JavaCalls.Failed failed) {
      return new Result(new TaskReport(task.taskId(), TaskReport.Outcome.ERRED, 0, start, stop, thread, transfers,
          failed.error(), List.of(), failed.trace()), null);
    }
    JsonNode value = ((JavaCalls.Returned) out).value();
    long nbytes = Values.sizeOf(value);
    if (nbytes > maxResultBytes) {
      return erred(task, start, stop, thread, transfers, "result of " + task.key() + " is " + nbytes
          + " bytes, over the limit of " + maxResultBytes + " bytes (tasklane.worker.max-result-bytes)");
    }
    return new Result(
        new TaskReport(task.taskId(), TaskReport.Outcome.OK, nbytes, start, stop, thread, transfers, null, List.of()),
        value);
  }

  /**
   * The report for a task whose attempt ran past its timeout: {@code timed out after 1.5s}, whatever
   * its function threw or returned after its interrupt (see {@link TaskLanes}).
   */
  static Result timedOut(TaskAssignment task, List<Transfer> transfers, long startMicros, String thread) {
    return erred(task, startMicros, nowMicros(), thread, transfers,
        "timed out after " + Watchdog.readable(task.timeoutMillis()));
  }

  /** The report for a task whose function this worker does not have. */
  TaskReport unknownFunction(TaskAssignment task, List<Transfer> transfers, long nowMicros) {
    return new TaskReport(task.taskId(), TaskReport.Outcome.ERRED, 0, nowMicros, nowMicros, "", transfers,
        "unknown function '" + task.fn() + "' on worker " + workerName, List.of());
  }

  /** The report for a task some of whose inputs no holder had. */
  static TaskReport missingData(TaskAssignment task, List<Long> missing, List<Transfer> transfers, long nowMicros) {
    Map<Long, String> keys = new HashMap<>();
    for (TaskAssignment.Input input : task.inputs()) {
      keys.put(input.taskId(), input.key());
    }
    List<String> described = new ArrayList<>(missing.size());
    for (long id : missing) {
      described.add(keys.getOrDefault(id, "?") + " (id " + id + ")");
    }
    return new TaskReport(task.taskId(), TaskReport.Outcome.MISSING_DATA, 0, nowMicros, nowMicros, "", transfers,
        "no holder had " + String.join(", ", described), missing);
  }

  /** The report for a task that crashed outside its function (a worker bug). */
  static Result crashed(TaskAssignment task, List<Transfer> transfers, Throwable t) {
    long now = nowMicros();
    return erred(task, now, now, Thread.currentThread().getName(), transfers, "worker failure: " + describe(t));
  }

  /** {@code "Name: message | at frame | at frame | at frame"}. */
  static String describe(Throwable t) {
    StringBuilder text = new StringBuilder(t.getClass().getSimpleName());
    String message = t.getMessage();
    if (message != null) {
      if (message.length() > MAX_MESSAGE_CHARS) {
        message = message.substring(0, MAX_MESSAGE_CHARS) + "...";
      }
      text.append(": ").append(message);
    }
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < Math.min(MAX_FRAMES, frames.length); i++) {
      text.append(" | at ").append(frames[i]);
    }
    return text.toString();
  }

  /**
   * The stack trace as {@code printStackTrace} prints it ({@code Caused by:} and all), without the
   * worker's own frames below the function (this class and what called it), cut to
   * {@link TaskReport#MAX_TRACE_CHARS}: what the errors page shows.
   */
  static String trace(Throwable t) {
    StackTraceElement[] frames = t.getStackTrace();
    for (int i = 0; i < frames.length; i++) {
      if (frames[i].getClassName().equals(TaskRunner.class.getName())) {
        t.setStackTrace(java.util.Arrays.copyOf(frames, i));
        break;
      }
    }
    java.io.StringWriter out = new java.io.StringWriter();
    t.printStackTrace(new java.io.PrintWriter(out));
    String text = out.toString();
    return text.length() > TaskReport.MAX_TRACE_CHARS ? text.substring(0, TaskReport.MAX_TRACE_CHARS) : text;
  }

  /** The arguments with each top-level {@code {"ref": KEY}} replaced by that input's value. */
  private static List<Object> arguments(TaskAssignment task, Map<Long, JsonNode> inputs) {
    List<JsonNode> given = task.args().decode();
    List<Object> args = new ArrayList<>(given.size());
    for (JsonNode arg : given) {
      String ref = TaskKeys.refOf(arg);
      if (ref == null) {
        args.add(Values.toJava(arg));
        continue;
      }
      JsonNode value = null;
      boolean found = false;
      for (TaskAssignment.Input input : task.inputs()) {
        if (ref.equals(input.key())) {
          value = inputs.get(input.taskId());
          found = inputs.containsKey(input.taskId());
          break;
        }
      }
      if (!found) {
        throw new IllegalArgumentException(
            "argument {\"ref\": \"" + ref + "\"} of " + task.key() + " is not among its inputs");
      }
      args.add(Values.toJava(value));
    }
    return args;
  }

  private static Result erred(
      TaskAssignment task, long start, long stop, String thread, List<Transfer> transfers, String error) {
    return new Result(
        new TaskReport(task.taskId(), TaskReport.Outcome.ERRED, 0, start, stop, thread, transfers, error, List.of()),
        null);
  }
}
