package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Several workers per JVM ({@code bin/tasklane worker --nworkers N}): two worker JVMs of 3 and 2
 * workers are 5 workers to the scheduler; a graph of 200 sleep tasks runs on all 5; SIGTERM to the
 * JVM of 3 retires its 3 workers and the graph still completes with the right answer; then a JVM of
 * 250 one-thread workers joins and the scheduler lists every one.
 */
class NWorkersSystemTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final int SLEEPS = 200;

  /** {@code SLEEPS} tasks that sleep 0.2 s and return i, and their sum. */
  static GraphSpec sleeps() {
    List<TaskSpec> tasks = new ArrayList<>();
    List<JsonNode> all = new ArrayList<>();
    for (int i = 0; i < SLEEPS; i++) {
      tasks.add(new TaskSpec("nap-" + i, "sleep", List.of(NODES.numberNode(0.2), NODES.numberNode(i)), null));
      all.add(NODES.objectNode().put("ref", "nap-" + i));
    }
    tasks.add(new TaskSpec("total", "sum", all, null));
    return new GraphSpec("naps", tasks, List.of("total"));
  }

  static Process workerJvm(LocalCluster cluster, String name, int nworkers) throws Exception {
    return cluster.start(name, "worker", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
        "--nthreads", "1", "--nworkers", "" + nworkers, "--name", name, "--join-timeout", "60s", "--no-nanny",
        "--no-profile");
  }

  static Set<String> workerNames(LocalCluster cluster) {
    Set<String> names = new TreeSet<>();
    for (JsonNode w : cluster.client().workers()) {
      names.add(w.get("name").asText());
    }
    return names;
  }

  /** The workers the dashboard saw run this graph's tasks. */
  static Set<String> ranOn(LocalCluster cluster, String graphId) {
    Set<String> workers = new TreeSet<>();
    JsonNode tasks = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/tasks.json");
    if (tasks != null) {
      for (JsonNode t : tasks) {
        if (graphId.equals(t.path("graph").asText())) {
          workers.add(t.get("worker").asText());
        }
      }
    }
    return workers;
  }

  @Test
  void workerJvmsOfThreeAndTwoAreFiveWorkersThatRunAGraphAndRetireTogether() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("nworkers", 0, 1)) {
      workerJvm(cluster, "a", 3);
      workerJvm(cluster, "b", 2);
      cluster.awaitWorkers(5);
      assertEquals(Set.of("a-1", "a-2", "a-3", "b-1", "b-2"), workerNames(cluster));

      String id = cluster.client().submit(sleeps());
      Set<String> five = Set.of("a-1", "a-2", "a-3", "b-1", "b-2");
      LocalCluster.await(Duration.ofSeconds(60), "tasks of the graph ran on all five workers",
          () -> ranOn(cluster, id).containsAll(five));
      GraphStatus before = cluster.client().status(id);
      assertNotEquals("done", before.state(), () -> "precondition: the graph still runs when a stops: " + before);

      // SIGTERM to the JVM of three: each of its workers retires (hands off what only it holds), then it leaves
      int code = cluster.stop("a", Duration.ofSeconds(120));
      assertTrue(code == 0 || code == 143, "exit code " + code);
      String log = Files.readString(cluster.log("a"));
      for (String w : List.of("a-1", "a-2", "a-3")) {
        assertTrue(log.contains("worker " + w + " retiring: "), () -> w + "'s retirement line in " + cluster.log("a"));
      }

      GraphStatus done = cluster.client().awaitDone(id, Duration.ofMinutes(3));
      assertEquals("done", done.state(), () -> "state: " + done);
      assertEquals(0, done.erred(), () -> "errors: " + done.errors());
      assertEquals((long) SLEEPS * (SLEEPS - 1) / 2, cluster.client().results(id).results().get("total").asLong(),
          "the sum of 0 .. 199");
      cluster.awaitWorkers(2);
      assertEquals(Set.of("b-1", "b-2"), workerNames(cluster));

      // a JVM of 250 one-thread workers joins: the scheduler lists every one of them
      workerJvm(cluster, "many", 250);
      LocalCluster.await(Duration.ofSeconds(180), "the 250 workers of one JVM registered", () -> {
        try {
          return cluster.client().workers().size() == 252;
        } catch (RuntimeException e) {
          return false;
        }
      });
      Set<String> names = workerNames(cluster);
      for (int i = 1; i <= 250; i++) {
        assertTrue(names.contains("many-" + i), "many-" + i);
      }
      // and they run tasks: a small graph completes on them (and b)
      String second = cluster.client().submit(sleeps());
      GraphStatus secondDone = cluster.client().awaitDone(second, Duration.ofMinutes(3));
      assertEquals("done", secondDone.state(), () -> "state: " + secondDone);
      assertEquals((long) SLEEPS * (SLEEPS - 1) / 2,
          cluster.client().results(second).results().get("total").asLong());
    }
  }
}
