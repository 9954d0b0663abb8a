package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/** Worker and host figures on a real local cluster, through the dashboard's JSON and /metrics. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MetricsSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("metrics", 2, 1);
    LocalCluster.await(Duration.ofSeconds(60), "the dashboard lists both workers", () -> workers().size() == 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void busyWorkersShowCpuAboveIdle() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      tasks.add(new TaskSpec("busy-" + i, "slowinc", List.of(NODES.numberNode(i), NODES.numberNode(0.25)), null));
    }
    String id = cluster.client().submit(new GraphSpec("busy", tasks, null));
    LocalCluster.await(Duration.ofSeconds(60), "a worker at more than 50% of a core", () -> {
      for (JsonNode w : workers()) {
        if (w.at("/figures/process/cpuPercent").asDouble() > 50) {
          return true;
        }
      }
      return false;
    });
    // every worker's own figures arrive (a worker listed by the scheduler before its first metrics shows zeros)
    LocalCluster.await(Duration.ofSeconds(30), "every worker's resident memory and limit known", () -> {
      for (JsonNode w : workers()) {
        if (w.at("/figures/process/rssBytes").asLong() <= 0 || w.at("/figures/process/memoryLimitBytes").asLong() < w.at("/figures/process/rssBytes").asLong()) {
          return false;
        }
      }
      return true;
    });
    cluster.client().awaitDone(id, Duration.ofMinutes(2));
    cluster.client().forget(id);
  }

  @Test
  @Order(2)
  void dataMovingBetweenWorkersShowsAsNetworkTraffic() {
    // pairs of 4 MB payloads made on both workers (roots alternate between them), each pair then
    // needed by one task: one of the two has to cross over loopback
    List<TaskSpec> tasks = new ArrayList<>();
    List<JsonNode> refs = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      tasks.add(new TaskSpec("payload-" + i, "bytes", List.of(NODES.numberNode(4_000_000)), null));
    }
    for (int i = 0; i < 16; i++) {
      tasks.add(new TaskSpec("both-" + i, "bytes", List.of(NODES.numberNode(8),
          NODES.objectNode().put("ref", "payload-" + (2 * i)), NODES.objectNode().put("ref", "payload-" + (2 * i + 1))),
          null));
      refs.add(NODES.objectNode().put("ref", "both-" + i));
    }
    tasks.add(new TaskSpec("total", "bytes", prepend(NODES.numberNode(8), refs), null));
    String id = cluster.client().submit(new GraphSpec("bytes", tasks, List.of("total")));
    double[] peak = {0};
    LocalCluster.await(Duration.ofSeconds(60), "network traffic on the hosts' interfaces", () -> {
      for (JsonNode w : workers()) {
        peak[0] = Math.max(peak[0], w.at("/figures/host/netIn").asDouble());
      }
      return peak[0] > 1_000_000;
    });
    assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(2)).state());
    assertTrue(cluster.client().status(id).transfers() > 0, "the payloads moved between workers");
    cluster.client().forget(id);
  }

  @Test
  @Order(3)
  void metricsPassPromtool() throws Exception {
    Path promtool = Path.of("/usr/bin/promtool");
    Assumptions.assumeTrue(Files.isExecutable(promtool), "promtool is not installed: apt-get install -y prometheus");
    String text = get("metrics");
    assertTrue(text.contains("tasklane_workers 2"), text);
    assertTrue(text.contains("tasklane_worker_cpu_ratio{"), text);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    p.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    assertEquals("", out.trim(), "promtool found problems");
  }

  @Test
  @Order(4)
  void aKilledWorkerLeavesTheTable() throws Exception {
    cluster.kill("worker-2");
    LocalCluster.await(Duration.ofSeconds(60), "only worker-1 left in the dashboard's table", () -> {
      JsonNode ws = workers();
      return ws.size() == 1 && ws.get(0).get("name").asText().equals("worker-1");
    });
  }

  static List<JsonNode> prepend(JsonNode first, List<JsonNode> rest) {
    List<JsonNode> all = new ArrayList<>();
    all.add(first);
    all.addAll(rest);
    return all;
  }

  static JsonNode workers() {
    try {
      return JSON.readTree(get("api/v1/workers.json"));
    } catch (Exception e) {
      return JSON.createArrayNode();
    }
  }

  static String get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(cluster.dashboardUrl() + path))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (Exception e) {
      return "";
    }
  }
}
