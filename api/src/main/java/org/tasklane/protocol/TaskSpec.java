package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.util.List;

/**
 * One task of a {@link GraphSpec}: call function {@code fn} with {@code args}. An argument is
 * any JSON value, or {@code {"ref": KEY}} for the result of another task of the same graph.
 * Only top-level arguments are references. The arguments are kept as {@link TaskArgs} (compact
 * text), whatever list is given.
 *
 * @param retries how many times the task is run again after its function throws (or it times out);
 *     null or 0 for none
 * @param timeout seconds an attempt may run before it is interrupted and errs; null for no limit
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskSpec(String key, String fn,
    @JsonDeserialize(using = TaskArgs.Reader.class) List<JsonNode> args, String group, Integer retries, Double timeout)
    implements CborSerializable {
  /** The most {@link #retries} a task may ask for. */
  public static final int MAX_RETRIES = 100;
  /** The longest {@link #timeout} a task may ask for, in seconds (a week). */
  public static final double MAX_TIMEOUT_SECONDS = 7 * 24 * 3600;

  /** A task with no retries and no timeout. */
  public TaskSpec(String key, String fn, List<JsonNode> args, String group) {
    this(key, fn, args, group, null, null);
  }

  public TaskSpec {
    if (args != null) {
      args = TaskArgs.of(args); // a Java null in the list is a JSON null
    }
  }

  /** The argument list, never null. */
  @JsonIgnore
  public TaskArgs argsOrEmpty() {
    return args == null ? TaskArgs.EMPTY : (TaskArgs) args;
  }

  /** How many times the task may be run again after it erred: {@link #retries}, or 0. */
  @JsonIgnore
  public int retriesOrZero() {
    return retries == null ? 0 : retries;
  }

  /** {@link #timeout} in milliseconds, or 0 for none. */
  @JsonIgnore
  public long timeoutMillis() {
    return timeout == null ? 0 : Math.max(1, (long) Math.ceil(timeout * 1000));
  }

  /** The group shown on the progress bars: {@code group} if given, else {@link TaskKeys#group}. */
  @JsonIgnore
  public String groupName() {
    return group != null && !group.isEmpty() ? group : TaskKeys.group(key);
  }

  /** The keys this task refers to, in argument order (repeats kept). */
  @JsonIgnore
  public List<String> refs() {
    return argsOrEmpty().refs();
  }
}
