package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.AccessToken;

/**
 * Authentication and CORS of every dashboard route, over real HTTP: three dashboards, one without
 * either (the default), one with a token, one with a token and an allowed origin.
 */
class AccessControlTest {
  static final ActorTestKit testKit = ActorTestKit.create("AccessControlTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String TOKEN = "dashboard-token-7f3a9c";
  static final String ALLOWED = "http://allowed.example:3000";
  static final List<String> ROUTES = List.of("", "status", "tasks", "workers", "assets/test-placeholder.css",
      "api/v1/status.json", "api/v1/groups.json", "api/v1/workers.json", "api/v1/hosts.json",
      "api/v1/resources.json", "api/v1/tasks.json?limit=5", "metrics", "health", "workers/w1",
      "api/v1/workers/w1/logs.json", "api/v1/workers/w1/threads.json");

  static TestingDashboard open;
  static TestingDashboard locked;
  static TestingDashboard corsLocked;

  @BeforeAll
  static void start() throws Exception {
    AccessToken token = AccessToken.of(TOKEN);
    open = TestingDashboard.start(testKit, AccessControl.NONE);
    locked = TestingDashboard.start(testKit, new AccessControl(Optional.of(token), List.of()));
    corsLocked = TestingDashboard.start(testKit, new AccessControl(Optional.of(token), List.of(ALLOWED)));
    for (TestingDashboard d : List.of(open, locked, corsLocked)) {
      d.dashboard.tell(snapshot("sched-1", 0, List.of(group("load", 4, 1, 0, 0, 1)), tasks(1, 2),
          List.of(summary("w1", 2, 1))));
    }
  }

  @AfterAll
  static void stop() throws Exception {
    open.close();
    locked.close();
    corsLocked.close();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> send(String method, URI uri, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static int expectedStatus(String route) {
    // no worker has sent metrics to these dashboards: a worker's routes find none (after the token)
    return route.isEmpty() ? 302 : route.startsWith("api/v1/workers/") ? 404 : 200;
  }

  static void assertNoCors(HttpResponse<?> r) {
    for (String name : r.headers().map().keySet()) {
      assertFalse(name.toLowerCase().startsWith("access-control-"), () -> r.uri() + " has " + name + ": " + r.headers());
    }
  }

  static void assertUnauthorized(HttpResponse<String> r) throws Exception {
    assertEquals(401, r.statusCode(), r.uri().toString());
    assertEquals("Basic realm=\"tasklane\"", r.headers().firstValue("WWW-Authenticate").orElse(null), r.uri().toString());
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"), r.headers().toString());
    assertFalse(r.body().contains("\n"), "one line: " + r.body());
    assertTrue(json.readTree(r.body()).get("error").asText().contains("Authorization: Bearer"), r.body());
    assertFalse(r.body().contains(TOKEN));
    DashboardRoutesTest.assertSecurityHeaders(r);
  }

  // ------------------------------------------------------------------ authentication

  @Test
  void withoutATokenConfiguredEveryRouteAnswersWithoutCredentials() throws Exception {
    for (String route : ROUTES) {
      HttpResponse<String> r = send("GET", open.uri(route));
      assertEquals(expectedStatus(route), r.statusCode(), route);
      assertTrue(r.headers().firstValue("WWW-Authenticate").isEmpty(), route);
      assertNoCors(r);
    }
  }

  @Test
  void withATokenEveryRouteIs401WithoutCredentialsOrWithWrongOnes() throws Exception {
    for (String route : ROUTES) {
      assertUnauthorized(send("GET", locked.uri(route)));
      HttpResponse<String> head = send("HEAD", locked.uri(route));
      assertEquals(401, head.statusCode(), "HEAD " + route);
      assertEquals("Basic realm=\"tasklane\"", head.headers().firstValue("WWW-Authenticate").orElse(null));
      assertUnauthorized(send("GET", locked.uri(route), "Authorization", "Bearer wrong"));
      assertUnauthorized(send("GET", locked.uri(route), "Authorization", basic("user", "wrong")));
      assertUnauthorized(send("GET", locked.uri(route), "Authorization", basic(TOKEN, "")));
    }
    // a path that does not exist says 401 too: nothing is learned without the token
    assertUnauthorized(send("GET", locked.uri("no-such-page")));
    assertUnauthorized(send("GET", locked.uri("events")));
    HttpResponse<String> missing = send("GET", locked.uri("status"));
    HttpResponse<String> wrong = send("GET", locked.uri("status"), "Authorization", "Bearer nope");
    assertTrue(json.readTree(missing.body()).get("error").asText().startsWith("authentication required"));
    assertTrue(json.readTree(wrong.body()).get("error").asText().startsWith("the credentials were not accepted"));
  }

  @Test
  void withATokenEveryRouteAnswersBearerAndBasicWithAnyUserName() throws Exception {
    for (String route : ROUTES) {
      for (String auth : List.of("Bearer " + TOKEN, basic("someone", TOKEN), basic("", TOKEN))) {
        HttpResponse<String> r = send("GET", locked.uri(route), "Authorization", auth);
        assertEquals(expectedStatus(route), r.statusCode(), route + " with " + auth.split(" ")[0]);
        assertNoCors(r);
        DashboardRoutesTest.assertSecurityHeaders(r);
      }
    }
    HttpResponse<String> head = send("HEAD", locked.uri("status"), "Authorization", "Bearer " + TOKEN);
    assertEquals(200, head.statusCode());
    // the dashboard stays read-only behind the token
    assertEquals(405, send("POST", locked.uri("status"), "Authorization", "Bearer " + TOKEN).statusCode());
    assertEquals(405, send("OPTIONS", locked.uri("status"), "Authorization", "Bearer " + TOKEN).statusCode());
  }

  @Test
  void theEventStreamNeedsTheTokenAndStreamsWithIt() throws Exception {
    for (String auth : List.of("Bearer " + TOKEN, basic("browser", TOKEN))) {
      try (SseClient c = SseClient.connect(http, locked.uri("events"), "Authorization", auth)) {
        assertEquals(200, c.response.statusCode());
        assertTrue(c.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        assertEquals("snapshot", c.nextEvent(Duration.ofSeconds(10)).type());
      }
    }
    try (SseClient c = SseClient.connect(http, locked.uri("events"))) {
      assertEquals(401, c.response.statusCode());
      assertEquals("Basic realm=\"tasklane\"", c.response.headers().firstValue("WWW-Authenticate").orElse(null));
    }
  }

  // ------------------------------------------------------------------ CORS

  @Test
  void withoutAllowedOriginsNoResponseHasCorsHeadersAndOptionsIs405() throws Exception {
    for (TestingDashboard d : List.of(open, locked)) {
      String[] auth = d == locked ? new String[] {"Authorization", "Bearer " + TOKEN} : new String[0];
      for (String route : ROUTES) {
        assertNoCors(send("GET", d.uri(route), concat(auth, "Origin", ALLOWED)));
      }
      HttpResponse<String> preflight = send("OPTIONS", d.uri("api/v1/status.json"), concat(auth,
          "Origin", ALLOWED, "Access-Control-Request-Method", "GET"));
      assertEquals(405, preflight.statusCode());
      assertNoCors(preflight);
      assertNoCors(send("GET", d.uri("status")));
    }
  }

  @Test
  void anAllowedOriginGetsCorsHeadersAndItsPreflightIsAnsweredWithoutCredentials() throws Exception {
    HttpResponse<String> preflight = send("OPTIONS", corsLocked.uri("api/v1/status.json"),
        "Origin", ALLOWED, "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "authorization");
    assertEquals(204, preflight.statusCode(), preflight.body());
    assertEquals(ALLOWED, preflight.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
    assertEquals("GET, HEAD", preflight.headers().firstValue("Access-Control-Allow-Methods").orElse(null));
    assertTrue(preflight.headers().firstValue("Access-Control-Allow-Headers").orElse("").contains("Authorization"));
    assertTrue(preflight.headers().allValues("Vary").contains("Origin"), preflight.headers().toString());
    DashboardRoutesTest.assertSecurityHeaders(preflight);

    HttpResponse<String> get = send("GET", corsLocked.uri("api/v1/status.json"), "Origin", ALLOWED,
        "Authorization", "Bearer " + TOKEN);
    assertEquals(200, get.statusCode());
    assertEquals(ALLOWED, get.headers().firstValue("Access-Control-Allow-Origin").orElse(null));

    // its unauthenticated request is still 401, readable by its script
    HttpResponse<String> denied = send("GET", corsLocked.uri("api/v1/status.json"), "Origin", ALLOWED);
    assertUnauthorized(denied);
    assertEquals(ALLOWED, denied.headers().firstValue("Access-Control-Allow-Origin").orElse(null));
  }

  @Test
  void anotherOriginGetsNoCorsHeadersAndNoPreflight() throws Exception {
    for (String other : List.of("http://evil.example:3000", "http://allowed.example:3001", "https://allowed.example:3000",
        "http://allowed.example")) {
      HttpResponse<String> preflight = send("OPTIONS", corsLocked.uri("api/v1/status.json"),
          "Origin", other, "Access-Control-Request-Method", "GET");
      assertNotEquals(204, preflight.statusCode(), other);
      assertTrue(preflight.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), other);
      HttpResponse<String> get = send("GET", corsLocked.uri("api/v1/status.json"), "Origin", other,
          "Authorization", "Bearer " + TOKEN);
      assertEquals(200, get.statusCode());
      assertTrue(get.headers().firstValue("Access-Control-Allow-Origin").isEmpty(), other);
    }
    // a preflight for a method the dashboard does not answer is not granted
    HttpResponse<String> post = send("OPTIONS", corsLocked.uri("status"), "Origin", ALLOWED,
        "Access-Control-Request-Method", "POST");
    assertNotEquals(204, post.statusCode());
    assertTrue(post.headers().firstValue("Access-Control-Allow-Methods").isEmpty());
  }

  @Test
  void originsAreCheckedAndReadFromTheConfiguration() throws Exception {
    for (String bad : List.of("*", "allowed.example", "http://allowed.example/", "http://a.example/path", "")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new AccessControl(Optional.empty(), List.of(bad)), bad);
      assertTrue(e.getMessage().startsWith("tasklane.dashboard.cors-allowed-origins: "), e.getMessage());
    }
    Path file = Files.createTempFile("dashboard-auth", ".txt");
    try {
      Files.writeString(file, TOKEN + "\n");
      AccessControl a = AccessControl.fromConfig(ConfigFactory.parseMap(Map.of(
          "tasklane.dashboard.auth-file", file.toString(),
          "tasklane.dashboard.cors-allowed-origins", List.of(ALLOWED))));
      assertTrue(a.token().orElseThrow().matches(TOKEN));
      assertEquals(List.of(ALLOWED), a.corsAllowedOrigins());
      assertFalse(a.toString().contains(TOKEN), a.toString());
      // the defaults: neither
      AccessControl none = AccessControl.fromConfig(testKit.system().settings().config());
      assertTrue(none.token().isEmpty());
      assertTrue(none.corsAllowedOrigins().isEmpty());
      Files.writeString(file, "\n");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AccessControl.fromConfig(
          ConfigFactory.parseMap(Map.of("tasklane.dashboard.auth-file", file.toString()))));
      assertTrue(e.getMessage().contains("is empty"), e.getMessage());
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static String[] concat(String[] a, String... b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
