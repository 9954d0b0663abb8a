package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;

/** A scheduler and two workers as separate JVMs, started through bin/tasklane, run real graphs. */
class EngineSystemTest {
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("engine", 2, 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void treeReductionOfTenThousandTasksGivesTheKnownSumMovesDataAndReleasesIt() {
    int leaves = 5001;
    var graph = DemoGraphs.tree(leaves);
    assertTrue(graph.tasks().size() >= 10_000, "at least 10,000 tasks");
    long inBefore = cluster.sumOverWorkers("/figures/transfers/in");

    String id = cluster.client().submit(graph);
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(3));
    assertEquals("done", status.state(), () -> "graph state: " + status);
    assertEquals(graph.tasks().size(), status.done());
    assertEquals(0, status.erred());
    assertTrue(status.transfers() > 0, "some inputs moved between workers: " + status.transfers());
    assertTrue(cluster.sumOverWorkers("/figures/transfers/in") > inBefore, "the workers themselves counted transfers in");

    GraphResults results = cluster.client().results(id);
    assertEquals(DemoGraphs.treeSum(leaves), results.results().get("total").asLong());
    assertTrue(results.errors().isEmpty(), () -> "errors: " + results.errors());

    // every result but the wanted one is gone from the workers' memory (releases travel async)
    LocalCluster.await(Duration.ofSeconds(30), "only the wanted result held by the workers",
        () -> cluster.sumOverWorkers("/figures/tasks/heldResults") == 1);

    cluster.client().forget(id);
    LocalCluster.await(Duration.ofSeconds(30), "nothing held after the graph is forgotten",
        () -> cluster.sumOverWorkers("/figures/tasks/heldResults") == 0);
  }

  @Test
  void aFailingTaskErrsItsDependentsAndTheRestOfTheGraphCompletes() {
    String id = cluster.client().submit(DemoGraphs.mixed(7));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(2));
    assertEquals("done", status.state());
    assertEquals(4, status.erred(), () -> "two failing tasks and their two dependents: " + status.errors());
    assertTrue(status.errors().get("flaky-0").contains("demo failure 0 of round 7"), status.errors()::toString);
    assertEquals("dependency flaky-0 failed", status.errors().get("after-flaky-0"));
    GraphResults results = cluster.client().results(id);
    assertTrue(results.results().containsKey("total"), "the rest of the graph completed");
    assertEquals("dependency flaky-1 failed", results.errors().get("after-flaky-1"));
    cluster.client().forget(id);
  }

  @Test
  void aPostThatWaitsAnswersOnceTheGraphIsDone() {
    GraphStatus status = cluster.client().submitAndWait(DemoGraphs.independent(3), Duration.ofMinutes(1));
    assertEquals("done", status.state());
    assertEquals(0, status.erred());
    assertEquals(3, cluster.client().results(status.id()).results().size());
    cluster.client().forget(status.id());
  }

  @Test
  void aPostThatWaitsAnswersWhenTheWaitPassesAndRefusesABadWait() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    String slow = "{\"tasks\": [{\"key\": \"nap\", \"fn\": \"sleep\", \"args\": [3, 1]}]}";
    HttpResponse<String> answer = http.send(post("api/v1/graphs?wait=0.3", slow), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, answer.statusCode(), answer.body());
    JsonNode body = new ObjectMapper().readTree(answer.body());
    assertEquals("running", body.path("status").path("state").asText(), answer.body());
    assertEquals(body.path("id").asText(), body.path("status").path("id").asText());
    cluster.client().forget(body.path("id").asText());

    HttpResponse<String> bad = http.send(post("api/v1/graphs?wait=soon", slow), HttpResponse.BodyHandlers.ofString());
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("wait must be a number of seconds"), bad.body());
  }

  private static HttpRequest post(String path, String json) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/" + path))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }
}
