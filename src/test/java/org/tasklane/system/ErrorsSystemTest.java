package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * Errors and the explainer on a real cluster (a scheduler with its dashboard and a worker, separate
 * JVMs): tasks that fail with two exception types are two groups on the dashboard's errors API with
 * the right counts and the workers' full stack traces, an HTML-like message kept as it is; and a
 * task blocked on a slow dependency says so, on the scheduler's API and through the dashboard.
 */
class ErrorsSystemTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String HTML = "<img src=x onerror=alert(1)>";
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("errors", 1, 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String q(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Test
  void twoExceptionTypesAreTwoGroupsWithCountsAndFullTraces() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      tasks.add(new TaskSpec("boom-" + i, "fail", List.of(NODES.textNode(HTML + " in row " + i)), null));
    }
    for (int i = 0; i < 3; i++) {
      tasks.add(new TaskSpec("badarg-" + i, "inc", List.of(NODES.textNode("x" + i)), null));
    }
    String id = cluster.client().submit(new GraphSpec("two-errors", tasks, null));
    assertEquals(8, cluster.client().awaitDone(id, Duration.ofMinutes(2)).erred());

    String url = cluster.dashboardUrl() + "api/v1/errors.json";
    LocalCluster.await(Duration.ofSeconds(30), "8 erred tasks on the errors API", () -> {
      JsonNode v = LocalCluster.getJson(url);
      return v != null && v.get("erred").asInt() == 8;
    });
    JsonNode groups = LocalCluster.getJson(url).get("groups");
    assertEquals(2, groups.size(), groups.toString());
    JsonNode boom = null;
    JsonNode badarg = null;
    for (JsonNode g : groups) {
      if ("java.lang.RuntimeException".equals(g.get("type").asText())) {
        boom = g;
      } else if ("java.lang.IllegalArgumentException".equals(g.get("type").asText())) {
        badarg = g;
      }
    }
    assertNotNull(boom, groups.toString());
    assertNotNull(badarg, groups.toString());
    assertEquals(5, boom.get("count").asInt());
    assertEquals(3, badarg.get("count").asInt());
    assertTrue(boom.get("message").asText().startsWith(HTML + " in row "), boom.get("message").asText());
    assertEquals(HTML.replace("1", "#") + " in row #", boom.get("pattern").asText());

    // full traces: the exception, the function's frames, not the worker's own below them
    String trace = boom.get("traces").get(0).asText();
    assertTrue(trace.startsWith("java.lang.RuntimeException: " + HTML + " in row "), trace);
    assertTrue(trace.contains("\tat org.tasklane.worker.builtin.Fail.call(Fail.java:"), trace);
    assertFalse(trace.contains("TaskRunner"), trace);
    String argTrace = badarg.get("traces").get(0).asText();
    assertTrue(argTrace.startsWith("java.lang.IllegalArgumentException: inc expects 1 number, got a string"), argTrace);
    assertTrue(argTrace.contains("\tat org.tasklane.worker.builtin.Inc.call(Inc.java:"), argTrace);

    // one task's error, as a click on it in the task stream asks
    JsonNode one = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/errors.json?graph=" + q(id) + "&key=boom-3");
    assertNotNull(one);
    assertEquals(5, one.get("group").get("count").asInt());
    assertTrue(one.get("trace").asText().contains("Fail.call"));
    cluster.client().forget(id);
  }

  @Test
  void aTaskBlockedOnASlowDependencySaysSo() {
    String id = cluster.client().submit(new GraphSpec("blocked", List.of(
        new TaskSpec("slow", "sleep", List.of(NODES.numberNode(60), NODES.numberNode(1)), null),
        new TaskSpec("after", "inc", List.of(NODES.objectNode().put("ref", "slow")), null)), null));
    try {
      String api = "http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs/" + id + "/tasks/after/explain";
      LocalCluster.await(Duration.ofSeconds(30), "the slow task running", () -> {
        JsonNode e = LocalCluster.getJson(api);
        return e != null && e.get("inputs").get(0).get("state").asText().equals("processing");
      });
      JsonNode e = LocalCluster.getJson(api);
      assertEquals("waiting", e.get("state").asText());
      assertEquals("Waiting on 1 of 1 input: slow (processing).", e.get("summary").asText());
      String worker = e.get("inputs").get(0).get("worker").asText();
      assertFalse(worker.isEmpty());
      assertTrue(e.get("reasons").toString().contains("input slow is processing on " + worker), e.toString());

      JsonNode slow = LocalCluster.getJson(
          "http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs/" + id + "/tasks/slow/explain");
      assertTrue(slow.get("summary").asText().startsWith("Running on " + worker), slow.toString());

      // the same through the dashboard, which asks the scheduler through the cluster
      JsonNode viaDashboard = LocalCluster.getJson(
          cluster.dashboardUrl() + "api/v1/explain.json?graph=" + q(id) + "&key=after");
      assertNotNull(viaDashboard);
      assertEquals(e.get("summary").asText(), viaDashboard.get("summary").asText());
    } finally {
      cluster.client().forget(id);
    }
  }
}
