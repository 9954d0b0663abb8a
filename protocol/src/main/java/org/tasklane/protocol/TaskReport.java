package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * What a worker reports about one task it was given: it finished, it threw, or it could not get
 * its inputs. Workers send these in batches ({@link SchedulerProtocol.TasksFinished}).
 *
 * @param taskId the scheduler's id for the task
 * @param outcome how it ended
 * @param nbytes the size of the result held (0 unless {@code OK})
 * @param startMicros when it started to run, after its inputs arrived (epoch microseconds)
 * @param stopMicros when it stopped (epoch microseconds)
 * @param thread the name of the executor thread it ran on
 * @param transfers the inputs fetched from peers for it (each is now also held by this worker)
 * @param error the exception's message and a short stack summary ({@code ERRED}), or what was missing
 * @param missing the ids of the inputs no holder had ({@code MISSING_DATA})
 * @param trace the full stack trace of the exception the function threw, as Java prints it (at most
 *     {@link #MAX_TRACE_CHARS}), or null
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY) // one per task run: no field names on the wire
@JsonPropertyOrder({"taskId", "outcome", "nbytes", "startMicros", "stopMicros", "thread", "transfers", "error", "missing",
    "trace"})
public record TaskReport(
    long taskId,
    Outcome outcome,
    long nbytes,
    long startMicros,
    long stopMicros,
    String thread,
    List<Transfer> transfers,
    String error,
    List<Long> missing,
    String trace)
    implements CborSerializable {
  /** The longest {@link #trace} a report carries. */
  public static final int MAX_TRACE_CHARS = 16 * 1024;

  /** A report with no stack trace. */
  public TaskReport(long taskId, Outcome outcome, long nbytes, long startMicros, long stopMicros, String thread,
      List<Transfer> transfers, String error, List<Long> missing) {
    this(taskId, outcome, nbytes, startMicros, stopMicros, thread, transfers, error, missing, null);
  }

  public TaskReport {
    transfers = List.copyOf(transfers);
    missing = List.copyOf(missing);
  }

  /** How a task ended on a worker. */
  public enum Outcome {
    /** It ran and its result is held by the worker. */
    OK,
    /** Its function threw. */
    ERRED,
    /** An input could not be fetched from any holder; the scheduler reschedules it. */
    MISSING_DATA
  }
}
