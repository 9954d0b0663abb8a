package org.tasklane.scheduler.http;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
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
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.scheduler.Scheduler;
import org.tasklane.scheduler.SchedulerSettings;

/**
 * The client API behind {@link ApiAuthentication}, over real HTTP against a real scheduler actor:
 * with a token every route wants it (bearer or basic), without one nothing changes, and no answer
 * carries a CORS header.
 */
class ApiAuthenticationTest {
  static final ActorTestKit testKit = ActorTestKit.create("ApiAuthenticationTest",
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String TOKEN = "api-token-0c1d2e3f";
  static final String GRAPH = "{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]}]}";

  static ServerBinding open;
  static ServerBinding locked;

  @BeforeAll
  static void start() throws Exception {
    var system = testKit.system();
    SchedulerSettings settings = SchedulerSettings.fromConfig(system.settings().config());
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    ActorRef<SchedulerProtocol.Command> scheduler = testKit.spawn(Scheduler.create(settings), "scheduler");
    open = bind(ApiAuthentication.require(Optional.empty(),
        new ClientApiRoutes(system, scheduler, settings, mapper).routes()));
    locked = bind(ApiAuthentication.require(Optional.of(AccessToken.of(TOKEN)),
        new ClientApiRoutes(system, scheduler, settings, mapper).routes()));
  }

  static ServerBinding bind(org.apache.pekko.http.javadsl.server.Route route) throws Exception {
    return Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ServerBinding b : List.of(open, locked)) {
      b.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    testKit.shutdownTestKit();
  }

  static URI uri(ServerBinding b, String path) {
    return URI.create("http://127.0.0.1:" + b.localAddress().getPort() + path);
  }

  static HttpResponse<String> send(String method, URI uri, String body, String... headers) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
  }

  static void assertNoCors(HttpResponse<?> r) {
    for (String name : r.headers().map().keySet()) {
      assertFalse(name.toLowerCase().startsWith("access-control-"), () -> r.uri() + " has " + name);
    }
  }

  static void assertUnauthorized(HttpResponse<String> r) throws Exception {
    assertEquals(401, r.statusCode(), r.uri() + ": " + r.body());
    assertEquals("Basic realm=\"tasklane\"", r.headers().firstValue("WWW-Authenticate").orElse(null));
    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
    assertFalse(r.body().contains("\n"), r.body());
    assertTrue(json.readTree(r.body()).get("error").isTextual(), r.body());
    assertFalse(r.body().contains(TOKEN));
    assertNoCors(r);
  }

  @Test
  void withATokenEveryRouteIs401WithoutItAndNothingIsSubmitted() throws Exception {
    for (String path : List.of("/health", "/api/v1/graphs", "/api/v1/graphs/abc", "/api/v1/graphs/abc/results",
        "/api/v1/workers", "/no-such-route")) {
      assertUnauthorized(send("GET", uri(locked, path), null));
      assertUnauthorized(send("GET", uri(locked, path), null, "Authorization", "Bearer not-it"));
      assertUnauthorized(send("GET", uri(locked, path), null, "Authorization", basic("u", "not-it")));
    }
    assertUnauthorized(send("DELETE", uri(locked, "/api/v1/graphs/abc"), null));
    assertUnauthorized(send("POST", uri(locked, "/api/v1/graphs"), GRAPH));
    assertUnauthorized(send("POST", uri(locked, "/api/v1/graphs"), GRAPH, "Authorization", "Bearer " + TOKEN + "x"));
    HttpResponse<String> list = send("GET", uri(locked, "/api/v1/graphs"), null, "Authorization", "Bearer " + TOKEN);
    assertEquals(200, list.statusCode());
    for (JsonNode g : json.readTree(list.body())) {
      fail("a refused submit left a graph behind: " + g);
    }
  }

  @Test
  void withATokenBearerAndBasicAreAnswered() throws Exception {
    for (String auth : List.of("Bearer " + TOKEN, basic("client", TOKEN))) {
      HttpResponse<String> health = send("GET", uri(locked, "/health"), null, "Authorization", auth);
      assertEquals(200, health.statusCode());
      assertEquals("ok", health.body());
      assertNoCors(health);
      HttpResponse<String> submitted = send("POST", uri(locked, "/api/v1/graphs"), GRAPH, "Authorization", auth);
      assertEquals(201, submitted.statusCode(), submitted.body());
      String id = json.readTree(submitted.body()).get("id").asText();
      HttpResponse<String> status = send("GET", uri(locked, "/api/v1/graphs/" + id), null, "Authorization", auth);
      assertEquals(200, status.statusCode(), status.body());
      assertEquals(200, send("DELETE", uri(locked, "/api/v1/graphs/" + id), null, "Authorization", auth).statusCode());
    }
  }

  @Test
  void withoutATokenTheApiAnswersAsBeforeAndNeverWithCorsHeaders() throws Exception {
    HttpResponse<String> health = send("GET", uri(open, "/health"), null);
    assertEquals(200, health.statusCode());
    assertTrue(health.headers().firstValue("WWW-Authenticate").isEmpty());
    assertNoCors(health);
    assertNoCors(send("GET", uri(open, "/api/v1/graphs"), null, "Origin", "http://elsewhere.example"));
    HttpResponse<String> preflight = send("OPTIONS", uri(open, "/api/v1/graphs"), null,
        "Origin", "http://elsewhere.example", "Access-Control-Request-Method", "POST");
    assertNotEquals(204, preflight.statusCode());
    assertNotEquals(200, preflight.statusCode());
    assertNoCors(preflight);
    HttpResponse<String> lockedPreflight = send("OPTIONS", uri(locked, "/api/v1/graphs"), null,
        "Origin", "http://elsewhere.example", "Access-Control-Request-Method", "POST");
    assertEquals(401, lockedPreflight.statusCode());
    assertNoCors(lockedPreflight);
  }
}
