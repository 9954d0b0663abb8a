package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneException;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * The scheduler's admission limits on a real cluster: how many graphs run at once
 * ({@code max-running-graphs}) and how many tasks it holds ({@code max-tasks}). A graph over a limit
 * is refused in one line naming the setting (429 with Retry-After while others run, 422 if it can
 * never fit), finished graphs make room for new ones, and nothing of a refused graph is kept.
 */
class AdmissionSystemTest {
  private static final Duration QUICK = Duration.ofSeconds(60);
  private static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Path conf = Files.createTempFile("admission", ".conf");
    Files.writeString(conf, "tasklane.scheduler { max-running-graphs = 1, max-tasks = 20 }\n");
    cluster = LocalCluster.start("admission", 1, 2, "--config", conf.toString());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One task that sleeps far longer than the test: it runs until it is cancelled. */
  private static GraphSpec napping() {
    TaskSpec nap = new TaskSpec("nap", "sleep", List.of(JsonNodeFactory.instance.numberNode(600)), null);
    return new GraphSpec("nap", List.of(nap), null);
  }

  @Test
  void graphsOverTheLimitsAreRefusedInOneLineAndFinishedOnesMakeRoom() throws Exception {
    String running = cluster.client().submit(napping());

    // a second graph while one runs: 429, Retry-After, the setting named
    HttpResponse<String> busy = post(DemoGraphs.independent(3));
    assertEquals(429, busy.statusCode(), busy.body());
    assertTrue(busy.headers().firstValue("Retry-After").isPresent(), "Retry-After on a 429");
    assertTrue(busy.body().contains("max-running-graphs"), busy.body());
    assertEquals(1, cluster.client().graphs().size(), "nothing kept of a refused graph");

    // the CLI says the same in one line and exits 1
    CliRun cli = CliRun.run("admission", "submit-busy", QUICK, "submit", "demo:inc:3", "--scheduler",
        "127.0.0.1:" + cluster.apiPort());
    assertEquals(1, cli.exit(), cli.describe());
    assertEquals(1, cli.errLines().size(), cli.describe());
    assertTrue(cli.err().contains("max-running-graphs"), cli.describe());

    // a graph larger than max-tasks can never fit: 422
    HttpResponse<String> huge = post(DemoGraphs.independent(21));
    assertEquals(422, huge.statusCode(), huge.body());
    assertTrue(huge.body().contains("21 tasks") && huge.body().contains("max-tasks"), huge.body());

    cluster.client().forget(running);

    // finished graphs are kept until new ones need their room: oldest first
    String first = runToEnd(DemoGraphs.independent(8));
    String second = runToEnd(DemoGraphs.independent(8));
    String third = runToEnd(DemoGraphs.independent(8)); // 24 > 20: the first goes
    TasklaneException gone = org.junit.jupiter.api.Assertions.assertThrows(
        TasklaneException.class, () -> cluster.client().status(first));
    assertEquals(404, gone.status());
    assertEquals("done", cluster.client().status(second).state());
    assertEquals("done", cluster.client().status(third).state());
  }

  private static String runToEnd(GraphSpec graph) {
    String id = cluster.client().submit(graph);
    assertEquals("done", cluster.client().awaitDone(id, QUICK).state());
    return id;
  }

  private static HttpResponse<String> post(GraphSpec graph) throws Exception {
    byte[] body = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(graph);
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .timeout(QUICK)
        .build();
    return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
  }
}
