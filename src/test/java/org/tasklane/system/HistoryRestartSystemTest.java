package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * The run history survives its dashboard: a standalone dashboard records a graph, is SIGKILLed and
 * started again on the same history folder; the new one lists the run with the scheduler's task
 * count, and the run's file holds the scheduler's per-group counts. A graph still running when the
 * dashboard died is listed after the restart as partial, with a reason.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HistoryRestartSystemTest {
  @TempDir Path temp;

  @Test
  void aRunOutlivesASigkilledDashboardAndARunCutShortIsListedPartial() throws Exception {
    Path history = temp.resolve("history");
    try (LocalCluster cluster = LocalCluster.start("history-restart", 2, 2, "--no-dashboard")) {
      String base = startDashboard(cluster, "dashboard", history);

      // a complete run: a tree has groups inc, sum and total
      String done = cluster.client().submit(DemoGraphs.tree(300));
      GraphStatus status = cluster.client().awaitDone(done, Duration.ofMinutes(3));
      assertEquals("done", status.state());
      assertTrue(status.groups().size() >= 2, status.groups().toString());
      LocalCluster.await(Duration.ofSeconds(60), "the dashboard lists the run as done", () -> {
        JsonNode r = RunHistories.run(base, done);
        return r != null && r.get("state").asText().equals("done");
      });

      // a run cut short: still running when the dashboard dies
      String cut = cluster.client().submit(SchedulerRestartSystemTest.nappingTree(3000, 0.05));
      LocalCluster.await(Duration.ofSeconds(90), "the second run recorded under way", () -> {
        JsonNode r = RunHistories.run(base, cut);
        return r != null && r.get("recordedTasks").asLong() > 50;
      });
      cluster.kill("dashboard"); // SIGKILL, by its own handle
      assertEquals("running", cluster.client().status(cut).state(), "the graph outlived the dashboard");

      String again = startDashboard(cluster, "dashboard-again", history);
      JsonNode listed = RunHistories.run(again, done);
      assertNotNull(listed, "the restarted dashboard lists the run");
      assertEquals("done", listed.get("state").asText());
      assertEquals(status.tasks(), listed.get("tasks").asInt());
      assertEquals(status.tasks(), listed.get("recordedTasks").asLong(), "every task is in the log");
      assertEquals(status.erred(), listed.get("erred").asInt());
      assertFalse(listed.get("partial").asBoolean(), listed.toString());
      JsonNode run = LocalCluster.getJson(again + "runs/" + listed.get("id").asText() + "/run.json");
      assertNotNull(run);
      assertEquals(listed.get("tasks"), run.get("tasks"));

      Map<String, GroupProgress> expected = RunHistories.byName(status.groups());
      Map<String, GroupProgress> recorded = RunHistories.finalGroups(history, listed.get("id").asText());
      assertEquals(expected.keySet(), recorded.keySet());
      for (GroupProgress e : expected.values()) {
        GroupProgress r = recorded.get(e.name());
        assertEquals(e.total(), r.total(), e.name());
        assertEquals(e.memory() + e.released(), r.memory() + r.released(), e.name() + ": done");
        assertEquals(e.erred(), r.erred(), e.name());
      }

      JsonNode partial = RunHistories.run(again, cut);
      assertNotNull(partial, "the run cut short is listed");
      assertTrue(partial.get("partial").asBoolean(), partial.toString());
      assertFalse(partial.get("partialReason").asText().isBlank(), partial.toString());
      assertTrue(partial.get("recordedTasks").asLong() > 0, partial.toString());
      JsonNode runs = LocalCluster.getJson(again + "api/v1/runs.json");
      assertNotNull(runs, "the listing still works");
      assertEquals(2, runs.size(), runs.toString());
      System.out.println("after the restart: " + partial.get("state").asText() + ", partial: "
          + partial.get("partialReason").asText());
    }
  }

  /** Starts a standalone dashboard recording into {@code history}; returns its root URL once it follows the scheduler. */
  static String startDashboard(LocalCluster cluster, String name, Path history) throws Exception {
    int port = LocalCluster.freePort();
    cluster.start(name, "dashboard", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
        "--dashboard-port", "" + port, "--dashboard-address", "127.0.0.1", "--history-dir", history.toString());
    String base = "http://127.0.0.1:" + port + "/";
    LocalCluster.await(Duration.ofSeconds(90), name + " follows the scheduler",
        () -> SchedulerRestartSystemTest.connected(base));
    return base;
  }
}
