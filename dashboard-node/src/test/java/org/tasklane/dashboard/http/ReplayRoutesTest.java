package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.history.RunRecording;
import org.tasklane.dashboard.history.SimulatedRuns;

/** The replay routes under runs/ID/ over real HTTP, on a simulated recorded run. */
class ReplayRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("ReplayRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final Duration WAIT = Duration.ofSeconds(20);
  static SimulatedRuns.Run run;
  static ObjectMapper mapper;
  static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    run = SimulatedRuns.tenSecondRun(List.of(SimulatedRuns.T0 + 2500, SimulatedRuns.T0 + 5000));
    mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-json", Optional.empty());
    Map<String, SimulatedRuns.Run> runs = Map.of("run-1", run);
    ReplayRoutes replay = new ReplayRoutes(testKit.system(),
        id -> Optional.ofNullable(runs.get(id)).map(r -> (RunRecording) r.recording()),
        DashboardSettings.fromConfig(testKit.system().settings().config()), mapper);
    binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
        .bind(pathPrefix("runs", () -> pathPrefix(PathMatchers.segment(), replay::routes)))
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + "/runs/" + path);
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(uri(path)).timeout(WAIT).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  static JsonNode json(String path) throws Exception {
    HttpResponse<String> r = get(path);
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return mapper.readTree(r.body());
  }

  @Test
  void statusAtATimeIsTheLiveSnapshotThen() throws Exception {
    for (long t : List.of(SimulatedRuns.T0 + 2500, SimulatedRuns.T0 + 5000)) {
      JsonNode replayed = json("run-1/api/v1/status.json?t=" + t);
      JsonNode live = mapper.readTree(mapper.writeValueAsString(run.live().get(t)));
      assertTrue(live.equals(replayed), "the live snapshot at " + t);
      assertEquals(t, replayed.get("now").asLong());
    }
    // no t: the run's end; a t past it: the end too
    JsonNode end = json("run-1/api/v1/status.json");
    assertEquals(run.end(), end.get("now").asLong());
    assertEquals(end, json("run-1/api/v1/status.json?t=" + (run.end() + 99_000)));
    assertEquals(1, end.get("groups").get(1).get("memory").asInt(), end.toString());
    assertEquals(end.get("groups"), json("run-1/api/v1/groups.json"));
    assertEquals(end.get("workers"), json("run-1/api/v1/workers.json"));
    assertEquals(end.get("history"), json("run-1/api/v1/resources.json"));
    assertEquals(2, json("run-1/api/v1/hosts.json").size());
  }

  @Test
  void tasksOfAWindowComeOneByOneOrSummarised() throws Exception {
    // the whole run (no from, no to): 4,001 tasks, few enough to come one by one
    JsonNode whole = json("run-1/api/v1/tasks.json?width=600");
    assertEquals("tasks", whole.get("detail").asText());
    assertEquals(run.tasks(), whole.get("total").asLong());
    assertEquals(run.tasks(), whole.get("tasks").size());
    // a pixel for the whole run: still every task (TaskDetailTest has the summaries)
    assertEquals(run.tasks(), json("run-1/api/v1/tasks.json?width=1").get("total").asLong());
    long from = SimulatedRuns.T0 * 1000 + 3_000_000;
    JsonNode narrow = json("run-1/api/v1/tasks.json?from=" + from + "&to=" + (from + 100_000) + "&width=600");
    assertEquals("tasks", narrow.get("detail").asText());
    assertTrue(narrow.get("tasks").size() > 0 && narrow.get("tasks").size() < 100, narrow.toString());
    assertTrue(narrow.get("tasks").get(0).get("key").asText().startsWith("load-"));
  }

  @Test
  void theEventStreamIsTheLiveShapesFromASnapshotAtTToAStatusAtTheEnd() throws Exception {
    long t = SimulatedRuns.T0 + 2500;
    JsonNode expected = json("run-1/api/v1/status.json?t=" + t);
    try (SseClient c = SseClient.connect(http, uri("run-1/events?t=" + t + "&speed=100"))) {
      assertEquals(200, c.response.statusCode());
      assertTrue(c.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
      SseClient.Event first = c.nextEvent(WAIT);
      assertEquals("snapshot", first.type());
      assertEquals("1", first.id());
      JsonNode snapshot = mapper.readTree(first.data());
      ((ObjectNode) expected).remove("seq");
      ((ObjectNode) snapshot).remove("seq");
      assertEquals(expected, snapshot, "the snapshot at t");
      long seq = 1;
      List<String> names = new ArrayList<>();
      while (true) {
        SseClient.Event e = c.nextEvent(WAIT);
        JsonNode d = mapper.readTree(e.data());
        assertEquals(++seq, Long.parseLong(e.id()));
        assertEquals(seq, d.get("seq").asLong());
        names.add(e.type());
        switch (e.type()) {
          case "progress" -> assertTrue(d.get("groups").isArray() && d.get("removed").isArray());
          case "tasks" -> assertTrue(d.get("tasks").get(0).has("key"));
          case "resources" -> assertTrue(d.has("resources") && d.has("point"));
          case "workers" -> assertTrue(d.get("workers").isArray());
          case "status" -> assertFalse(d.get("connected").asBoolean());
          default -> fail("unexpected event " + e.type());
        }
        if (e.type().equals("status")) {
          break;
        }
      }
      assertTrue(names.containsAll(List.of("progress", "tasks", "resources", "workers")), names.toString());
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!c.ended() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
        c.poll();
      }
      assertTrue(c.ended(), "the stream ends after the status");
    }
  }

  @Test
  void badParametersAre400AndUnknownRuns404() throws Exception {
    for (String bad : List.of("run-1/api/v1/status.json?t=abc", "run-1/api/v1/status.json?t=-5",
        "run-1/events?speed=3", "run-1/events?t=1e9", "run-1/api/v1/tasks.json?width=0",
        "run-1/api/v1/tasks.json?from=10&to=5", "run-1/api/v1/tasks.json?width=99999")) {
      HttpResponse<String> r = get(bad);
      assertEquals(400, r.statusCode(), bad);
      JsonNode e = mapper.readTree(r.body());
      assertFalse(e.get("error").asText().contains("\n"), r.body());
    }
    assertEquals("speed must be 1, 10 or 100, got '3'",
        mapper.readTree(get("run-1/events?speed=3").body()).get("error").asText());
    for (String unknown : List.of("nope/api/v1/status.json", "nope/events?t=1", "nope/status", "nope/tasks",
        "..%2Fx/status", ".hidden/status")) {
      assertEquals(404, get(unknown).statusCode(), unknown);
    }
    assertEquals(200, get("run-1/status").statusCode());
    assertEquals(200, get("run-1/tasks").statusCode());
    assertEquals(404, get("run-1/assets/..%2Fsecret.txt").statusCode());
  }
}
