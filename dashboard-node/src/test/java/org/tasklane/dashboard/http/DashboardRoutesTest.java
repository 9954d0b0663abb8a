package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.DashboardSettings;

/** Pages, assets, the JSON API, methods, headers, path traversal and the prefix, over real HTTP. */
class DashboardRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("DashboardRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String INC = "sched-1";
  static TestingDashboard plain;
  static TestingDashboard prefixed;

  @BeforeAll
  static void start() throws Exception {
    plain = TestingDashboard.start(testKit);
    DashboardSettings base = plain.settings;
    prefixed = TestingDashboard.start(testKit, new DashboardSettings(base.address(), 0, "a/b/", base.heartbeat(),
        base.clientBuffer(), base.askTimeout()));
    for (TestingDashboard d : List.of(plain, prefixed)) {
      d.dashboard.tell(snapshot(INC, 0, List.of(group("load", 4, 1, 1, 1, 1), group("sum", 1, 0, 0, 0, 0)),
          List.of(task(1, "load-1"), erred(2, "sum-2", "<script>alert(1)</script>")), List.of(summary("w1", 2, 1))));
      d.dashboard.tell(metrics("w1", 1, 1, 0));
      d.dashboard.tell(batch(INC, 1, List.of(), List.of(), tasks(3, 5)));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    plain.close();
    prefixed.close();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> send(String method, URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
  }

  static HttpResponse<String> get(URI uri) throws Exception {
    return send("GET", uri);
  }

  static String header(HttpResponse<?> r, String name) {
    return r.headers().firstValue(name).orElse(null);
  }

  static void assertSecurityHeaders(HttpResponse<?> r) {
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, header(r, "Content-Security-Policy"), r.uri().toString());
    assertEquals("nosniff", header(r, "X-Content-Type-Options"), r.uri().toString());
    assertEquals("no-referrer", header(r, "Referrer-Policy"), r.uri().toString());
  }

  // ------------------------------------------------------------------ pages

  @Test
  void theRootRedirectsToStatusRelatively() throws Exception {
    HttpResponse<String> r = get(plain.uri(""));
    assertEquals(302, r.statusCode());
    assertEquals("status", header(r, "Location"), "relative, so it stays under a proxy's path");
    assertSecurityHeaders(r);
  }

  @Test
  void pagesAndAssetsAreServedFromWebWithTheSecurityHeaders() throws Exception {
    for (String page : List.of("status", "tasks", "workers")) {
      HttpResponse<String> r = get(plain.uri(page));
      assertEquals(200, r.statusCode(), page);
      assertTrue(header(r, "Content-Type").startsWith("text/html"), header(r, "Content-Type"));
      assertSecurityHeaders(r);
      assertFalse(r.body().isEmpty());
    }
    HttpResponse<String> css = get(plain.uri("assets/test-placeholder.css"));
    assertEquals(200, css.statusCode());
    assertTrue(header(css, "Content-Type").startsWith("text/css"), header(css, "Content-Type"));
    assertTrue(css.body().contains("test placeholder asset"));
    assertSecurityHeaders(css);

    HttpResponse<String> missing = get(plain.uri("assets/nothing-here.js"));
    assertEquals(404, missing.statusCode());
    assertSecurityHeaders(missing);
    assertEquals(404, get(plain.uri("assets/")).statusCode());
    assertEquals(404, get(plain.uri("statusx")).statusCode());
  }

  @Test
  void healthSaysOk() throws Exception {
    HttpResponse<String> r = get(plain.uri("health"));
    assertEquals(200, r.statusCode());
    assertEquals("ok", r.body());
  }

  @Test
  void onlyGetAndHeadAreAnswered() throws Exception {
    for (String method : List.of("POST", "PUT", "DELETE", "PATCH")) {
      for (String path : List.of("", "status", "events", "api/v1/groups.json", "api/v1/resources.json", "metrics",
          "assets/test-placeholder.css")) {
        HttpResponse<String> r = send(method, plain.uri(path));
        assertEquals(405, r.statusCode(), method + " /" + path);
        assertTrue(header(r, "Allow").contains("GET") && header(r, "Allow").contains("HEAD"), header(r, "Allow"));
        assertSecurityHeaders(r);
      }
    }
    HttpResponse<String> head = send("HEAD", plain.uri("status"));
    assertEquals(200, head.statusCode());
    assertEquals("", head.body());
    assertTrue(header(head, "Content-Type").startsWith("text/html"));
    assertEquals(200, send("HEAD", plain.uri("api/v1/status.json")).statusCode());
  }

  // ------------------------------------------------------------------ path traversal

  /** Sends the request line exactly as written (no client normalizes it) and returns the whole response. */
  static String raw(int port, String target) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      in.transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  @Test
  void pathTraversalNeverReachesAFileOutsideWeb() throws Exception {
    assertTrue(raw(plain.port(), "/assets/test-placeholder.css").startsWith("HTTP/1.1 200"), "the raw client works");
    for (String target : List.of(
        "/assets/../secret.txt", "/assets/../../secret.txt", "/assets/%2e%2e/secret.txt", "/assets/%2E%2E/secret.txt",
        "/assets/..%2fsecret.txt", "/assets/%2e%2e%2fsecret.txt", "/assets/..%5csecret.txt", "/assets/.%2e/secret.txt",
        "/assets//secret.txt", "/assets/%2fsecret.txt", "/../secret.txt", "/%2e%2e/secret.txt",
        "/assets/../application-test.conf", "/assets/%2e%2e/application-test.conf", "/assets/../logback-test.xml",
        "/assets/./../secret.txt", "/assets/web/../../secret.txt", "/assets/%252e%252e/secret.txt",
        "/assets/..;/secret.txt", "/assets/%00/secret.txt")) {
      String response = raw(plain.port(), target);
      String status = response.substring(0, response.indexOf("\r\n"));
      assertTrue(status.startsWith("HTTP/1.1 404") || status.startsWith("HTTP/1.1 400"), target + " -> " + status);
      assertFalse(response.contains("SECRET-OUTSIDE-WEB"), target);
      assertFalse(response.contains("serialize-messages"), target);
      assertFalse(response.contains("<configuration>"), target);
    }
  }

  // ------------------------------------------------------------------ the JSON API

  static JsonNode jsonOf(HttpResponse<String> r) throws IOException {
    assertTrue(header(r, "Content-Type").startsWith("application/json"), header(r, "Content-Type"));
    return json.readTree(r.body());
  }

  static Set<String> fields(JsonNode n) {
    Set<String> out = new TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }

  static final Set<String> GROUP = new TreeSet<>(List.of("name", "total", "memory", "released", "erred", "processing",
      "waiting"));
  static final Set<String> TASK = new TreeSet<>(List.of("id", "key", "group", "graph", "worker", "thread", "start", "stop",
      "status", "nbytes", "error", "transfers"));
  static final Set<String> TRANSFER = new TreeSet<>(List.of("key", "peer", "bytes", "start", "stop"));
  static final Set<String> WORKER = new TreeSet<>(List.of("name", "host", "address", "nthreads", "processing",
      "latency", "lastSeen", "figures"));
  static final Set<String> FIGURES = new TreeSet<>(List.of("tasks", "transfers", "process", "host", "memory"));
  static final Set<String> HEAP = new TreeSet<>(List.of("managedBytes", "unmanagedBytes", "spilledBytes",
      "spilledResults", "limitBytes", "target", "spill", "pause", "terminate", "paused", "spills", "unspills", "pauses",
      "spillFailures"));
  static final Set<String> RESOURCES = new TreeSet<>(List.of("time", "workers", "threads", "executing", "queued",
      "heldBytes", "tasksPerSecond", "cpu", "memory", "memoryLimit", "managed", "unmanaged", "spilled", "paused"));
  static final Set<String> POINT = new TreeSet<>(List.of("time", "cpu", "memory", "memoryLimit", "workers", "managed",
      "unmanaged", "spilled"));

  @Test
  void theJsonApiHasTheShapesOfTheContract() throws Exception {
    JsonNode status = jsonOf(get(plain.uri("api/v1/status.json")));
    assertEquals(Set.of("seq", "now", "connected", "groups", "tasks", "workers", "resources", "history", "largeCluster"),
        fields(status));
    assertEquals(RESOURCES, fields(status.get("resources")));
    assertTrue(status.get("history").isArray());

    JsonNode groups = jsonOf(get(plain.uri("api/v1/groups.json")));
    assertEquals(2, groups.size());
    assertEquals(GROUP, fields(groups.get(0)));
    assertEquals("load", groups.get(0).get("name").asText());
    assertEquals(1, groups.get(0).get("processing").asInt());
    assertEquals(0, groups.get(0).get("waiting").asInt());

    JsonNode workers = jsonOf(get(plain.uri("api/v1/workers.json")));
    assertEquals(1, workers.size());
    assertEquals(WORKER, fields(workers.get(0)));
    assertEquals(FIGURES, fields(workers.get(0).get("figures")));
    assertEquals(HEAP, fields(workers.get(0).at("/figures/memory")));
    JsonNode w1 = workers.get(0);
    assertEquals("host-w1", w1.get("host").asText());
    assertEquals(25.0, w1.at("/figures/process/cpuPercent").asDouble(), "percent of one core");
    assertEquals(200_000_000L, w1.at("/figures/process/rssBytes").asLong());
    assertEquals(1_000_000_000L, w1.at("/figures/process/memoryLimitBytes").asLong());
    assertEquals(0.5, w1.get("latency").asDouble(), "ms, from the scheduler's summary");
    assertEquals(List.of(1000L, 2000L, 0L, 512L), List.of(w1.at("/figures/host/netIn").asLong(),
        w1.at("/figures/host/netOut").asLong(), w1.at("/figures/host/diskRead").asLong(),
        w1.at("/figures/host/diskWrite").asLong()), "bytes per second");

    TestProbe<Void> probe = testKit.createTestProbe();
    JsonNode tasks = probe.awaitAssert(() -> {
      try {
        JsonNode t = jsonOf(get(plain.uri("api/v1/tasks.json")));
        assertEquals(5, t.size(), "the snapshot's tasks and the batch's");
        return t;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(TASK, fields(tasks.get(0)));
    assertEquals(TRANSFER, fields(tasks.get(0).get("transfers").get(0)));
    assertTrue(tasks.get(0).get("start").isNumber());
    assertEquals(1700000000010.123, tasks.get(0).get("start").asDouble(), 1e-6, "epoch milliseconds");
    assertTrue(tasks.get(0).get("error").isNull());
    assertEquals("<script>alert(1)</script>", tasks.get(1).get("error").asText(), "user text, as it was");

    JsonNode last2 = jsonOf(get(plain.uri("api/v1/tasks.json?limit=2")));
    List<Long> ids = new ArrayList<>();
    last2.forEach(t -> ids.add(t.get("id").asLong()));
    assertEquals(List.of(4L, 5L), ids, "the last N, oldest first");
    assertEquals(5, jsonOf(get(plain.uri("api/v1/tasks.json?limit=20000"))).size());
  }

  @Test
  void theResourceHistoryIsAnArrayOfPointsOldestFirst() throws Exception {
    TestProbe<Void> probe = testKit.createTestProbe();
    JsonNode points = probe.awaitAssert(Duration.ofSeconds(10), () -> {
      try {
        JsonNode p = jsonOf(get(plain.uri("api/v1/resources.json")));
        assertTrue(p.isArray());
        assertTrue(p.size() >= 2, "a point a second: " + p);
        return p;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    assertEquals(POINT, fields(points.get(0)));
    assertTrue(points.get(0).get("time").asLong() < points.get(1).get("time").asLong(), "oldest first");
    JsonNode last = points.get(points.size() - 1);
    assertEquals(1, last.get("workers").asInt());
    assertEquals(25.0, last.get("cpu").asDouble());
    assertEquals(200_000_000L, last.get("memory").asLong());
    JsonNode status = jsonOf(get(plain.uri("api/v1/status.json")));
    assertTrue(status.get("history").size() >= points.size(), "the snapshot carries the history too");
  }

  @Test
  void aBadLimitIsA400WithAJsonError() throws Exception {
    for (String limit : List.of("0", "-1", "20001", "abc", "", "1e3", "99999999999")) {
      HttpResponse<String> r = get(plain.uri("api/v1/tasks.json?limit=" + limit));
      assertEquals(400, r.statusCode(), limit);
      JsonNode body = jsonOf(r);
      assertEquals(Set.of("error"), fields(body));
      assertTrue(body.get("error").asText().contains("1 to 20000"), body.toString());
      assertSecurityHeaders(r);
    }
  }

  // ------------------------------------------------------------------ under a prefix

  @Test
  void everythingLiesUnderThePrefix() throws Exception {
    int port = prefixed.port();
    URI root = URI.create("http://127.0.0.1:" + port + "/a/b/");
    HttpResponse<String> r = get(root);
    assertEquals(302, r.statusCode());
    assertEquals("status", header(r, "Location"));
    assertEquals("/a/b/status", root.resolve(header(r, "Location")).getPath());

    URI noSlash = URI.create("http://127.0.0.1:" + port + "/a/b");
    r = get(noSlash);
    assertEquals(302, r.statusCode());
    assertEquals("/a/b/status", noSlash.resolve(header(r, "Location")).getPath(), "stays under the prefix");

    for (String path : List.of("status", "tasks", "workers", "assets/test-placeholder.css", "health",
        "api/v1/status.json", "api/v1/groups.json", "api/v1/workers.json", "api/v1/tasks.json?limit=1",
        "api/v1/resources.json", "metrics")) {
      HttpResponse<String> ok = get(root.resolve(path));
      assertEquals(200, ok.statusCode(), path);
      assertSecurityHeaders(ok);
    }
    try (SseClient c = SseClient.connect(http, root.resolve("events"))) {
      assertEquals("snapshot", c.nextEvent(Duration.ofSeconds(10)).type());
    }
    for (String outside : List.of("/status", "/events", "/health", "/metrics", "/api/v1/status.json", "/a/status",
        "/ab/status",
        "/a/bb/status", "/a/b/c/status", "/x/a/b/status")) {
      HttpResponse<String> nf = get(URI.create("http://127.0.0.1:" + port + outside));
      assertEquals(404, nf.statusCode(), outside);
      assertSecurityHeaders(nf);
    }
    assertTrue(raw(port, "/a/b/assets/../../secret.txt").startsWith("HTTP/1.1 404")
        || raw(port, "/a/b/assets/../../secret.txt").startsWith("HTTP/1.1 400"));
  }

  @Test
  void thePrefixToleratesSlashesAndRejectsOddSegments() {
    for (String p : List.of("/a/b", "a/b", "/a/b/", "//a//b//", " /a/b ")) {
      assertEquals(List.of("a", "b"), DashboardSettings.prefixSegments(p), p);
    }
    assertEquals(List.of(), DashboardSettings.prefixSegments("/"));
    assertEquals(List.of(), DashboardSettings.prefixSegments(""));
    for (String bad : List.of("/a/../b", "/a b", "/a?x", "/%2e", "/.", "/a/<b>")) {
      assertThrows(IllegalArgumentException.class, () -> DashboardSettings.prefixSegments(bad), bad);
    }
  }

}
