package org.tasklane.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/** Built-in graphs for demos, benchmarks and tests ({@code tasklane submit demo:NAME[:N]}). */
public final class DemoGraphs {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private DemoGraphs() {}

  /** The names {@link #byName} knows, for help texts. */
  public static final String NAMES = "tree[:LEAVES], inc[:N], chain[:LINKS], mixed";

  /** A demo graph by name: {@code tree}, {@code tree:5000}, {@code inc:50000}, {@code chain:1000}, {@code mixed}. */
  public static GraphSpec byName(String spec) {
    String[] parts = spec.split(":", 2);
    int n;
    try {
      n = parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("bad size in demo '" + spec + "'; known demos: " + NAMES);
    }
    return switch (parts[0]) {
      case "tree" -> tree(n > 0 ? n : 5000);
      case "inc" -> independent(n > 0 ? n : 10000);
      case "chain" -> chain(n > 0 ? n : 1000);
      case "mixed" -> mixed(1);
      default -> throw new IllegalArgumentException("unknown demo '" + parts[0] + "'; known demos: " + NAMES);
    };
  }

  /**
   * A tree reduction: {@code leaves} tasks {@code inc-i = inc(i)}, then pairwise {@code sum}s
   * level by level down to one task {@code total}. Its result is {@link #treeSum(int)}; it has
   * about {@code 2 * leaves} tasks.
   */
  public static GraphSpec tree(int leaves) {
    return tree(leaves, 0);
  }

  /**
   * {@link #tree} whose leaves are {@code slowinc(i, delaySeconds)} (busy for that long) when the
   * delay is positive; the same result.
   */
  public static GraphSpec tree(int leaves, double delaySeconds) {
    List<TaskSpec> tasks = new ArrayList<>(2 * leaves);
    List<String> level = new ArrayList<>(leaves);
    for (int i = 0; i < leaves; i++) {
      String key = "inc-" + i;
      tasks.add(delaySeconds > 0
          ? task(key, "slowinc", JSON.numberNode(i), JSON.numberNode(delaySeconds))
          : task(key, "inc", JSON.numberNode(i)));
      level.add(key);
    }
    int depth = 0;
    while (level.size() > 1) {
      depth++;
      List<String> next = new ArrayList<>((level.size() + 1) / 2);
      for (int i = 0; i < level.size(); i += 2) {
        boolean last = level.size() <= 2;
        String key = last ? "total" : "sum-" + depth + "-" + (i / 2);
        if (i + 1 < level.size()) {
          tasks.add(task(key, "sum", ref(level.get(i)), ref(level.get(i + 1))));
        } else {
          tasks.add(task(key, "sum", ref(level.get(i))));
        }
        next.add(key);
      }
      level = next;
    }
    if (leaves == 1) {
      tasks.add(task("total", "sum", ref("inc-0")));
    }
    return new GraphSpec("tree-" + leaves, tasks, List.of("total"));
  }

  /** The result of {@link #tree}: the sum of i + 1 for i below leaves. */
  public static long treeSum(int leaves) {
    return (long) leaves * (leaves + 1) / 2;
  }

  /** {@code n} independent tasks {@code inc-i = inc(i)}; every result is wanted. */
  public static GraphSpec independent(int n) {
    List<TaskSpec> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(task("inc-" + i, "inc", JSON.numberNode(i)));
    }
    return new GraphSpec("inc-" + n, tasks, null);
  }

  /**
   * A chain of {@code links} tasks, each waiting for the one before: {@code link-0 = inc(0)}, {@code
   * link-i = inc(link-(i-1))}; only {@code last} is wanted, and its result is {@code links}. What it
   * measures is the scheduler's turn-around per task: nothing runs in parallel.
   */
  public static GraphSpec chain(int links) {
    List<TaskSpec> tasks = new ArrayList<>(links);
    for (int i = 0; i < links; i++) {
      String key = i == links - 1 ? "last" : "link-" + i;
      tasks.add(i == 0 ? task(key, "inc", JSON.numberNode(0)) : task(key, "inc", ref("link-" + (i - 1))));
    }
    return new GraphSpec("chain-" + links, tasks, List.of("last"));
  }

  /**
   * The demo workload that makes every dashboard panel move: payloads that move between workers,
   * busy tasks, a reduction, and two failing tasks whose dependents err. {@code round} varies the keys.
   */
  public static GraphSpec mixed(int round) {
    List<TaskSpec> tasks = new ArrayList<>();
    List<JsonNode> totalArgs = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      tasks.add(task("load-" + i, "bytes", JSON.numberNode(100_000 + 10_000 * i)));
      tasks.add(task("size-" + i, "len", ref("load-" + i)));
      totalArgs.add(ref("size-" + i));
    }
    for (int i = 0; i < 48; i++) {
      tasks.add(task("compute-" + i, "slowinc", JSON.numberNode(i), JSON.numberNode(0.02 + 0.01 * (i % 8))));
    }
    for (int i = 0; i < 24; i++) {
      tasks.add(task("pair-" + i, "add", ref("compute-" + (2 * i)), ref("compute-" + (2 * i + 1))));
      totalArgs.add(ref("pair-" + i));
    }
    for (int i = 0; i < 2; i++) {
      tasks.add(task("flaky-" + i, "fail", JSON.textNode("demo failure " + i + " of round " + round)));
      tasks.add(task("after-flaky-" + i, "inc", ref("flaky-" + i)));
    }
    tasks.add(new TaskSpec("total", "sum", totalArgs, null));
    return new GraphSpec("mixed-" + round, tasks, null);
  }

  private static TaskSpec task(String key, String fn, JsonNode... args) {
    return new TaskSpec(key, fn, List.of(args), null);
  }

  private static JsonNode ref(String key) {
    return JSON.objectNode().put("ref", key);
  }
}
