package org.tasklane.scheduler.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.scheduler.Scheduler;
import org.tasklane.scheduler.SchedulerSettings;

/** {@code GET /api/v1/graphs/{id}/tasks/{key}/explain} over real HTTP against a scheduler with no workers. */
class ExplainRouteTest {
  static final ActorTestKit testKit = ActorTestKit.create("ExplainRouteTest",
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String GRAPH = "{\"tasks\": [{\"key\": \"load/0\", \"fn\": \"inc\", \"args\": [1]},"
      + " {\"key\": \"total\", \"fn\": \"inc\", \"args\": [{\"ref\": \"load/0\"}]}]}";

  static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    var system = testKit.system();
    SchedulerSettings settings = SchedulerSettings.fromConfig(system.settings().config());
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings), "scheduler");
    binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(new ClientApiRoutes(system, scheduler, settings, mapper).routes())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> send(String method, String path, String body) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort()
            + path)).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String explainPath(String graph, String key) {
    return "/api/v1/graphs/" + graph + "/tasks/" + URLEncoder.encode(key, StandardCharsets.UTF_8).replace("+", "%20")
        + "/explain";
  }

  @Test
  void explainsABlockedTaskAndTheOneItWaitsFor() throws Exception {
    HttpResponse<String> submitted = send("POST", "/api/v1/graphs", GRAPH);
    assertEquals(201, submitted.statusCode(), submitted.body());
    String id = json.readTree(submitted.body()).get("id").asText();

    HttpResponse<String> total = send("GET", explainPath(id, "total"), null);
    assertEquals(200, total.statusCode(), total.body());
    JsonNode e = json.readTree(total.body());
    assertEquals("waiting", e.get("state").asText());
    assertEquals("Waiting on 1 of 1 input: load/0 (queued).", e.get("summary").asText());
    assertEquals("load/0", e.get("inputs").get(0).get("key").asText());
    assertEquals("queued", e.get("inputs").get(0).get("state").asText());

    JsonNode load = json.readTree(send("GET", explainPath(id, "load/0"), null).body());
    assertEquals("Ready, but not running: no worker is registered.", load.get("summary").asText());
    assertEquals("inc", load.get("function").asText());
  }

  @Test
  void anUnknownGraphOrTaskIsA404WithOneLine() throws Exception {
    HttpResponse<String> noGraph = send("GET", explainPath("nope", "a"), null);
    assertEquals(404, noGraph.statusCode());
    assertTrue(json.readTree(noGraph.body()).get("error").asText().startsWith("no graph nope on this scheduler"));

    String id = json.readTree(send("POST", "/api/v1/graphs", GRAPH).body()).get("id").asText();
    HttpResponse<String> noTask = send("GET", explainPath(id, "<b>x</b>"), null);
    assertEquals(404, noTask.statusCode());
    assertEquals("graph " + id + " has no task '<b>x</b>'", json.readTree(noTask.body()).get("error").asText());
  }
}
