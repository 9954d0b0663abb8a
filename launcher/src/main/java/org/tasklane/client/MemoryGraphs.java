package org.tasklane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * Graphs whose results do not fit in the workers' memory, for the memory test and {@code bench/memory}.
 */
public final class MemoryGraphs {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private MemoryGraphs() {}

  /**
   * {@code loads} tasks {@code load-i = bytes(loadBytes, i)}, then {@code loads / fanIn} reductions
   * {@code check-j = checksum(load-j, load-(j + s), load-(j + 2s), ...)} with stride {@code s = loads / fanIn},
   * then {@code total = sum(check-*)}. The stride makes every reduction wait for loads from all
   * over the graph, so most loads are held at once (as a wide graph of loads does without
   * root-task queuing): {@code loads * loadBytes} in results. Its answer is {@link #total}.
   *
   * @throws IllegalArgumentException unless {@code fanIn} divides {@code loads}
   */
  public static GraphSpec spill(int loads, int loadBytes, int fanIn) {
    if (loads < 1 || fanIn < 1 || loads % fanIn != 0) {
      throw new IllegalArgumentException("fanIn must divide loads, got " + loads + " loads and fanIn " + fanIn);
    }
    List<TaskSpec> tasks = new ArrayList<>(loads + loads / fanIn + 1);
    for (int i = 0; i < loads; i++) {
      tasks.add(new TaskSpec("load-" + i, "bytes", List.of(JSON.numberNode(loadBytes), JSON.numberNode(i)), null));
    }
    int stride = loads / fanIn;
    List<JsonNode> checks = new ArrayList<>(stride);
    for (int j = 0; j < stride; j++) {
      List<JsonNode> args = new ArrayList<>(fanIn);
      for (int k = 0; k < fanIn; k++) {
        args.add(ref("load-" + (j + k * stride)));
      }
      tasks.add(new TaskSpec("check-" + j, "checksum", args, null));
      checks.add(ref("check-" + j));
    }
    tasks.add(new TaskSpec("total", "sum", checks, null));
    return new GraphSpec("spill-" + loads + "x" + loadBytes, tasks, List.of("total"));
  }

  /** The answer of {@link #spill}: every byte of every load (built-in {@code bytes}: byte i is {@code i % 251}). */
  public static long total(int loads, int loadBytes) {
    long whole = loadBytes / 251;
    long one = whole * (250L * 251 / 2);
    for (int i = 0; i < loadBytes % 251; i++) {
      one += i;
    }
    return one * loads;
  }

  private static JsonNode ref(String key) {
    return JSON.objectNode().put("ref", key);
  }
}
