package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A task graph as a user submits it (the JSON body of {@code POST /api/v1/graphs}).
 *
 * @param name a label for people (optional)
 * @param tasks the tasks, each with a key unique in this graph
 * @param want the keys whose results the client will read; when absent, every task that no
 *     other task depends on
 * @param code the SHA-256 digests (64 lower-case hex digits) of the jars, uploaded to the scheduler
 *     beforehand, whose classes this graph's {@code java:} functions need; null or empty for none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphSpec(String name, List<TaskSpec> tasks, List<String> want, List<String> code)
    implements CborSerializable {
  /** A graph of built-in (or classpath) functions only. */
  public GraphSpec(String name, List<TaskSpec> tasks, List<String> want) {
    this(name, tasks, want, null);
  }

  public GraphSpec {
    tasks = tasks == null ? null : List.copyOf(tasks);
    want = want == null ? null : List.copyOf(want);
    code = code == null || code.isEmpty() ? null : List.copyOf(code);
  }

  /** The jars' digests, never null. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public List<String> codeOrEmpty() {
    return code == null ? List.of() : code;
  }
}
