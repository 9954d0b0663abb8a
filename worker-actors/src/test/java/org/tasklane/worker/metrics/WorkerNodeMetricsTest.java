package org.tasklane.worker.metrics;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;

/**
 * A worker's Prometheus figures: what the actor hands over is what a scrape shows, task durations
 * go into the group's histogram (bounded), the server answers on its port, and promtool agrees.
 */
class WorkerNodeMetricsTest {
  static final ActorTestKit testKit = ActorTestKit.create("WorkerNodeMetricsTest",
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static DashboardProtocol.WorkerMetrics figures() {
    return withMemory(null, DashboardProtocol.WorkerMemory.NONE);
  }

  static DashboardProtocol.WorkerMetrics withMemory(DashboardProtocol.WorkerMetrics ignored, DashboardProtocol.WorkerMemory mem) {
    return new DashboardProtocol.WorkerMetrics("worker-1", "inc-1", 7, 0, "10.0.0.5", "10.0.0.5:40001", 4,
        new DashboardProtocol.WorkerFigures(
            new DashboardProtocol.WorkerFigures.Tasks(3, 2, 5, 5_000_000, 42),
            new DashboardProtocol.WorkerFigures.Transfers(11, 1_100_000, 13, 1_300_000),
            new DashboardProtocol.WorkerFigures.Process(150.0, 300_000_000, 2_000_000_000),
            DashboardProtocol.WorkerFigures.Host.NONE, mem));
  }

  static String scrape(WorkerNodeMetrics m) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrometheusTextFormatWriter.create().write(out, m.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + series + " in\n" + text);
  }

  @Test
  void theFiguresTheWorkerPublishesAreScraped() throws Exception {
    WorkerNodeMetrics m = WorkerNodeMetrics.unexported();
    assertFalse(scrape(m).contains("\ntasklane_worker_tasks{"), "no series before the first figures");
    assertFalse(scrape(m).contains("\ntasklane_worker_info{"), "no identity before the first figures");
    m.published(figures());
    String text = scrape(m);
    assertEquals(1, value(text, "tasklane_worker_info{address=\"10.0.0.5:40001\",host=\"10.0.0.5\",worker=\"worker-1\"}"));
    assertEquals(3, value(text, "tasklane_worker_tasks{state=\"executing\",worker=\"worker-1\"}"));
    assertEquals(2, value(text, "tasklane_worker_tasks{state=\"queued\",worker=\"worker-1\"}"));
    assertEquals(4, value(text, "tasklane_worker_task_threads{worker=\"worker-1\"}"));
    assertEquals(5, value(text, "tasklane_worker_held_results{worker=\"worker-1\"}"));
    assertEquals(5_000_000, value(text, "tasklane_worker_held_bytes{worker=\"worker-1\"}"));
    assertEquals(2_000_000_000, value(text, "tasklane_worker_process_memory_limit_bytes{worker=\"worker-1\"}"));
    assertEquals(42, value(text, "tasklane_worker_tasks_finished_total{worker=\"worker-1\"}"));
    assertEquals(11, value(text, "tasklane_worker_transfers_total{direction=\"in\",worker=\"worker-1\"}"));
    assertEquals(13, value(text, "tasklane_worker_transfers_total{direction=\"out\",worker=\"worker-1\"}"));
    assertEquals(1_100_000, value(text, "tasklane_worker_transfer_bytes_total{direction=\"in\",worker=\"worker-1\"}"));
    assertEquals(1_300_000, value(text, "tasklane_worker_transfer_bytes_total{direction=\"out\",worker=\"worker-1\"}"));
    assertEquals(0, value(text, "tasklane_worker_paused{worker=\"worker-1\"}"));
    assertEquals(0, value(text, "tasklane_worker_memory_bytes{kind=\"spilled\",worker=\"worker-1\"}"), "figures without memory management");
    m.published(withMemory(figures(), new DashboardProtocol.WorkerMemory(64_000_000, 96_000_000, 12, 30_000_000,
        256_000_000, 0.6, 0.7, 0.8, 0.95, true, 15, 3, 2, 1)));
    String spilling = scrape(m);
    assertEquals(64_000_000, value(spilling, "tasklane_worker_memory_bytes{kind=\"managed\",worker=\"worker-1\"}"));
    assertEquals(96_000_000, value(spilling, "tasklane_worker_memory_bytes{kind=\"spilled\",worker=\"worker-1\"}"));
    assertEquals(30_000_000, value(spilling, "tasklane_worker_memory_bytes{kind=\"unmanaged\",worker=\"worker-1\"}"));
    assertEquals(12, value(spilling, "tasklane_worker_spilled_results{worker=\"worker-1\"}"));
    assertEquals(1, value(spilling, "tasklane_worker_paused{worker=\"worker-1\"}"));
    assertEquals(15, value(spilling, "tasklane_worker_spills_total{worker=\"worker-1\"}"));
    assertEquals(3, value(spilling, "tasklane_worker_unspills_total{worker=\"worker-1\"}"));
    assertEquals(2, value(spilling, "tasklane_worker_pauses_total{worker=\"worker-1\"}"));
    assertEquals(1, value(spilling, "tasklane_worker_spill_failures_total{worker=\"worker-1\"}"));
    assertTrue(text.contains("\njvm_memory_used_bytes{area=\"heap\"}"), "the JVM's figures");
    assertTrue(text.contains("\nprocess_resident_memory_bytes "), "the process's");
  }

  @Test
  void eachWorkerOfTheJvmHasItsOwnSeriesUntilItStops() throws Exception {
    WorkerNodeMetrics m = WorkerNodeMetrics.unexported();
    m.published(figures());
    DashboardProtocol.WorkerMetrics f = figures();
    m.published(new DashboardProtocol.WorkerMetrics("worker-2", "inc-2", 1, 0, f.host(), f.address(), 1,
        new DashboardProtocol.WorkerFigures(new DashboardProtocol.WorkerFigures.Tasks(1, 0, 0, 0, 9), null, null, null,
            null)));
    String text = scrape(m);
    assertEquals(4, value(text, "tasklane_worker_task_threads{worker=\"worker-1\"}"));
    assertEquals(1, value(text, "tasklane_worker_task_threads{worker=\"worker-2\"}"));
    assertEquals(9, value(text, "tasklane_worker_tasks_finished_total{worker=\"worker-2\"}"));
    assertEquals(1, value(text, "tasklane_worker_tasks{state=\"executing\",worker=\"worker-2\"}"));
    m.forget("worker-1");
    assertFalse(scrape(m).contains("worker=\"worker-1\""), "a stopped worker's series go");
  }

  @Test
  void taskDurationsGoToTheirGroupsHistogramInSeconds() throws Exception {
    WorkerNodeMetrics m = new WorkerNodeMetrics(new MetricsSettings(-1, "", 2, Duration.ofMinutes(10)));
    m.taskRan("load", 0, 2_000);            // 2 ms
    m.taskRan("load", 1_000, 1_301_000);    // 1.3 s
    m.taskRan("sum", 0, 40_000);            // 40 ms
    m.taskRan("inc", 0, 1);                 // a third group: other
    String text = scrape(m);
    assertEquals(2, value(text, "tasklane_worker_task_duration_seconds_count{group=\"load\"}"));
    assertEquals(1.302, value(text, "tasklane_worker_task_duration_seconds_sum{group=\"load\"}"), 1e-9);
    assertEquals(1, value(text, "tasklane_worker_task_duration_seconds_bucket{group=\"load\",le=\"0.005\"}"));
    assertEquals(1, value(text, "tasklane_worker_task_duration_seconds_bucket{group=\"load\",le=\"1.0\"}"));
    assertEquals(2, value(text, "tasklane_worker_task_duration_seconds_bucket{group=\"load\",le=\"2.5\"}"));
    assertEquals(1, value(text, "tasklane_worker_task_duration_seconds_count{group=\"sum\"}"));
    assertEquals(1, value(text, "tasklane_worker_task_duration_seconds_count{group=\"other\"}"));
    assertFalse(text.contains("group=\"inc\""), "past the limit a group has no series of its own");
  }

  @Test
  void theServerAnswersOnItsPortAndPromtoolFindsNoProblem() throws Exception {
    WorkerNodeMetrics m = WorkerNodeMetrics.unexported();
    m.published(figures());
    m.taskRan("we\"ird\\group\nname", 0, 5_000); // group names are user input: escaped by the library
    int port = MetricsServer.start(testKit.system(), m, new MetricsSettings(0, "127.0.0.1", 32, Duration.ofMinutes(10)),
        "");
    assertTrue(port > 0);
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"),
        r.headers().toString());
    assertEquals(4, value(r.body(), "tasklane_worker_task_threads{worker=\"worker-1\"}"));
    assertTrue(r.body().contains("group=\"we\\\"ird\\\\group\\nname\""), r.body());

    Path promtool = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "promtool"))) {
        promtool = Path.of(dir, "promtool");
      }
    }
    Assumptions.assumeTrue(promtool != null,
        "promtool is not installed (Debian: apt-get install -y prometheus); .ci/run installs it");
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(r.body().getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
    assertEquals("", said.strip(), "no problems");
  }

  @Test
  void aPortInUseIsOneClearError() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      java.io.UncheckedIOException e = assertThrows(java.io.UncheckedIOException.class, () -> MetricsServer.start(
          testKit.system(), WorkerNodeMetrics.unexported(),
          new MetricsSettings(taken.getLocalPort(), "127.0.0.1", 32, Duration.ofMinutes(10)), ""));
      assertTrue(e.getMessage().startsWith("could not serve the worker's metrics on 127.0.0.1:" + taken.getLocalPort()),
          e.getMessage());
      assertFalse(e.getMessage().contains("\n"), "one line");
    }
  }

  @Test
  void badSettingsAreRefusedInOneLine() {
    assertEquals("tasklane.worker.metrics.port must be -1 (off), 0 (any free port) or a port up to 65535, got 70000",
        assertThrows(IllegalArgumentException.class,
            () -> new MetricsSettings(70000, "", 32, Duration.ZERO)).getMessage());
    assertEquals(MetricsSettings.DEFAULT,
        MetricsSettings.fromConfig(ConfigFactory.load()), "reference.conf: off, 32 groups, 10 minutes");
    assertFalse(MetricsSettings.DEFAULT.enabled());
  }
}
