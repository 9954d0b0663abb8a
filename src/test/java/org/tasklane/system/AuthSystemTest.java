package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tasklane.client.DemoGraphs;

/**
 * A real cluster started with {@code --auth-file} (and {@code --cluster-name blue}, which its worker
 * shares): the client API and the embedded dashboard (pages, JSON, the SSE stream, metrics) answer
 * nothing without the token and everything with it, as a bearer token or as Basic auth; neither
 * sends a CORS header; {@code submit} works with {@code --auth-file} (or {@code TASKLANE_AUTH_FILE})
 * and says in one line what is missing without it; a missing or empty auth file stops a node in
 * one line; and the token appears in no log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuthSystemTest {
  static final String LOGS = "auth";
  static final Duration QUICK = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
      .followRedirects(HttpClient.Redirect.NEVER).build();

  static Path dir;
  static Path authFile;
  static String token;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    dir = Files.createTempDirectory("tasklane-auth");
    authFile = dir.resolve("token");
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    token = HexFormat.of().formatHex(random);
    Files.writeString(authFile, token + "\n");
    Files.setPosixFilePermissions(authFile, PosixFilePermissions.fromString("rw-------"));
    cluster = LocalCluster.start(LOGS, 1, 1, "--auth-file", authFile.toString(), "--cluster-name", "blue");
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.deleteIfExists(f);
      }
    }
    Files.deleteIfExists(dir);
  }

  static String bearer() {
    return "Bearer " + token;
  }

  static String basic() {
    return "Basic " + Base64.getEncoder().encodeToString(("me:" + token).getBytes(StandardCharsets.UTF_8));
  }

  static HttpResponse<String> get(String url, String authorization) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
    if (authorization != null) {
      b.header("Authorization", authorization);
    }
    return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static void assertNoCors(HttpResponse<?> r) {
    for (String name : r.headers().map().keySet()) {
      assertFalse(name.toLowerCase().startsWith("access-control-"), () -> r.uri() + " has " + name);
    }
  }

  static void assertUnauthorized(HttpResponse<String> r) throws Exception {
    assertEquals(401, r.statusCode(), r.uri().toString());
    assertEquals("Basic realm=\"tasklane\"", r.headers().firstValue("WWW-Authenticate").orElse(null), r.uri().toString());
    assertTrue(JSON.readTree(r.body()).path("error").isTextual(), r.body());
    assertFalse(r.body().strip().contains("\n"), r.body());
    assertNoCors(r);
  }

  // ------------------------------------------------------------------ the client API

  @Test
  void theClientApiAnswersOnlyWithTheTokenAsBearerOrBasic() throws Exception {
    String api = "http://127.0.0.1:" + cluster.apiPort();
    for (String path : List.of("/api/v1/graphs", "/api/v1/workers", "/health")) {
      assertUnauthorized(get(api + path, null));
      assertUnauthorized(get(api + path, "Bearer not-the-token"));
      for (String auth : List.of(bearer(), basic())) {
        HttpResponse<String> r = get(api + path, auth);
        assertEquals(200, r.statusCode(), path + ": " + r.body());
        assertNoCors(r);
      }
    }
    // the worker started with the same --cluster-name joined; the Java client sends the token
    JsonNode workers = cluster.client().workers();
    assertEquals(1, workers.size(), workers::toString);
    assertEquals("worker-1", workers.get(0).path("name").asText(), workers::toString);
  }

  // ------------------------------------------------------------------ the embedded dashboard

  @Test
  void theDashboardAnswersOnlyWithTheTokenOnEveryRouteTheEventStreamIncluded() throws Exception {
    String base = cluster.dashboardUrl();
    for (String path : List.of("status", "tasks", "workers", "assets/app.css", "api/v1/status.json",
        "api/v1/workers.json", "metrics", "health")) {
      assertUnauthorized(get(base + path, null));
      assertUnauthorized(get(base + path, "Bearer not-the-token"));
      for (String auth : List.of(bearer(), basic())) {
        HttpResponse<String> r = get(base + path, auth);
        assertEquals(200, r.statusCode(), path);
        assertNoCors(r);
      }
    }
    assertUnauthorized(get(base + "events", null));
    for (String auth : List.of(bearer(), basic())) {
      HttpResponse<InputStream> sse = HTTP.send(HttpRequest.newBuilder(URI.create(base + "events"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", auth).build(), HttpResponse.BodyHandlers.ofInputStream());
      try (InputStream body = sse.body()) {
        assertEquals(200, sse.statusCode());
        assertTrue(sse.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertNoCors(sse);
        byte[] start = body.readNBytes("event: snapshot".length());
        assertEquals("event: snapshot", new String(start, StandardCharsets.UTF_8), "the stream starts with a snapshot");
      }
    }
  }

  // ------------------------------------------------------------------ submit

  @Test
  void submitWithTheAuthFileRunsTheGraph() throws Exception {
    CliRun r = CliRun.run(LOGS, "submit-auth-wait", Duration.ofMinutes(2), "submit", "demo:tree:10",
        "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--auth-file", authFile.toString(), "--wait");
    assertEquals(0, r.exit(), r::describe);
    assertEquals(DemoGraphs.treeSum(10), JSON.readTree(r.out()).path("results").path("total").asLong(), r::describe);

    CliRun env = CliRun.run(LOGS, "submit-auth-env", QUICK, Map.of("TASKLANE_AUTH_FILE", authFile.toString()),
        "submit", "demo:tree:5", "--scheduler", "127.0.0.1:" + cluster.apiPort());
    assertEquals(0, env.exit(), env::describe);
    String id = env.out().strip();
    assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(1)).state());
    cluster.client().forget(id);
  }

  @Test
  void submitWithoutTheTokenOrWithAnotherIsOneLineNamingAuthFile() throws Exception {
    CliRun none = CliRun.run(LOGS, "submit-no-auth", QUICK, "submit", "demo:tree:5",
        "--scheduler", "127.0.0.1:" + cluster.apiPort());
    assertEquals(1, none.exit(), none::describe);
    CliSystemTest.assertOneLineError(none, "submit: ", "asks for a token", "--auth-file");
    assertEquals("", none.out(), none::describe);

    Path other = dir.resolve("other-token");
    Files.writeString(other, "not-the-token\n");
    Files.setPosixFilePermissions(other, PosixFilePermissions.fromString("rw-------"));
    CliRun wrong = CliRun.run(LOGS, "submit-wrong-auth", QUICK, "submit", "demo:tree:5",
        "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--auth-file", other.toString());
    assertEquals(1, wrong.exit(), wrong::describe);
    CliSystemTest.assertOneLineError(wrong, "did not accept the token in " + other, "--auth-file");
    assertTrue(cluster.client().graphs().isEmpty(), "nothing was submitted without the token");
  }

  // ------------------------------------------------------------------ nodes refuse a bad auth file

  @Test
  void aNodeWithAnEmptyOrMissingAuthFileDoesNotStartAndSaysWhyInOneLine() throws Exception {
    Path empty = dir.resolve("empty");
    Files.writeString(empty, "\n");
    CliRun scheduler = CliRun.run(LOGS, "scheduler-empty-auth", QUICK, "scheduler", "--host", "127.0.0.1",
        "--port", "" + LocalCluster.freePort(), "--api-port", "" + LocalCluster.freePort(), "--no-dashboard",
        "--auth-file", empty.toString());
    assertEquals(1, scheduler.exit(), scheduler::describe);
    CliSystemTest.assertOneLineError(scheduler, "scheduler: ", "auth file " + empty + " is empty");

    Path missing = dir.resolve("missing");
    CliRun dashboard = CliRun.run(LOGS, "dashboard-missing-auth", QUICK, "dashboard", "--scheduler",
        "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1", "--dashboard-port", "0", "--auth-file", missing.toString());
    assertEquals(1, dashboard.exit(), dashboard::describe);
    CliSystemTest.assertOneLineError(dashboard, "dashboard: ", "auth file " + missing + " does not exist");
  }

  // ------------------------------------------------------------------ the token is never logged

  @Test
  @Order(Integer.MAX_VALUE)
  void theTokenAppearsInNoLog() throws Exception {
    List<Path> files;
    try (Stream<Path> all = Files.walk(cluster.logs())) {
      files = all.filter(Files::isRegularFile).toList();
    }
    assertTrue(files.size() >= 3, "the scheduler's, the worker's and the CLI runs' logs: " + files);
    // as bytes: the logs folder also holds the dashboard's run history (binary files)
    byte[] needle = token.getBytes(StandardCharsets.UTF_8);
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      assertFalse(indexOf(bytes, needle) >= 0, "the token is in " + f);
    }
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
