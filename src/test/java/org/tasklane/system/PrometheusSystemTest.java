package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * Every node scraped by a real Prometheus (Debian's): a scheduler with its dashboard, behind an
 * auth file (Prometheus sends the token from {@code authorization.credentials_file}), and two
 * workers with {@code --metrics-port}, all on loopback with ephemeral ports. After a graph ran,
 * every target is up, each node's output passes {@code promtool check metrics}, and every PromQL
 * expression of {@code deploy/grafana/tasklane.json} returns a non-empty result.
 */
class PrometheusSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final String TOKEN = "prometheus-system-test-7d1e";
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  /** What {@code $__rate_interval} stands for here: four of the test's 1 s scrapes fit many times over. */
  static final String RATE_INTERVAL = "1m";

  static Path dir;
  static LocalCluster cluster;
  static Process prometheus;
  static int prometheusPort;
  /** Each target's /metrics URL, and whether it wants the token. */
  static final Map<String, Boolean> targets = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    if (!Files.isExecutable(PROMETHEUS) || !Files.isExecutable(PROMTOOL)) {
      fail("Debian's prometheus is not installed (no " + PROMETHEUS + " or " + PROMTOOL
          + "): apt-get install -y --no-install-recommends prometheus (.ci/run does)");
    }
    dir = Files.createTempDirectory("tasklane-prometheus");
    Path tokenFile = dir.resolve("token");
    Files.writeString(tokenFile, TOKEN + "\n");
    cluster = LocalCluster.start("prometheus", 0, 1, "--auth-file", tokenFile.toString());
    int[] metricsPorts = {LocalCluster.freePort(), LocalCluster.freePort()};
    for (int i = 1; i <= 2; i++) {
      cluster.start("worker-" + i, "worker", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
          "--nthreads", "2", "--name", "worker-" + i, "--no-nanny", "--join-timeout", "60s",
          "--metrics-port", "" + metricsPorts[i - 1]);
    }
    cluster.awaitWorkers(2);
    String scheduler = "127.0.0.1:" + cluster.apiPort();
    String dashboard = "127.0.0.1:" + cluster.dashboardPort();
    targets.put("http://" + scheduler + "/metrics", true);
    targets.put("http://" + dashboard + "/metrics", true);
    for (int p : metricsPorts) {
      targets.put("http://127.0.0.1:" + p + "/metrics", false);
    }
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:",
        "  scrape_interval: 1s",
        "  scrape_timeout: 1s",
        "scrape_configs:",
        "  - job_name: tasklane-scheduler",
        "    authorization: {type: Bearer, credentials_file: " + tokenFile + "}",
        "    static_configs: [{targets: ['" + scheduler + "']}]",
        "  - job_name: tasklane-dashboard",
        "    authorization: {type: Bearer, credentials_file: " + tokenFile + "}",
        "    static_configs: [{targets: ['" + dashboard + "']}]",
        "  - job_name: tasklane-workers",
        "    static_configs: [{targets: ['127.0.0.1:" + metricsPorts[0] + "', '127.0.0.1:" + metricsPorts[1] + "']}]",
        ""));
    prometheusPort = LocalCluster.freePort();
    prometheus = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + dir.resolve("data"), "--web.listen-address=127.0.0.1:" + prometheusPort,
        "--storage.tsdb.retention.time=1h")
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.logs().resolve("prometheus.log").toFile()))
        .start();
    LocalCluster.await(Duration.ofSeconds(60), "Prometheus has scraped all four nodes (up == 1 for each)", () -> {
      JsonNode result = query("up == 1");
      return result != null && result.size() == 4;
    });
  }

  @AfterAll
  static void stop() throws Exception {
    if (prometheus != null) {
      prometheus.destroy();
      if (!prometheus.waitFor(20, TimeUnit.SECONDS)) {
        prometheus.destroyForcibly();
        prometheus.waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (cluster != null) {
      cluster.close();
    }
    if (dir != null) {
      try (var files = Files.walk(dir)) {
        files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** The result vector of an instant query, or null if Prometheus did not answer. */
  static JsonNode query(String promql) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + prometheusPort
          + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
          .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return null;
      }
      JsonNode body = JSON.readTree(r.body());
      return "success".equals(body.path("status").asText()) ? body.path("data").path("result") : null;
    } catch (Exception e) {
      return null;
    }
  }

  static String get(String url, boolean withToken) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (withToken) {
      b.header("Authorization", "Bearer " + TOKEN);
    }
    HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), url + ": " + r.body());
    return r.body();
  }

  /** Payloads made on both workers and needed together (so some cross over), and slow tasks in another group. */
  static void runAGraph() {
    List<TaskSpec> tasks = new ArrayList<>();
    List<JsonNode> refs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      tasks.add(new TaskSpec("payload-" + i, "bytes", List.of(NODES.numberNode(200_000)), null));
    }
    for (int i = 0; i < 4; i++) {
      tasks.add(new TaskSpec("pair-" + i, "bytes", List.of(NODES.numberNode(8),
          NODES.objectNode().put("ref", "payload-" + (2 * i)), NODES.objectNode().put("ref", "payload-" + (2 * i + 1))),
          null));
      refs.add(NODES.objectNode().put("ref", "pair-" + i));
    }
    for (int i = 0; i < 16; i++) {
      tasks.add(new TaskSpec("slow-" + i, "slowinc", List.of(NODES.numberNode(i), NODES.numberNode(0.05)), null));
    }
    List<JsonNode> totalArgs = new ArrayList<>(List.of(NODES.numberNode(8)));
    totalArgs.addAll(refs);
    tasks.add(new TaskSpec("total", "bytes", totalArgs, null));
    String id = cluster.client().submit(new GraphSpec("metrics", tasks, null));
    assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(1)).state());
  }

  /** Every {@code expr} of the dashboard's panels (rows' panels too), in order. */
  static List<String> dashboardExpressions() throws Exception {
    JsonNode dashboard = JSON.readTree(Path.of(LocalCluster.home(), "deploy", "grafana", "tasklane.json").toFile());
    List<String> out = new ArrayList<>();
    collect(dashboard.path("panels"), out);
    return out;
  }

  private static void collect(JsonNode panels, List<String> out) {
    for (JsonNode p : panels) {
      for (JsonNode t : p.path("targets")) {
        out.add(t.path("expr").asText());
      }
      collect(p.path("panels"), out);
    }
  }

  @Test
  void everyNodeIsScrapedAndEveryDashboardQueryReturnsData() throws Exception {
    runAGraph();

    // each node's own output passes promtool
    for (Map.Entry<String, Boolean> t : targets.entrySet()) {
      String text = get(t.getKey(), t.getValue());
      Process p = new ProcessBuilder(PROMTOOL.toString(), "check", "metrics").redirectErrorStream(true).start();
      try (var in = p.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
      assertEquals(0, p.exitValue(), t.getKey() + ": promtool check metrics: " + said);
    }

    List<String> expressions = dashboardExpressions();
    assertTrue(expressions.size() >= 20, "the dashboard's queries: " + expressions);
    List<String> queries = new ArrayList<>();
    for (String e : expressions) {
      String q = e.replace("$__rate_interval", RATE_INTERVAL);
      assertFalse(q.contains("$"), "a Grafana variable this test does not know: " + e);
      queries.add(q);
    }
    // Prometheus sees the graph's figures within a few scrapes
    List<String> empty = new ArrayList<>(queries);
    LocalCluster.within(Duration.ofSeconds(45), () -> {
      empty.removeIf(q -> {
        JsonNode r = query(q);
        return r != null && r.size() > 0;
      });
      return empty.isEmpty();
    });
    assertEquals(List.of(), empty, "the dashboard's queries that returned no data");

    // what a scrape costs, for the README: samples and seconds per target, as Prometheus saw them
    for (JsonNode r : query("scrape_samples_scraped")) {
      String instance = r.path("metric").path("job").asText() + " " + r.path("metric").path("instance").asText();
      JsonNode seconds = query("scrape_duration_seconds{instance=\"" + r.path("metric").path("instance").asText() + "\"}");
      System.out.println("scrape of " + instance + ": " + r.path("value").get(1).asText() + " samples in "
          + (seconds == null || seconds.isEmpty() ? "?" : seconds.get(0).path("value").get(1).asText()) + " s");
    }

    // and the figures are the graph's: both workers ran tasks of both groups between them. A query
    // above may have had its data from a scrape taken while the graph still ran (27 of 29 tasks, in
    // one CI run): wait for a scrape of each worker after its last task
    String count = "sum(tasklane_worker_task_duration_seconds_count)";
    LocalCluster.within(Duration.ofSeconds(30), () -> {
      JsonNode r = query(count);
      return r != null && r.size() > 0 && r.get(0).path("value").get(1).asDouble() >= 29;
    });
    JsonNode finished = query(count);
    assertEquals(29, finished.get(0).path("value").get(1).asDouble(), "every task's duration, once");
    JsonNode groups = query("sum by (group) (tasklane_worker_task_duration_seconds_count)");
    assertEquals(4, groups.size(), "payload, pair, slow and total: " + groups);
  }

  @Test
  void aWorkersMetricsPortInUseOrOutOfRangeIsOneLine() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliRun r = CliRun.run("prometheus-cli", "metrics-port-in-use", Duration.ofSeconds(60), "worker", "--scheduler",
          "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1", "--no-nanny", "--metrics-port", "" + port);
      assertEquals(1, r.exit(), r::describe);
      CliSystemTest.assertOneLineError(r, "port " + port, "in use", "--metrics-port");
    }
    CliRun range = CliRun.run("prometheus-cli", "metrics-port-range", Duration.ofSeconds(60), "local",
        "--worker-metrics-port", "70000");
    assertEquals(1, range.exit(), range::describe);
    CliSystemTest.assertOneLineError(range, "--worker-metrics-port must be -1 (none), 0 (any free port) or a port");
  }
}
