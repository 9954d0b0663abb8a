package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.http.HistoryRoutes;

/** api/v1/runs.json, runs/ID/run.json and their 404s, over a real folder and a bound server. */
class HistoryRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create();
  static final HttpClient http = HttpClient.newHttpClient();
  static Path dir;
  static ServerBinding binding;
  static ServerBinding without;
  static String id;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("history-routes");
    id = RunIds.of(TestingRuns.T0, "g1");
    TestingRuns.write(dir.resolve(id + RunFileFormat.EXTENSION), TestingRuns.everyKind("g1"));
    HistoryStore store = new HistoryStore(dir, 10, 1L << 30, true);
    store.scan();
    ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-json", Optional.empty());
    binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(new HistoryRoutes(testKit.system(), Optional.of(store), mapper).routes())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    without = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(new HistoryRoutes(testKit.system(), Optional.empty(), mapper).routes())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> get(ServerBinding b, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + b.localAddress().getPort() + "/" + path))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void runsJsonListsTheRuns() throws Exception {
    HttpResponse<String> r = get(binding, "api/v1/runs.json");
    assertEquals(200, r.statusCode());
    JsonNode runs = new ObjectMapper().readTree(r.body());
    assertEquals(1, runs.size());
    assertEquals(id, runs.get(0).get("id").asText());
    assertEquals(11, runs.get(0).get("recordedTasks").asLong());
    assertEquals("[]", get(without, "api/v1/runs.json").body());
  }

  @Test
  void runJsonIsTheRunsInfo() throws Exception {
    HttpResponse<String> r = get(binding, "runs/" + id + "/run.json");
    assertEquals(200, r.statusCode());
    assertEquals("g1", new ObjectMapper().readTree(r.body()).get("graphId").asText());
  }

  @Test
  void badIdsAre404WithOneLine() throws Exception {
    for (String bad : List.of("runs/nosuch/run.json", "runs/..%2F..%2Fetc/run.json",
        "runs/20270115-080000-000-missing/run.json", "runs/%3Cb%3E/run.json")) {
      HttpResponse<String> r = get(binding, bad);
      assertEquals(404, r.statusCode(), bad);
      assertTrue(r.body().startsWith("{\"error\":"), r.body());
      assertFalse(r.body().contains("\n"));
    }
    // dots are resolved away before routing: nothing under runs/ matches, a plain 404
    assertEquals(404, get(binding, "runs/%2e%2e/run.json").statusCode());
    HttpResponse<String> off = get(without, "runs/" + id + "/run.json");
    assertEquals(404, off.statusCode());
    assertTrue(off.body().contains("keeps no run history"), off.body());
  }

  @Test
  void theRunsPageIsServed() throws Exception {
    HttpResponse<String> r = get(binding, "runs");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("assets/runs.js"));
  }
}
