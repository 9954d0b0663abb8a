package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.history.HistoryRecord;
import org.tasklane.dashboard.history.RunFileAppender;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.stream.Materializer;
import org.tasklane.dashboard.Dashboard;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.UpdateHub;
import org.tasklane.dashboard.history.HistoryStore;
import org.tasklane.dashboard.report.RunReport;
import org.tasklane.dashboard.report.Runs;
import org.tasklane.dashboard.report.TraceExportTest;

/** runs/ID/report.html and runs/ID/trace.json over real HTTP, from run files written by the history's appender. */
class RunExportRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("RunExportRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static Path dir;
  static ServerBinding binding;
  static ServerBinding smallHeap;
  static Materializer materializer;
  static String base;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("run-export");
    Runs sample = TraceExportTest.sample();
    write("20270115-080000-000-doneRun", recordsOf(sample, true));
    write("20270115-080000-000-liveRun", recordsOf(TraceExportTest.sample(), false));
    HistoryStore store = new HistoryStore(dir, 100, 1L << 30, true);
    store.scan();
    // the whole dashboard, so that the hook in HistoryRoutes and the headers around it are tested too
    var system = testKit.system();
    DashboardSettings settings = DashboardSettings.fromConfig(system.settings().config());
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    materializer = Materializer.createMaterializer(system);
    UpdateHub hub = UpdateHub.start(materializer, 1024, 256);
    var dashboard = testKit.spawn(Dashboard.create(settings, hub, mapper));
    DashboardRoutes routes = new DashboardRoutes(system, dashboard, hub, settings, mapper, new SseStats(),
        AccessControl.NONE, Optional.of(store));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(routes.routes()).toCompletableFuture().get();
    // the same runs, on a dashboard whose heap allows an export of 1,000 bytes
    smallHeap = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(new RunExportRoutes(system, id -> store.open(id), 1000).routes()).toCompletableFuture().get();
    base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/";
  }

  private static List<HistoryRecord> recordsOf(Runs runs, boolean finished) {
    runs.flush();
    List<HistoryRecord> all = new java.util.ArrayList<>(runs.records);
    if (finished) {
      all.add(new HistoryRecord.RunFinished(Runs.T0 / 1000 + 10, runs.graph("done", Runs.T0 / 1000 + 10)));
    }
    return all;
  }

  private static void write(String id, List<HistoryRecord> records) throws Exception {
    try (RunFileAppender a = new RunFileAppender(dir.resolve(id + ".tlrun"))) {
      for (HistoryRecord r : records) {
        a.append(r);
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get();
    smallHeap.terminate(Duration.ofSeconds(2)).toCompletableFuture().get();
    materializer.shutdown();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theReportIsOneHtmlFileWithItsOwnPolicy() throws Exception {
    HttpResponse<String> r = get("runs/20270115-080000-000-doneRun/report.html");
    assertEquals(200, r.statusCode());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    assertEquals(List.of(RunReport.CONTENT_SECURITY_POLICY), r.headers().allValues("Content-Security-Policy"),
        "the report's own policy, and not the dashboard's as well");
    assertEquals("nosniff", r.headers().firstValue("X-Content-Type-Options").orElse(null));
    assertTrue(r.body().startsWith("<!DOCTYPE html>"));
    assertTrue(r.body().trim().endsWith("</html>"));
    assertTrue(r.body().contains("id=\"run-data\""));
  }

  @Test
  void theTraceIsAnAttachmentThatFollowsTheRules() throws Exception {
    HttpResponse<String> r = get("runs/20270115-080000-000-doneRun/trace.json");
    assertEquals(200, r.statusCode());
    assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
    assertEquals("attachment; filename=\"tasklane-20270115-080000-000-doneRun.trace.json\"",
        r.headers().firstValue("Content-Disposition").orElse(""));
    JsonNode trace = json.readTree(r.body());
    long[] counts = TraceExportTest.checkRules(trace);
    assertEquals(6, counts[0]);
    assertEquals(3, counts[1]);
    assertFalse(trace.get("otherData").get("partial").asBoolean(), trace.get("otherData").toString());
  }

  @Test
  void aRunWithoutItsEndIsServedMarkedPartial() throws Exception {
    JsonNode other = json.readTree(get("runs/20270115-080000-000-liveRun/trace.json").body()).get("otherData");
    assertTrue(other.get("partial").asBoolean());
    assertFalse(other.get("partialReason").asText().isBlank());
  }

  @Test
  void unknownAndBadIdsAreOneLineOf404() throws Exception {
    assertEquals(List.of(DashboardRoutes.CONTENT_SECURITY_POLICY),
        get("runs/20270115-080000-000-doneRun/run.json").headers().allValues("Content-Security-Policy"));
    for (String path : List.of("runs/20270115-080000-000-nope/report.html", "runs/nope/report.html", "runs/nope/trace.json", "runs/..%2F20270115-080000-000-doneRun/trace.json",
        "runs/.hidden/report.html")) {
      HttpResponse<String> r = get(path);
      assertEquals(404, r.statusCode(), path);
      assertTrue(json.readTree(r.body()).get("error").isTextual(), path);
      assertEquals(1, r.body().lines().count(), path);
    }
  }

  @Test
  void manyRequestsAtOnceAreAnsweredAndFreeTheirSlots() throws Exception {
    List<java.util.concurrent.CompletableFuture<HttpResponse<String>>> all = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      all.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "runs/20270115-080000-000-doneRun/trace.json"))
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
    }
    for (var f : all) {
      int status = f.get().statusCode();
      assertTrue(status == 200 || status == 503, "status " + status);
    }
    // every slot is free again once the bodies are sent
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    int status;
    do {
      status = get("runs/20270115-080000-000-doneRun/trace.json").statusCode();
    } while (status != 200 && System.nanoTime() < deadline);
    assertEquals(200, status);
  }

  @Test
  void aRunTooLargeForTheHeapIsRefusedInOneLine() throws Exception {
    String url = "http://127.0.0.1:" + smallHeap.localAddress().getPort() + "/runs/20270115-080000-000-doneRun/report.html";
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(503, r.statusCode());
    assertTrue(json.readTree(r.body()).get("error").asText().contains("6 task records: exporting it needs"), r.body());
    assertEquals(1, r.body().lines().count());
  }
}
