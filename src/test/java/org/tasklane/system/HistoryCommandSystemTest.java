package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;

/**
 * {@code tasklane history --dir DIR} after the cluster that recorded a run has stopped: it serves
 * the run's listing and {@code run.json} with no cluster, answers a {@code ../} id with 404, changes
 * nothing in the folder, and a missing folder or a port in use is one line and a non-zero exit.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class HistoryCommandSystemTest {
  static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

  @TempDir Path temp;

  @Test
  void servesAStoppedClustersRunsAndChangesNothing() throws Exception {
    Path history = temp.resolve("history");
    try (LocalCluster cluster = LocalCluster.start("history-command", 1, 2, "--history-dir", history.toString())) {
      String id = cluster.client().submit(DemoGraphs.tree(100));
      GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(2));
      LocalCluster.await(Duration.ofSeconds(60), "the embedded dashboard lists the run as done", () -> {
        JsonNode r = RunHistories.run(cluster.dashboardUrl(), id);
        return r != null && r.get("state").asText().equals("done");
      });
      cluster.stop("worker-1", Duration.ofSeconds(60));
      cluster.stop("scheduler", Duration.ofSeconds(60));

      Map<String, String> before = files(history);
      assertTrue(before.keySet().stream().anyMatch(f -> f.endsWith(".tlrun")), before.toString());

      int port = LocalCluster.freePort();
      Process server = cluster.start("history", "history", "--dir", history.toString(), "--port", "" + port,
          "--address", "127.0.0.1");
      String base = "http://127.0.0.1:" + port + "/";
      String url = base + "runs";
      LocalCluster.await(Duration.ofSeconds(60), "the history server says where it is", () -> {
        if (!server.isAlive()) {
          throw new AssertionError("the history server exited with " + server.exitValue() + "; see " + cluster.log("history"));
        }
        try {
          return Files.readString(cluster.log("history")).contains("History at: " + url);
        } catch (IOException e) {
          return false;
        }
      });
      JsonNode run = RunHistories.run(base, id);
      assertNotNull(run, "runs.json lists the run");
      assertEquals("done", run.get("state").asText());
      assertEquals(status.tasks(), run.get("tasks").asInt());
      assertEquals(status.tasks(), run.get("recordedTasks").asLong());
      JsonNode one = LocalCluster.getJson(base + "runs/" + run.get("id").asText() + "/run.json");
      assertNotNull(one, "run.json answers");
      assertEquals(id, one.get("graphId").asText());

      HttpResponse<String> root = get(base);
      assertEquals(302, root.statusCode());
      assertEquals("runs", root.headers().firstValue("Location").orElse(null));
      assertEquals(200, get(url).statusCode());
      assertTrue(get(url).headers().firstValue("Content-Security-Policy").isPresent());
      for (String bad : List.of("runs/..%2F..%2Fscheduler.log/run.json", "runs/%2E%2E/run.json",
          "runs/../../etc/passwd/run.json")) {
        HttpResponse<String> r = get(base + bad);
        assertEquals(404, r.statusCode(), bad + ": " + r.body());
      }

      cluster.stop("history", Duration.ofSeconds(30)); // SIGTERM; it must end within the timeout
      assertEquals(before, files(history), "the history server wrote, locked or deleted nothing in the folder");
    }
  }

  @Test
  void aMissingFolderOrAPortInUseIsOneLine() throws Exception {
    CliRun missing = CliRun.run("history-command", "missing", Duration.ofSeconds(60), "history", "--dir",
        temp.resolve("no-such-folder").toString(), "--port", "0");
    assertNotEquals(0, missing.exit(), missing.describe());
    assertEquals(1, missing.errLines().size(), missing.describe());
    assertTrue(missing.err().contains("does not exist"), missing.describe());
    assertFalse(Files.exists(temp.resolve("no-such-folder")), "not created");

    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      CliRun inUse = CliRun.run("history-command", "port-in-use", Duration.ofSeconds(60), "history", "--dir",
          temp.toString(), "--port", "" + taken.getLocalPort(), "--address", "127.0.0.1");
      assertNotEquals(0, inUse.exit(), inUse.describe());
      assertEquals(1, inUse.errLines().size(), inUse.describe());
      assertTrue(inUse.err().contains("in use"), inUse.describe());
    }
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Every file under the folder with its size and modification time. */
  static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Files.size(p) + " bytes, modified " + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }
}
