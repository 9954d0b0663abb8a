package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One task the scheduler hands to a worker.
 *
 * @param taskId the scheduler's id for the task (unique across graphs)
 * @param key the user's key, for reports and errors
 * @param group the task's group
 * @param fn the function name
 * @param args the arguments, as the text they came in; {@code {"ref": KEY}} entries are filled in from
 *     {@code inputs}
 * @param inputs where each referenced result is held
 * @param code the SHA-256 digests of the jars (its graph's {@link GraphSpec#code}) whose classes a
 *     {@code java:} function needs, empty for none
 * @param timeoutMillis how long the attempt may run before it is interrupted and errs, 0 for no limit
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY) // one per task assigned: no field names on the wire
@JsonPropertyOrder({"taskId", "key", "group", "fn", "args", "inputs", "code", "timeoutMillis"})
public record TaskAssignment(
    long taskId, String key, String group, String fn, TaskArgs args, List<Input> inputs, List<String> code,
    long timeoutMillis)
    implements CborSerializable {
  /** A task of built-in functions, with no time limit. */
  public TaskAssignment(long taskId, String key, String group, String fn, List<JsonNode> args, List<Input> inputs) {
    this(taskId, key, group, fn, TaskArgs.of(args), inputs, List.of(), 0);
  }

  public TaskAssignment {
    args = args == null ? TaskArgs.EMPTY : args;
    inputs = List.copyOf(inputs);
    code = code == null ? List.of() : List.copyOf(code);
  }

  /**
   * One input of a task: a result held by one or more workers.
   *
   * @param taskId the id of the task that produced it
   * @param key that task's key
   * @param nbytes its size as reported by the worker that computed it
   * @param holders the data endpoints of the workers that hold it
   */
  @JsonFormat(shape = JsonFormat.Shape.ARRAY)
  @JsonPropertyOrder({"taskId", "key", "nbytes", "holders"})
  public record Input(long taskId, String key, long nbytes, List<ActorRef<WorkerProtocol.DataCommand>> holders)
      implements CborSerializable {
    public Input {
      holders = List.copyOf(holders);
    }
  }
}
