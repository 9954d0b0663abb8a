package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
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
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code metrics}: the Prometheus text format, its names and units, escaping, and promtool's check, over real HTTP. */
class MetricsRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("MetricsRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String INC = "sched-1";
  /** A group name with everything the text format must escape (group names are user input). */
  static final String WEIRD = "we\"ird\\group\nname} 1\n# TYPE x counter";

  static final Set<String> FAMILIES = new TreeSet<>(List.of(
      "tasklane_workers", "tasklane_worker_threads", "tasklane_tasks", "tasklane_group_tasks",
      "tasklane_tasks_finished_total", "tasklane_tasks_erred_total", "tasklane_transfer_bytes_total",
      "tasklane_worker_cpu_ratio", "tasklane_worker_memory_bytes", "tasklane_worker_memory_limit_bytes",
      "tasklane_worker_network_receive_bytes_per_second", "tasklane_worker_network_transmit_bytes_per_second",
      "tasklane_worker_disk_read_bytes_per_second", "tasklane_worker_disk_write_bytes_per_second",
      "tasklane_worker_latency_seconds", "tasklane_worker_tasks_executing", "tasklane_worker_tasks_queued",
      "tasklane_dashboard_sse_clients", "tasklane_dashboard_sse_events_sent_total",
      "tasklane_dashboard_sse_clients_dropped_total", "tasklane_dashboard_events_received_total",
      "tasklane_dashboard_event_gaps_total"));

  static TestingDashboard d;

  @BeforeAll
  static void start() throws Exception {
    d = TestingDashboard.start(testKit);
    d.dashboard.tell(snapshot(INC, 0, List.of(group("load", 4, 1, 1, 1, 1), group(WEIRD, 3, 1, 0, 0, 0)),
        List.of(task(1, "load-1"), erred(2, "load-2", "boom")), List.of(summary("w1", 4, 1))));
    d.dashboard.tell(metrics("w1", 1, 1, 0));
    d.dashboard.tell(batch(INC, 1, List.of(), List.of(), tasks(3, 5)));
  }

  @AfterAll
  static void stop() throws Exception {
    d.close();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> request(String method) throws Exception {
    return http.send(HttpRequest.newBuilder(d.uri("metrics")).timeout(WAIT)
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The scrape, once the dashboard has applied everything the test told it. */
  static String scrape() {
    TestProbe<Void> probe = testKit.createTestProbe();
    return probe.awaitAssert(WAIT, () -> {
      try {
        HttpResponse<String> r = request("GET");
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(r.body().contains("tasklane_tasks_finished_total 5.0"), r.body());
        return r.body();
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  // ------------------------------------------------------------------ a small parser of the text format

  record Sample(String name, Map<String, String> labels, double value) {}

  record Family(String name, String help, String type, List<Sample> samples) {}

  static final Pattern HELP = Pattern.compile("# HELP (\\S+) (.*)");
  static final Pattern TYPE = Pattern.compile("# TYPE (\\S+) (counter|gauge|histogram|summary|untyped)");
  static final Pattern SAMPLE = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)");
  static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\\\n]|\\\\[\\\\\"n])*)\"(,|$)");

  /**
   * The {@code tasklane_} families by name, in order (the JVM's, from the library, are left out);
   * fails on any line that is not HELP, TYPE or a sample.
   */
  static Map<String, Family> parse(String text) {
    assertTrue(text.endsWith("\n"), "the last line ends with a newline");
    Map<String, String> help = new LinkedHashMap<>();
    Map<String, String> type = new LinkedHashMap<>();
    Map<String, List<Sample>> samples = new LinkedHashMap<>();
    for (String line : text.split("\n")) {
      Matcher m;
      if (!line.startsWith("tasklane_") && !line.startsWith("# HELP tasklane_") && !line.startsWith("# TYPE tasklane_")) {
        assertTrue(HELP.matcher(line).matches() || TYPE.matcher(line).matches() || SAMPLE.matcher(line).matches(),
            "not a line of the text format: '" + line + "'");
      } else if ((m = HELP.matcher(line)).matches()) {
        assertNull(help.put(m.group(1), m.group(2)), "one HELP per family: " + line);
      } else if ((m = TYPE.matcher(line)).matches()) {
        assertNull(type.put(m.group(1), m.group(2)), "one TYPE per family: " + line);
      } else if ((m = SAMPLE.matcher(line)).matches()) {
        Sample s = new Sample(m.group(1), labels(m.group(2) == null ? "" : m.group(2), line),
            Double.parseDouble(m.group(3)));
        samples.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
      } else {
        fail("not a line of the text format: '" + line + "'");
      }
    }
    Map<String, Family> out = new LinkedHashMap<>();
    for (String name : type.keySet()) {
      out.put(name, new Family(name, help.get(name), type.get(name), samples.getOrDefault(name, List.of())));
    }
    assertEquals(type.keySet(), help.keySet(), "every family has HELP and TYPE");
    assertEquals(type.keySet(), samples.keySet(), "every sample belongs to a family that has HELP and TYPE");
    return out;
  }

  static Map<String, String> labels(String text, String line) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = LABEL.matcher(text);
    int at = 0;
    while (at < text.length()) {
      assertTrue(m.find(at) && m.start() == at, "bad labels in '" + line + "'");
      out.put(m.group(1), m.group(2).replace("\\n", "\n").replace("\\\"", "\"").replace("\\\\", "\\"));
      at = m.end();
    }
    return out;
  }

  static double value(Map<String, Family> families, String name, String... labelPairs) {
    Map<String, String> want = new LinkedHashMap<>();
    for (int i = 0; i < labelPairs.length; i += 2) {
      want.put(labelPairs[i], labelPairs[i + 1]);
    }
    return families.get(name).samples().stream().filter(s -> s.labels().equals(want)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + name + want + " in " + families.get(name))).value();
  }

  // ------------------------------------------------------------------ tests

  @Test
  void itIsPrometheusTextWithTheExactContentType() throws Exception {
    scrape();
    HttpResponse<String> r = request("GET");
    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(DashboardMetrics.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
    HttpResponse<String> head = request("HEAD");
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    for (String method : List.of("POST", "PUT", "DELETE")) {
      assertEquals(405, request(method).statusCode(), method);
    }
  }

  @Test
  void everyFamilyHasHelpAndTypeAConventionalNameAndBaseUnits() {
    Map<String, Family> families = parse(scrape());
    assertEquals(FAMILIES, new TreeSet<>(families.keySet()));
    Pattern name = Pattern.compile("^tasklane_[a-z_]+$");
    for (Family f : families.values()) {
      assertTrue(name.matcher(f.name()).matches(), f.name());
      assertFalse(f.help().isBlank(), f.name());
      assertTrue(f.type().equals("counter") || f.type().equals("gauge"), f.name() + " " + f.type());
      assertEquals(f.type().equals("counter"), f.name().endsWith("_total"),
          f.name() + ": counters, and only counters, end in _total");
      for (String notBase : List.of("_milliseconds", "_millis", "_ms", "_percent", "_kilobytes", "_megabytes",
          "_kib", "_mib", "_minutes", "_hours", "_bits")) {
        assertFalse(f.name().contains(notBase), f.name() + ": base units only");
      }
      for (Sample s : f.samples()) {
        assertTrue(Double.isFinite(s.value()) && s.value() >= 0, s.toString());
      }
    }
    for (String perWorker : FAMILIES.stream().filter(n -> n.startsWith("tasklane_worker_")
        && !n.equals("tasklane_worker_threads")).toList()) {
      assertEquals(Set.of("worker", "host"), families.get(perWorker).samples().get(0).labels().keySet(), perWorker);
    }
  }

  @Test
  void theValuesAreTheDashboardsInBaseUnits() throws Exception {
    try (SseClient c = SseClient.connect(http, d.uri("events"))) {
      assertEquals("snapshot", c.nextEvent(WAIT).type());
      Map<String, Family> f = parse(scrape());
      assertEquals(1, value(f, "tasklane_workers"));
      assertEquals(4, value(f, "tasklane_worker_threads"));
      assertEquals(2, value(f, "tasklane_tasks", "state", "memory"), "1 of load + 1 of the other group");
      assertEquals(1, value(f, "tasklane_tasks", "state", "released"));
      assertEquals(2, value(f, "tasklane_tasks", "state", "waiting"), "0 of load, 2 of the other group");
      assertEquals(1, value(f, "tasklane_group_tasks", "group", "load", "state", "erred"));
      assertEquals(5, value(f, "tasklane_tasks_finished_total"));
      assertEquals(1, value(f, "tasklane_tasks_erred_total"));
      assertEquals(4 * 2048, value(f, "tasklane_transfer_bytes_total"), "4 tasks fetched 2048 bytes each");
      String[] w1 = {"worker", "w1", "host", "host-w1"};
      assertEquals(0.25, value(f, "tasklane_worker_cpu_ratio", w1), 1e-9, "25 % of one core");
      assertEquals(200_000_000, value(f, "tasklane_worker_memory_bytes", w1));
      assertEquals(1_000_000_000, value(f, "tasklane_worker_memory_limit_bytes", w1));
      assertEquals(1000, value(f, "tasklane_worker_network_receive_bytes_per_second", w1));
      assertEquals(2000, value(f, "tasklane_worker_network_transmit_bytes_per_second", w1));
      assertEquals(0, value(f, "tasklane_worker_disk_read_bytes_per_second", w1));
      assertEquals(512, value(f, "tasklane_worker_disk_write_bytes_per_second", w1));
      assertEquals(0.0005, value(f, "tasklane_worker_latency_seconds", w1), 1e-12, "0.5 ms");
      assertEquals(1, value(f, "tasklane_worker_tasks_executing", w1));
      assertEquals(0, value(f, "tasklane_worker_tasks_queued", w1));
      assertEquals(1, value(f, "tasklane_dashboard_sse_clients"));
      assertTrue(value(f, "tasklane_dashboard_sse_events_sent_total") >= 1, "the snapshot at least");
      assertEquals(0, value(f, "tasklane_dashboard_sse_clients_dropped_total"));
      assertEquals(1, value(f, "tasklane_dashboard_events_received_total", "kind", "snapshot"));
      assertEquals(1, value(f, "tasklane_dashboard_events_received_total", "kind", "scheduler_batch"));
      assertEquals(1, value(f, "tasklane_dashboard_events_received_total", "kind", "worker_metrics"));
      assertEquals(0, value(f, "tasklane_dashboard_event_gaps_total"));
    }
  }

  @Test
  void aDashboardOfItsOwnHasTheJvmsFigures() {
    // the test kit's system has no cluster roles: a dashboard process of its own, not one inside a scheduler
    String text = scrape();
    for (String family : List.of("jvm_memory_used_bytes{area=\"heap\"}", "jvm_gc_collection_seconds_count{",
        "jvm_threads_current ", "process_cpu_seconds_total ", "process_resident_memory_bytes ")) {
      assertTrue(text.contains("\n" + family), family + " in " + text);
    }
  }

  @Test
  void aGroupNameWithQuotesNewlinesAndBackslashesIsEscaped() {
    String text = scrape();
    assertTrue(text.contains("tasklane_group_tasks{group=\"we\\\"ird\\\\group\\nname} 1\\n# TYPE x counter\","
        + "state=\"memory\"} 1.0\n"), text);
    Map<String, Family> families = parse(text); // every line still parses
    assertEquals(1, value(families, "tasklane_group_tasks", "group", WEIRD, "state", "memory"), "and reads back");
    assertFalse(families.containsKey("x"), "no family smuggled in through a name");
  }

  // ------------------------------------------------------------------ promtool

  static Optional<Path> promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, "promtool");
      if (Files.isExecutable(p)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  @Test
  void promtoolChecksTheMetricsWithoutAProblem() throws Exception {
    Optional<Path> promtool = promtool();
    Assumptions.assumeTrue(promtool.isPresent(),
        "promtool is not installed (Debian: apt-get install -y prometheus); .ci/run installs it");
    String text = scrape();
    Process p = new ProcessBuilder(promtool.get().toString(), "check", "metrics").redirectErrorStream(true).start();
    try (OutputStream in = p.getOutputStream()) {
      in.write(text.getBytes(StandardCharsets.UTF_8));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (InputStream o = p.getInputStream()) {
      o.transferTo(out);
    }
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    String said = out.toString(StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
    assertEquals("", said.strip(), "no problems");
  }
}
