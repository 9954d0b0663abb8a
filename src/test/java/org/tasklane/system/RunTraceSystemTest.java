package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Chrome trace of a real run (a scheduler with its dashboard and two workers, separate JVMs):
 * valid JSON; every slice has ph, ts, dur (whole microseconds), pid, tid, name; every flow start
 * has its end; a slice per recorded task and per recorded transfer, as many as the run had.
 */
class RunTraceSystemTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("run-trace", 2, 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void theTraceOfARealRunHasASlicePerTaskAndTransfer() throws Exception {
    {
      String graphId = cluster.client().submit(RunExports.treeGraph("trace-tree", 16, 0.02).getBytes());
      cluster.client().awaitDone(graphId, Duration.ofMinutes(2));
      JsonNode run = RunExports.awaitRecordedRun(cluster.dashboardUrl(), graphId, Duration.ofSeconds(60));
      assertEquals(31, run.get("tasks").asInt());
      assertFalse(run.get("partial").asBoolean(), run.get("partialReason").asText());

      HttpResponse<String> r = RunExports.get(cluster.dashboardUrl() + "runs/" + run.get("id").asText() + "/trace.json");
      assertEquals(200, r.statusCode(), r.body());
      assertTrue(r.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename="));
      JsonNode trace = JSON.readTree(r.body()); // valid JSON, or this throws

      Map<Long, JsonNode> starts = new HashMap<>();
      Map<Long, JsonNode> ends = new HashMap<>();
      Set<String> named = new HashSet<>();
      long tasks = 0;
      long transfers = 0;
      for (JsonNode e : trace.get("traceEvents")) {
        switch (e.get("ph").asText()) {
          case "X" -> {
            for (String f : List.of("ph", "ts", "dur", "pid", "tid", "name")) {
              assertTrue(e.hasNonNull(f), "a slice without " + f + ": " + e);
            }
            assertTrue(e.get("ts").isIntegralNumber() && e.get("dur").isIntegralNumber(), "whole microseconds: " + e);
            assertTrue(e.get("dur").asLong() >= 0 && e.get("ts").asLong() >= 0, e.toString());
            if ("transfer".equals(e.get("cat").asText())) {
              transfers++;
            } else {
              tasks++;
            }
          }
          case "s" -> assertNull(starts.put(e.get("id").asLong(), e), "flow id started twice");
          case "f" -> assertNull(ends.put(e.get("id").asLong(), e), "flow id ended twice");
          case "M" -> named.add(e.get("name").asText());
          default -> fail("unexpected event " + e);
        }
      }
      assertEquals(starts.keySet(), ends.keySet(), "every flow start has its end");
      assertTrue(named.containsAll(List.of("process_name", "thread_name")));
      assertEquals(run.get("recordedTasks").asLong(), tasks, "a slice per recorded task");
      assertEquals(31, tasks, "no retries in this run: one slice per task");
      long[] live = RunExports.liveTasksAndTransfers(cluster.dashboardUrl(), graphId);
      assertEquals(live[0], tasks, "as many task slices as the live dashboard saw tasks");
      assertEquals(live[1], transfers, "as many transfer slices as the live dashboard saw transfers");
      assertTrue(transfers > 0, "a tree on two workers moves some inputs");
      JsonNode other = trace.get("otherData");
      assertEquals(transfers, other.get("transfers").asLong());
      assertEquals(transfers, other.get("flows").asLong() + other.get("transfersWithoutProducer").asLong());
      assertEquals(0, other.get("transfersWithoutProducer").asLong(), "every producer is recorded");
    }
  }

  @Test
  void submitWithAReportTheDashboardCannotGiveKeepsTheGraphsOwnOutcome() throws Exception {
    java.nio.file.Path dir = java.nio.file.Files.createDirectories(cluster.logs().resolve("no-report"));
    java.nio.file.Path graph = dir.resolve("tree.json");
    java.nio.file.Files.writeString(graph, RunExports.treeGraph("no-report", 2, 0.01));
    int closed;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    CliRun run = CliRun.run("run-trace", "submit-no-dashboard", Duration.ofMinutes(2), "submit", graph.toString(),
        "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--report", dir.resolve("run.html").toString(),
        "--dashboard", "http://127.0.0.1:" + closed + "/");
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().contains("\"merge-1-0\""), "the results are printed: " + run.out());
    assertTrue(run.err().contains("submit: no report: cannot reach the dashboard at http://127.0.0.1:" + closed + "/"),
        run.err());
    assertFalse(java.nio.file.Files.exists(dir.resolve("run.html")));

    CliRun bad = CliRun.run("run-trace", "submit-bad-dashboard", Duration.ofMinutes(1), "submit", graph.toString(),
        "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--report", dir.resolve("run.html").toString(),
        "--dashboard", "ftp://somewhere");
    assertNotEquals(0, bad.exit());
    assertEquals(1, bad.err().strip().lines().count(), bad.err());
    assertTrue(bad.err().contains("--dashboard"), bad.err());
  }
}
