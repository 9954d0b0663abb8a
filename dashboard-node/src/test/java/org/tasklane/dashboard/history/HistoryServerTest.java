package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.dashboard.HistoryServer;
import org.tasklane.dashboard.http.DashboardRoutes;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The history server ({@code tasklane history}) over real HTTP, on a folder of run files: it lists
 * and serves them with no cluster, picks up runs added later, keeps the dashboard's headers,
 * methods, prefix and authentication, and changes nothing in the folder. (In this package for
 * {@link TestingRuns}; the server is {@link HistoryServer}.)
 */
class HistoryServerTest {
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  static final ObjectMapper json = new ObjectMapper();

  @TempDir Path dir;

  private String writeRun(String graphId, long submitted) throws IOException {
    List<HistoryRecord> records = TestingRuns.everyKind(graphId).stream()
        .map(r -> r instanceof HistoryRecord.RunStarted s
            ? new HistoryRecord.RunStarted(s.timeMillis(), new DashboardProtocol.GraphEvent(graphId, "name of " + graphId,
                "running", submitted, 0, 10, 0, List.of()), "inc1", false)
            : r)
        .toList();
    String id = RunIds.of(submitted, graphId);
    TestingRuns.write(dir.resolve(id + RunFileFormat.EXTENSION), records);
    return id;
  }

  private static Config config(Map<String, Object> settings) {
    Map<String, Object> o = new java.util.HashMap<>(Map.of("tasklane.dashboard.address", "127.0.0.1",
        "tasklane.dashboard.port", 0, "pekko.loglevel", "WARNING"));
    o.putAll(settings);
    return ConfigFactory.parseMap(o).withFallback(ConfigFactory.load());
  }

  static HttpResponse<String> send(String method, URI uri, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    if (headers.length > 0) {
      b.headers(headers);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Every file of the folder with its size and modification time. */
  private Map<String, String> files() throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.toList()) {
        out.put(p.getFileName().toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis());
      }
    }
    return out;
  }

  @Test
  void servesTheRunsOfAFolderReadOnlyAndListsRunsAddedLater() throws Exception {
    String first = writeRun("first", TestingRuns.T0);
    Map<String, String> before = files();
    HistoryServer.Started server = HistoryServer.start(dir, config(Map.of("tasklane.dashboard.prefix", "/h/")),
        Duration.ofSeconds(20));
    try {
      String base = "http://127.0.0.1:" + server.address().getPort() + "/h/";
      HttpResponse<String> runs = send("GET", URI.create(base + "api/v1/runs.json"));
      assertEquals(200, runs.statusCode());
      assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, runs.headers().firstValue("Content-Security-Policy").orElse(null));
      assertEquals("nosniff", runs.headers().firstValue("X-Content-Type-Options").orElse(null));
      JsonNode list = json.readTree(runs.body());
      assertEquals(1, list.size());
      assertEquals(first, list.get(0).get("id").asText());
      assertEquals("name of first", list.get(0).get("name").asText());

      HttpResponse<String> run = send("GET", URI.create(base + "runs/" + first + "/run.json"));
      assertEquals(200, run.statusCode(), run.body());
      assertEquals("done", json.readTree(run.body()).get("state").asText());

      for (String bad : List.of("runs/..%2F..%2Fetc%2Fpasswd/run.json", "runs/20270115-080000-000-none/run.json",
          "runs/.." + "/run.json")) {
        HttpResponse<String> r = send("GET", URI.create(base + bad));
        assertEquals(404, r.statusCode(), bad + ": " + r.body());
        assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null));
      }
      HttpResponse<String> root = send("GET", URI.create(base));
      assertEquals(302, root.statusCode());
      assertEquals("runs", root.headers().firstValue("Location").orElse(null));
      assertEquals("runs", send("GET", URI.create(base + "status")).headers().firstValue("Location").orElse(null));
      assertEquals("h/runs", send("GET", URI.create(base.substring(0, base.length() - 1)))
          .headers().firstValue("Location").orElse(null));
      HttpResponse<String> page = send("GET", URI.create(base + "runs"));
      assertEquals(200, page.statusCode());
      assertTrue(page.body().contains("assets/runs.js"));
      assertEquals(200, send("GET", URI.create(base + "assets/runs.js")).statusCode());
      assertEquals(200, send("GET", URI.create(base + "assets/app.css")).statusCode());
      assertEquals("ok", send("GET", URI.create(base + "health")).body());
      assertEquals(405, send("POST", URI.create(base + "api/v1/runs.json")).statusCode());
      assertEquals(404, send("GET", URI.create("http://127.0.0.1:" + server.address().getPort() + "/api/v1/runs.json"))
          .statusCode(), "nothing outside the prefix");

      String second = writeRun("second", TestingRuns.T0 + 60_000);
      Map<String, String> withSecond = files();
      long deadline = System.nanoTime() + 20_000_000_000L;
      List<String> ids = List.of();
      while (System.nanoTime() < deadline) {
        ids = json.readTree(send("GET", URI.create(base + "api/v1/runs.json")).body()).findValuesAsText("id");
        if (ids.size() == 2) {
          break;
        }
        Thread.sleep(100);
      }
      assertEquals(List.of(second, first), ids, "the new run is listed, newest first");
      assertEquals(withSecond, files(), "the server wrote, locked or deleted nothing");
      assertTrue(withSecond.keySet().containsAll(before.keySet()));
      assertFalse(Files.exists(dir.resolve(".lock")));
    } finally {
      server.system().terminate();
      server.system().getWhenTerminated().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void withAnAuthFileEveryRouteWantsTheToken() throws Exception {
    String id = writeRun("g", TestingRuns.T0);
    Path token = Files.writeString(Files.createTempDirectory("auth").resolve("token"), "history-token-1\n");
    HistoryServer.Started server = HistoryServer.start(dir,
        config(Map.of("tasklane.dashboard.auth-file", token.toString())), Duration.ofSeconds(20));
    try {
      String base = "http://127.0.0.1:" + server.address().getPort() + "/";
      for (String route : List.of("runs", "api/v1/runs.json", "runs/" + id + "/run.json", "assets/app.css", "nope")) {
        HttpResponse<String> r = send("GET", URI.create(base + route));
        assertEquals(401, r.statusCode(), route);
        assertTrue(r.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"), route);
      }
      String basic = "Basic " + Base64.getEncoder().encodeToString("me:history-token-1".getBytes());
      assertEquals(200, send("GET", URI.create(base + "api/v1/runs.json"), "Authorization", basic).statusCode());
      assertEquals(200, send("GET", URI.create(base + "runs/" + id + "/run.json"), "Authorization",
          "Bearer history-token-1").statusCode());
    } finally {
      server.system().terminate();
      server.system().getWhenTerminated().toCompletableFuture().get(20, java.util.concurrent.TimeUnit.SECONDS);
    }
  }

  @Test
  void aMissingFolderOrAFileIsOneLine() throws Exception {
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> HistoryServer.start(dir.resolve("nope"), config(Map.of()), Duration.ofSeconds(5)));
    assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    assertFalse(Files.exists(dir.resolve("nope")), "not created");
    Path file = Files.writeString(dir.resolve("file"), "x");
    IllegalArgumentException notFolder = assertThrows(IllegalArgumentException.class,
        () -> HistoryServer.start(file, config(Map.of()), Duration.ofSeconds(5)));
    assertTrue(notFolder.getMessage().contains("not a folder"), notFolder.getMessage());
    assertFalse(notFolder.getMessage().contains("\n"));
  }
}
