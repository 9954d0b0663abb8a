package org.tasklane.scheduler.metrics;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import java.io.File;
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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.scheduler.Scheduler;
import org.tasklane.scheduler.SchedulerSettings;
import org.tasklane.scheduler.code.GraphCode;
import org.tasklane.scheduler.http.ApiAuthentication;
import org.tasklane.scheduler.http.MetricsRoutes;

/**
 * The scheduler's {@code /metrics}: a real scheduler actor, timed by {@link MessageTiming}, runs a
 * graph through a probe worker; its figures show up in the scrape, over real HTTP behind the API
 * token, and pass {@code promtool check metrics}.
 */
class SchedulerMetricsTest {
  static final ActorTestKit testKit = ActorTestKit.create("SchedulerMetricsTest",
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final Duration TIMEOUT = Duration.ofSeconds(10);
  static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String TOKEN = "metrics-token-5a6b7c";

  static final SchedulerMetrics metrics = new SchedulerMetrics();
  static ActorRef<SchedulerProtocol.Command> scheduler;
  static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    SchedulerSettings settings = SchedulerSettings.fromConfig(testKit.system().settings().config());
    scheduler = testKit.spawn(MessageTiming.timed(metrics, Scheduler.create(settings, GraphCode.none(), metrics)),
        "scheduler");
    binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(ApiAuthentication.require(Optional.of(AccessToken.of(TOKEN)), new MetricsRoutes(metrics).routes()))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    runAGraph();
  }

  @AfterAll
  static void stop() throws Exception {
    if (binding != null) {
      binding.unbind().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    testKit.shutdownTestKit();
  }

  /** A probe worker registers and runs a graph of three tasks: two ok, one erred. */
  static void runAGraph() {
    TestProbe<WorkerProtocol.Command> worker = testKit.createTestProbe();
    TestProbe<WorkerProtocol.DataCommand> data = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, worker.ref()));
    worker.expectMessageClass(WorkerProtocol.RegisterWith.class, TIMEOUT);
    scheduler.tell(new SchedulerProtocol.RegisterWorker(worker.ref(), data.ref(),
        new WorkerInfo("w1", "127.0.0.1", "127.0.0.1:1", 4, List.of("inc"), 1)));
    TestProbe<SchedulerProtocol.SubmitReply> submitted = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("g1", new GraphSpec("g", List.of(
        new TaskSpec("a-1", "inc", List.of(JSON.numberNode(1)), null),
        new TaskSpec("a-2", "inc", List.of(JSON.numberNode(2)), null),
        new TaskSpec("b-1", "inc", List.of(JSON.numberNode(3)), null)), null), submitted.ref()));
    assertNull(submitted.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT).error());
    List<TaskAssignment> assigned = new ArrayList<>();
    while (assigned.size() < 3) {
      List<WorkerProtocol.Command> got = worker.fishForMessage(TIMEOUT, m -> m instanceof WorkerProtocol.AssignTasks
          ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
      assigned.addAll(((WorkerProtocol.AssignTasks) got.get(got.size() - 1)).tasks());
    }
    long now = System.currentTimeMillis() * 1000;
    List<TaskReport> reports = new ArrayList<>();
    for (TaskAssignment t : assigned) {
      reports.add(t.key().equals("b-1")
          ? new TaskReport(t.taskId(), TaskReport.Outcome.ERRED, 0, now, now + 10, "exec-0", List.of(), "boom", List.of())
          : new TaskReport(t.taskId(), TaskReport.Outcome.OK, 8, now, now + 10, "exec-0", List.of(), null, List.of()));
    }
    scheduler.tell(new SchedulerProtocol.TasksFinished(worker.ref(), reports));
  }

  static HttpResponse<String> get(String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
        + binding.localAddress().getPort() + "/metrics")).timeout(TIMEOUT);
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The value of the sample that starts with {@code series} (name and labels exactly as written). */
  static double value(String text, String series) {
    for (String line : text.split("\n")) {
      if (line.startsWith(series + " ")) {
        return Double.parseDouble(line.substring(series.length() + 1).trim());
      }
    }
    throw new AssertionError("no " + series + " in\n" + text);
  }

  /** The scrape, once the scheduler's figures of the finished graph are in (its tick, once a second). */
  static String settledScrape() {
    return testKit.createTestProbe().awaitAssert(TIMEOUT, () -> {
      String text = new String(metrics.scrape(), StandardCharsets.UTF_8);
      assertEquals(1, value(text, "tasklane_scheduler_graphs{state=\"done\"}"), text);
      assertTrue(value(text, "tasklane_scheduler_mailbox_delay_seconds_count") >= 1, "a probe came through");
      return text;
    });
  }

  @Test
  void theGraphsFiguresAreScraped() {
    String text = settledScrape();
    assertEquals(3, value(text, "tasklane_scheduler_assignments_total"));
    assertEquals(2, value(text, "tasklane_scheduler_task_reports_total{outcome=\"ok\"}"));
    assertEquals(1, value(text, "tasklane_scheduler_task_reports_total{outcome=\"erred\"}"));
    assertEquals(0, value(text, "tasklane_scheduler_task_reports_total{outcome=\"missing_data\"}"));
    assertEquals(2, value(text, "tasklane_scheduler_tasks{state=\"memory\"}"));
    assertEquals(1, value(text, "tasklane_scheduler_tasks{state=\"erred\"}"));
    assertEquals(0, value(text, "tasklane_scheduler_tasks{state=\"processing\"}"), "every state is there, 0 too");
    assertEquals(0, value(text, "tasklane_scheduler_graphs{state=\"running\"}"));
    assertEquals(1, value(text, "tasklane_scheduler_workers"));
    assertEquals(4, value(text, "tasklane_scheduler_worker_threads"));
  }

  @Test
  void theEventLoopIsTimedByMessageType() {
    String text = settledScrape();
    assertEquals(1, value(text, "tasklane_scheduler_message_duration_seconds_count{message=\"SubmitGraph\"}"));
    assertEquals(1, value(text, "tasklane_scheduler_message_duration_seconds_count{message=\"TasksFinished\"}"));
    assertEquals(1, value(text,
        "tasklane_scheduler_message_duration_seconds_bucket{message=\"SubmitGraph\",le=\"+Inf\"}"));
    assertTrue(value(text, "tasklane_scheduler_message_duration_seconds_count{message=\"Tick\"}") >= 1);
    assertFalse(text.contains("message=\"MailboxProbe\""), "the probe is the interceptor's own, not timed");
    assertTrue(text.contains("# TYPE tasklane_scheduler_mailbox_delay_seconds histogram"), text);
  }

  @Test
  void jvmFiguresAreThere() {
    String text = settledScrape();
    for (String family : List.of("jvm_memory_used_bytes{area=\"heap\"}", "jvm_threads_current ",
        "jvm_gc_collection_seconds_count{", "process_cpu_seconds_total ")) {
      assertTrue(text.contains("\n" + family), family);
    }
  }

  @Test
  void theRouteAnswersOnlyWithTheToken() throws Exception {
    settledScrape();
    assertEquals(401, get(null).statusCode());
    assertEquals(401, get("wrong").statusCode());
    HttpResponse<String> r = get(TOKEN);
    assertEquals(200, r.statusCode());
    assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals(SchedulerMetrics.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(""));
    assertTrue(r.body().contains("\ntasklane_scheduler_workers 1"), r.body());
  }

  @Test
  void promtoolFindsNoProblem() throws Exception {
    Path promtool = null;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(dir, "promtool"))) {
        promtool = Path.of(dir, "promtool");
      }
    }
    Assumptions.assumeTrue(promtool != null,
        "promtool is not installed (Debian: apt-get install -y prometheus); .ci/run installs it");
    byte[] text = settledScrape().getBytes(StandardCharsets.UTF_8);
    Process p = new ProcessBuilder(promtool.toString(), "check", "metrics").redirectErrorStream(true).start();
    try (var in = p.getOutputStream()) {
      in.write(text);
    }
    String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS), "promtool finished");
    assertEquals(0, p.exitValue(), "promtool check metrics: " + said);
    assertEquals("", said.strip(), "no problems");
  }
}
