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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record GraphSpec(String name, List<TaskSpec> tasks, List<String> want) implements CborSerializable {
  public GraphSpec {
    tasks = tasks == null ? null : List.copyOf(tasks);
    want = want == null ? null : List.copyOf(want);
  }
}
