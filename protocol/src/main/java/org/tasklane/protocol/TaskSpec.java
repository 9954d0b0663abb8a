package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One task of a {@link GraphSpec}: call function {@code fn} with {@code args}. An argument is
 * any JSON value, or {@code {"ref": KEY}} for the result of another task of the same graph.
 * Only top-level arguments are references.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(String key, String fn, List<JsonNode> args, String group) implements CborSerializable {
  public TaskSpec {
    // Jackson gives null for a JSON null argument; keep it as a JSON null, not a Java null.
    if (args != null) {
      List<JsonNode> copy = new ArrayList<>(args.size());
      for (JsonNode a : args) {
        copy.add(a == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : a);
      }
      args = Collections.unmodifiableList(copy);
    }
  }

  /** The argument list, never null. */
  @JsonIgnore
  public List<JsonNode> argsOrEmpty() {
    return args == null ? List.of() : args;
  }

  /** The group shown on the progress bars: {@code group} if given, else {@link TaskKeys#group}. */
  @JsonIgnore
  public String groupName() {
    return group != null && !group.isEmpty() ? group : TaskKeys.group(key);
  }

  /** The keys this task refers to, in argument order (repeats kept). */
  @JsonIgnore
  public List<String> refs() {
    List<String> refs = new ArrayList<>();
    for (JsonNode a : argsOrEmpty()) {
      String r = TaskKeys.refOf(a);
      if (r != null) {
        refs.add(r);
      }
    }
    return refs;
  }
}
