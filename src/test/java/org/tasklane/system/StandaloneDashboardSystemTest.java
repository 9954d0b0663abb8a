package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GroupProgress;

/** A dashboard started as its own JVM after a graph began shows the same counts as the scheduler's API. */
class StandaloneDashboardSystemTest {

  @Test
  void aLateDashboardCatchesUpFromASnapshotAndMatchesTheScheduler() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("standalone-dashboard", 2, 1, "--no-dashboard")) {
      var graph = DemoGraphs.tree(400, 0.01);
      String id = cluster.client().submit(graph);
      LocalCluster.await(Duration.ofSeconds(60), "the graph under way", () -> cluster.client().status(id).done() > 50);

      String base = startDashboard(cluster);
      // while it runs, the dashboard's counts never run ahead of the scheduler's and keep up with them
      LocalCluster.await(Duration.ofSeconds(30), "the dashboard saw tasks complete after it joined", () -> {
        Map<String, Integer> dash = done(LocalCluster.getJson(base + "api/v1/groups.json"));
        return dash.getOrDefault("inc", 0) > 50;
      });

      GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(3));
      assertEquals("done", status.state());
      Map<String, Integer> expected = new LinkedHashMap<>();
      for (GroupProgress g : status.groups()) {
        expected.put(g.name(), g.memory() + g.released());
      }
      LocalCluster.await(Duration.ofSeconds(30), "the dashboard's counts equal the scheduler's " + expected,
          () -> expected.equals(done(LocalCluster.getJson(base + "api/v1/groups.json"))));
      JsonNode groups = LocalCluster.getJson(base + "api/v1/groups.json");
      for (JsonNode g : groups) {
        GroupProgress s = status.groups().stream().filter(x -> x.name().equals(g.get("name").asText())).findFirst()
            .orElseThrow();
        assertEquals(s.total(), g.get("total").asInt(), g.toString());
        assertEquals(s.memory(), g.get("memory").asInt(), g.toString());
        assertEquals(s.released(), g.get("released").asInt(), g.toString());
        assertEquals(s.erred(), g.get("erred").asInt(), g.toString());
      }
    }
  }

  /**
   * A snapshot larger than the scheduler's Artery frames, and than they were before they shrank to
   * 4 MiB (20,000 task records with keys of 1,000 characters: over 20 MB), reaches a dashboard that
   * joins after the graph, in pieces (SnapshotPieces).
   */
  @Test
  void aSnapshotLargerThanTheSchedulersFramesReachesALateDashboardInPieces() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("big-snapshot", 2, 1, "--no-dashboard")) {
      String pad = "x".repeat(990);
      List<TaskSpec> tasks = new ArrayList<>();
      Set<String> keys = new HashSet<>();
      for (int i = 0; i < 20_000; i++) {
        tasks.add(new TaskSpec("long-" + i + "-" + pad, "inc", List.of(JsonNodeFactory.instance.numberNode(i)), null));
        keys.add("long-" + i + "-" + pad);
      }
      String id = cluster.client().submit(new GraphSpec("long keys", tasks, null));
      assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(3)).state());

      String base = startDashboard(cluster);
      JsonNode recent = LocalCluster.getJson(base + "api/v1/tasks.json?limit=20000");
      assertNotNull(recent);
      Set<String> seen = new HashSet<>();
      recent.forEach(t -> seen.add(t.get("key").asText()));
      assertEquals(keys, seen, "every task record of the snapshot");
      JsonNode groups = LocalCluster.getJson(base + "api/v1/groups.json");
      assertEquals(20_000, groups.get(0).get("memory").asInt(), groups.toString());
    }
  }

  /** Starts a dashboard JVM that joins the cluster; returns its base URL once it follows the scheduler. */
  static String startDashboard(LocalCluster cluster) throws Exception {
    int port = LocalCluster.freePort();
    cluster.start("dashboard", "dashboard", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
        "--dashboard-port", "" + port, "--dashboard-address", "127.0.0.1");
    String base = "http://127.0.0.1:" + port + "/";
    LocalCluster.await(Duration.ofSeconds(90), "the dashboard is connected", () -> {
      JsonNode st = LocalCluster.getJson(base + "api/v1/status.json");
      return st != null && st.get("connected").asBoolean();
    });
    return base;
  }

  static Map<String, Integer> done(JsonNode groups) {
    Map<String, Integer> out = new LinkedHashMap<>();
    if (groups != null) {
      groups.forEach(g -> out.put(g.get("name").asText(), g.get("memory").asInt() + g.get("released").asInt()));
    }
    return out;
  }
}
