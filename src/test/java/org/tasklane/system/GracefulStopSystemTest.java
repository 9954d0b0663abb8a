package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * A worker stopped gracefully (SIGTERM) in the middle of a graph hands the intermediate results
 * only it holds to the other worker, and the rest of the graph finishes without computing them
 * again. The last worker, stopped gracefully, says that it had nobody to hand its results to.
 */
class GracefulStopSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final int PARTS = 20;
  /** How long the gate runs: far longer than the parts take to run and their worker to hand them off. */
  static final double GATE_SECONDS = 15;

  /**
   * {@code gate} sleeps on one worker while {@code seed} and its {@code PARTS} dependents run on
   * the other (they follow their input there, but for at most one that the scheduler may queue
   * behind the gate); {@code total} needs all of them.
   */
  static GraphSpec gatedGraph() {
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(new TaskSpec("gate", "sleep", List.of(NODES.numberNode(GATE_SECONDS), NODES.numberNode(0)), null));
    tasks.add(new TaskSpec("seed", "inc", List.of(NODES.numberNode(0)), null));
    List<JsonNode> all = new ArrayList<>();
    for (int i = 0; i < PARTS; i++) {
      tasks.add(new TaskSpec("part-" + i, "add", List.of(ref("seed"), NODES.numberNode(i)), null));
      all.add(ref("part-" + i));
    }
    all.add(ref("gate"));
    tasks.add(new TaskSpec("total", "sum", all, null));
    return new GraphSpec("gated", tasks, List.of("total"));
  }

  static JsonNode ref(String key) {
    return NODES.objectNode().put("ref", key);
  }

  static GroupProgress group(GraphStatus s, String name) {
    return s.groups().stream().filter(g -> g.name().equals(name)).findFirst().orElseThrow();
  }

  /** A JSON route of the dashboard, or null if it does not answer 200. */
  static JsonNode dashboard(LocalCluster cluster, String path) {
    return LocalCluster.getJson(cluster.dashboardUrl() + path);
  }


  /** The dashboard's task records of one graph: key to the workers it ran on, in order. */
  static Map<String, List<String>> runs(LocalCluster cluster, String graphId) {
    Map<String, List<String>> runs = new HashMap<>();
    JsonNode tasks = dashboard(cluster, "api/v1/tasks.json");
    if (tasks != null) {
      for (JsonNode t : tasks) {
        if (graphId.equals(t.path("graph").asText())) {
          runs.computeIfAbsent(t.get("key").asText(), k -> new ArrayList<>()).add(t.get("worker").asText());
        }
      }
    }
    return runs;
  }

  /** 0, or 143: the JVM's status when SIGTERM ended it after its shutdown hooks ran. */
  static void assertNormalExit(int code) {
    assertTrue(code == 0 || code == 143, "exit code " + code);
  }

  @Test
  void intermediateResultsOfAStoppedWorkerAreHandedOffNotComputedAgain() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("graceful-stop", 2, 1)) {
      String id = cluster.client().submit(gatedGraph());

      // seed and the parts run on one worker (the holder) while the gate sleeps on the other; the
      // scheduler may queue one part behind the gate (the other worker takes two tasks at first)
      LocalCluster.await(Duration.ofSeconds(60), "the parts done or waiting behind the gate, the dashboard told",
          () -> {
            GroupProgress part = group(cluster.client().status(id), "part");
            return part.memory() + part.processing() == PARTS && runs(cluster, id).containsKey("seed");
          });
      String holder = runs(cluster, id).get("seed").get(0);
      String other = holder.equals("worker-1") ? "worker-2" : "worker-1";
      LocalCluster.await(Duration.ofSeconds(30), holder + " has nothing left to run", () -> {
        for (JsonNode w : cluster.client().workers()) {
          if (w.get("name").asText().equals(holder)) {
            return w.at("/figures/tasks/executing").asInt() == 0 && w.at("/figures/tasks/queued").asInt() == 0;
          }
        }
        return false;
      });
      GraphStatus before = cluster.client().status(id);
      assertEquals(1, group(before, "gate").processing(),
          () -> "precondition: the gate still runs when the parts are done: " + before);
      assertTrue(group(before, "part").processing() <= 1, () -> "at most one part waits behind the gate: " + before);

      // SIGTERM the worker that alone holds the parts: it hands them to the other before it leaves
      assertNormalExit(cluster.stop(holder, Duration.ofSeconds(90)));
      // it held every part but one that waits behind the gate, and seed which that one needs; or
      // every part, and not seed (nothing needs it): PARTS results either way
      String log = Files.readString(cluster.log(holder));
      assertTrue(log.contains("worker " + holder + " retiring: handed " + PARTS + " results ("),
          () -> "the retirement line in " + cluster.log(holder));

      GraphStatus done = cluster.client().awaitDone(id, Duration.ofMinutes(2));
      assertEquals("done", done.state(), () -> "state: " + done);
      assertEquals(0, done.erred(), () -> "errors: " + done.errors());
      assertEquals(PARTS + (long) PARTS * (PARTS - 1) / 2,
          cluster.client().results(id).results().get("total").asLong(), "sum of 1 + i for i below PARTS");
      assertEquals(0, done.recomputed(), () -> "nothing computed again: " + done);
      assertEquals(PARTS, done.handedOff(), () -> "the holder's results handed off: " + done);

      // the dashboard saw every task run exactly once; total ran where the parts went
      LocalCluster.await(Duration.ofSeconds(30), "the dashboard saw total run",
          () -> runs(cluster, id).containsKey("total"));
      Map<String, List<String>> ran = runs(cluster, id);
      for (Map.Entry<String, List<String>> e : ran.entrySet()) {
        assertEquals(1, e.getValue().size(), () -> e.getKey() + " ran more than once: " + ran);
      }
      assertEquals(List.of(other), ran.get("total"));

      // the last worker has nobody to hand total to: it says so, and leaves
      assertNormalExit(cluster.stop(other, Duration.ofSeconds(90)));
      String lastLog = Files.readString(cluster.log(other));
      assertTrue(lastLog.contains("worker " + other + " retiring: it is the only worker, so nothing can be handed off"),
          () -> "the retirement line in " + cluster.log(other));
    }
  }
}
