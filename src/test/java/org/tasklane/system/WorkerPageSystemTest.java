package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * A worker up close on a real cluster (separate JVMs): the dashboard asks the worker itself for its
 * log lines, its running tasks and a thread dump, which is rate-limited.
 */
class WorkerPageSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("workerpage", 1, 2);
    LocalCluster.await(Duration.ofSeconds(60), "the dashboard knows worker-1 up close",
        () -> LocalCluster.getJson(api("tasks.json")) != null);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static String api(String part) {
    return cluster.dashboardUrl() + "api/v1/workers/worker-1/" + part;
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(15)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void theLogShowsTheLineTheWorkerPrintedWhenItStarted() {
    LocalCluster.await(Duration.ofSeconds(30), "worker-1's startup line in its log", () -> {
      JsonNode logs = LocalCluster.getJson(api("logs.json?lines=1000"));
      if (logs == null) {
        return false;
      }
      for (JsonNode line : logs.get("lines")) {
        if (line.get("message").asText().startsWith("Worker worker-1 started with 2 threads")
            && line.get("level").asText().equals("INFO")) {
          return true;
        }
      }
      return false;
    });
  }

  @Test
  void aDumpWhileASleepRunsShowsItsThreadInTheFunctionAndASecondDumpIsRefused() throws Exception {
    String id = cluster.client().submit(new GraphSpec("nap", List.of(new TaskSpec("nap-1", "sleep",
        List.of(JsonNodeFactory.instance.numberNode(20)), null)), null));
    try {
      LocalCluster.await(Duration.ofSeconds(30), "nap-1 running on worker-1", () -> {
        JsonNode running = LocalCluster.getJson(api("tasks.json"));
        return running != null && running.get("tasks").size() == 1
            && running.get("tasks").get(0).get("key").asText().equals("nap-1");
      });
      HttpResponse<String> first = get(api("threads.json"));
      assertEquals(200, first.statusCode(), first.body());
      JsonNode dump = JSON.readTree(first.body());
      assertEquals(2, dump.get("threads").size(), first.body());
      JsonNode busy = dump.get("threads").get(0);
      assertEquals("nap-1", busy.get("task").asText(), first.body());
      boolean inSleep = false;
      for (JsonNode frame : busy.get("frames")) {
        inSleep |= frame.asText().startsWith("org.tasklane.worker.builtin.Sleep.call(");
      }
      assertTrue(inSleep, "a frame of Sleep.call in " + busy.get("frames"));

      HttpResponse<String> second = get(api("threads.json"));
      assertEquals(429, second.statusCode(), second.body());
      assertNotNull(second.headers().firstValue("Retry-After").orElse(null));
      String error = JSON.readTree(second.body()).get("error").asText();
      assertTrue(error.matches("worker worker-1 takes one thread dump per 5 s; try again in \\d\\.\\d s"), error);
    } finally {
      cluster.client().forget(id);
    }
  }

  @Test
  void anUnknownWorkerIsNotFound() throws Exception {
    HttpResponse<String> r = get(cluster.dashboardUrl() + "api/v1/workers/nobody/threads.json");
    assertEquals(404, r.statusCode());
  }
}
