package org.tasklane.dashboard.http;

import org.tasklane.dashboard.TestingMetrics;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;

/** The worker page's routes over real HTTP, the dashboard asking a stand-in worker directly. */
class WorkerRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("WorkerRoutesTest", ConfigFactory.load("application-test"));
  static final ActorTestKit noLogsKit = ActorTestKit.create("WorkerRoutesNoLogsTest",
      ConfigFactory.parseString("tasklane.dashboard.worker-logs = off").withFallback(ConfigFactory.load("application-test")));
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  /** A name that needs URL encoding. */
  static final String NAME = "w/1 <b>";
  static final String PATH = "w%2F1%20%3Cb%3E";
  static TestingDashboard dashboard;
  static TestingDashboard noLogs;
  static final FakeWorker worker = new FakeWorker(NAME);
  static final FakeWorker quietWorker = new FakeWorker(NAME);

  @BeforeAll
  static void start() throws Exception {
    dashboard = TestingDashboard.start(testKit);
    noLogs = TestingDashboard.start(noLogsKit);
    testKit.spawn(worker.behavior(), "fake-worker");
    noLogsKit.spawn(quietWorker.behavior(), "fake-worker");
    awaitListed(testKit, dashboard);
    awaitListed(noLogsKit, noLogs);
  }

  /** Feeds the worker's metrics (its address: the local system's) until its page finds its actor. */
  private static void awaitListed(ActorTestKit kit, TestingDashboard d) {
    TestProbe<Object> probe = kit.createTestProbe();
    probe.awaitAssert(Duration.ofSeconds(10), () -> {
      d.dashboard.tell(metrics(NAME, System.nanoTime()));
      try {
        assertEquals(200, get(d, "api/v1/workers/" + PATH + "/tasks.json").statusCode());
      } catch (Exception e) {
        throw new AssertionError(e);
      }
      return null;
    });
  }

  static DashboardProtocol.WorkerMetrics metrics(String name, long seq) {
    // a local actor's address, as WorkerDetails sees it: no host, no port
    return TestingMetrics.flat(name, "winc-1", seq, System.currentTimeMillis(), "host-1", ":0", 2, 1,
        3, 5, 5000, 1, 100, 2, 200, 42, 87.5, 200_000_000L, 1_000_000_000L, 1000.0, 2000.0, 0.0, 512.0);
  }

  @AfterAll
  static void stop() throws Exception {
    dashboard.close();
    noLogs.close();
    testKit.shutdownTestKit();
    noLogsKit.shutdownTestKit();
  }

  static HttpResponse<String> get(TestingDashboard d, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(d.uri(path)).timeout(Duration.ofSeconds(10)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode body(HttpResponse<String> r) throws Exception {
    return json.readTree(r.body());
  }

  @Test
  void thePageIsServedForAnEncodedNameWithTheDashboardsHeaders() throws Exception {
    HttpResponse<String> r = get(dashboard, "workers/" + PATH);
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("src=\"../assets/worker.js\""), r.body());
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null));
    assertEquals(400, get(dashboard, "workers/a%01b").statusCode());
    assertEquals(200, get(dashboard, "assets/worker.js").statusCode());
    assertEquals(200, get(dashboard, "assets/workercharts.js").statusCode());
  }

  @Test
  void historyHasTheWorkersFiguresOverTime() throws Exception {
    HttpResponse<String> r = get(dashboard, "api/v1/workers/" + PATH + "/history.json");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode h = body(r);
    assertEquals(NAME, h.get("name").asText());
    assertTrue(h.get("present").asBoolean());
    JsonNode last = h.get("points").get(h.get("points").size() - 1);
    assertEquals(87.5, last.get("cpu").asDouble());
    assertEquals(200_000_000L, last.get("memory").asLong());
    assertEquals(0, last.get("time").asLong() % 1000);
    assertEquals("no-store", r.headers().firstValue("Cache-Control").orElse(null));
  }

  @Test
  void anUnknownWorkerIsNotFoundInOneLine() throws Exception {
    HttpResponse<String> r = get(dashboard, "api/v1/workers/nobody/logs.json");
    assertEquals(404, r.statusCode());
    assertEquals("no worker named nobody (or none heard from in the last 10 minutes)", body(r).get("error").asText());
    assertEquals(1, body(r).size());
  }

  @Test
  void runningTasksComeFromTheWorker() throws Exception {
    HttpResponse<String> raw = get(dashboard, "api/v1/workers/" + PATH + "/tasks.json");
    JsonNode r = body(raw);
    assertEquals(3, r.get("queued").asInt());
    assertEquals("<b>nap-1</b>", r.get("tasks").get(0).get("key").asText());
    assertTrue(raw.body().contains("\"start\":1700000000500.25"), raw.body()); // ms, never in exponent notation
  }

  @Test
  void logsComeFromTheWorkerAsText() throws Exception {
    HttpResponse<String> r = get(dashboard, "api/v1/workers/" + PATH + "/logs.json?lines=2");
    assertEquals(200, r.statusCode(), r.body());
    JsonNode l = body(r);
    assertEquals(7, l.get("dropped").asLong());
    assertEquals("<img src=x onerror=alert(1)>", l.get("lines").get(1).get("message").asText());
    assertEquals("nap-1", l.get("lines").get(1).get("task").asText());
    assertEquals(9, l.get("lastSeq").asLong());
    JsonNode after = body(get(dashboard, "api/v1/workers/" + PATH + "/logs.json?after=8"));
    assertEquals(1, after.get("lines").size());
    assertEquals(9, after.get("lines").get(0).get("seq").asLong());
    assertEquals(400, get(dashboard, "api/v1/workers/" + PATH + "/logs.json?after=-1").statusCode());
    assertEquals(400, get(dashboard, "api/v1/workers/" + PATH + "/logs.json?lines=0").statusCode());
    assertEquals(400, get(dashboard, "api/v1/workers/" + PATH + "/logs.json?lines=many").statusCode());
  }

  @Test
  void withWorkerLogsOffTheRouteIsForbiddenAndTheWorkerIsNotAsked() throws Exception {
    HttpResponse<String> r = get(noLogs, "api/v1/workers/" + PATH + "/logs.json");
    assertEquals(403, r.statusCode());
    assertEquals("worker logs are off on this dashboard (tasklane.dashboard.worker-logs = off, --no-worker-logs)",
        body(r).get("error").asText());
    assertEquals(0, quietWorker.logRequests.get());
    assertEquals(200, get(noLogs, "api/v1/workers/" + PATH + "/tasks.json").statusCode());
  }

  @Test
  void aSecondDumpWithinTheWorkersLimitIsRefusedWithWhenToRetry() throws Exception {
    HttpResponse<String> first = get(dashboard, "api/v1/workers/" + PATH + "/threads.json");
    assertEquals(200, first.statusCode(), first.body());
    JsonNode t = body(first).get("threads").get(0);
    assertEquals("nap-1", t.get("task").asText());
    assertEquals("org.tasklane.worker.builtin.Sleep.call(Sleep.java:21)", t.get("frames").get(1).asText());
    assertEquals(9, t.get("moreFrames").asInt());
    HttpResponse<String> second = get(dashboard, "api/v1/workers/" + PATH + "/threads.json");
    assertEquals(429, second.statusCode());
    assertEquals("5", second.headers().firstValue("Retry-After").orElse(null));
    assertEquals("worker " + NAME + " takes one thread dump per 5 s; try again in 4.2 s", body(second).get("error").asText());
  }
}
