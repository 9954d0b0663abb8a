package org.tasklane.scheduler.http;

import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.scheduler.Scheduler;
import org.tasklane.scheduler.SchedulerSettings;
import org.tasklane.scheduler.code.CodeSettings;
import org.tasklane.scheduler.code.CodeStore;
import org.tasklane.scheduler.code.GraphCode;
import org.tasklane.scheduler.code.TestZips;

/**
 * Jar upload over real HTTP, composed as the scheduler node composes it (auth, code routes, the
 * client API) against a real scheduler actor: PUT then HEAD, the body's checks, the 401/403 rules,
 * and graphs that name jars (held while the graph is, 422 for an unknown one).
 */
class CodeRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("CodeRoutesTest",
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String TOKEN = "code-token-77aa";
  static final long MAX_JAR = 64 * 1024;

  static Path dir;
  static CodeStore store;
  /** With an auth file: uploads allowed to holders of the token. */
  static ServerBinding locked;
  /** No auth file, no --allow-code-upload. */
  static ServerBinding off;
  /** No auth file, --allow-code-upload. */
  static ServerBinding allowed;

  @BeforeAll
  static void start() throws Exception {
    var system = testKit.system();
    SchedulerSettings settings = SchedulerSettings.fromConfig(system.settings().config());
    ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    dir = Files.createTempDirectory("tasklane-code-routes-test-");
    store = CodeStore.open(dir, true, new CodeSettings(false, dir.toString(), MAX_JAR, 1 << 20, Duration.ofMinutes(10)),
        System::nanoTime);
    ActorRef<SchedulerProtocol.Command> scheduler =
        testKit.spawn(Scheduler.create(settings, new GraphCode(store, null)), "scheduler");
    locked = bind(api(Optional.of(AccessToken.of(TOKEN)), true, scheduler, settings, mapper));
    off = bind(api(Optional.empty(), false, scheduler, settings, mapper));
    allowed = bind(api(Optional.empty(), true, scheduler, settings, mapper));
  }

  /** As the scheduler's guardian composes it. */
  static Route api(Optional<AccessToken> token, boolean codeAllowed, ActorRef<SchedulerProtocol.Command> scheduler,
      SchedulerSettings settings, ObjectMapper mapper) {
    var system = testKit.system();
    return ApiAuthentication.require(token, concat(
        new CodeRoutes(system, store, codeAllowed, mapper).routes(),
        new ClientApiRoutes(system, scheduler, settings, mapper, codeAllowed).routes()));
  }

  static ServerBinding bind(Route route) throws Exception {
    return Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(route).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    for (ServerBinding b : List.of(locked, off, allowed)) {
      b.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
    testKit.shutdownTestKit();
    store.close();
  }

  static URI uri(ServerBinding b, String path) {
    return URI.create("http://127.0.0.1:" + b.localAddress().getPort() + path);
  }

  static HttpResponse<String> send(ServerBinding b, String method, String path, byte[] body, String... headers)
      throws Exception {
    HttpRequest.Builder r = HttpRequest.newBuilder(uri(b, path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
    for (int i = 0; i < headers.length; i += 2) {
      r.header(headers[i], headers[i + 1]);
    }
    return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** A PUT of a jar; {@code headers} may name another Content-Type than application/java-archive. */
  static HttpResponse<String> put(ServerBinding b, String sha, byte[] jar, String... headers) throws Exception {
    boolean typed = false;
    for (int i = 0; i < headers.length; i += 2) {
      typed |= headers[i].equalsIgnoreCase("Content-Type");
    }
    String[] all = headers;
    if (!typed) {
      all = new String[headers.length + 2];
      all[0] = "Content-Type";
      all[1] = "application/java-archive";
      System.arraycopy(headers, 0, all, 2, headers.length);
    }
    return send(b, "PUT", "/api/v1/code/" + sha, jar, all);
  }

  static HttpResponse<String> postGraph(ServerBinding b, String graph) throws Exception {
    return send(b, "POST", "/api/v1/graphs", graph.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/json");
  }

  static String error(HttpResponse<String> r) throws Exception {
    assertFalse(r.body().contains("\n"), r.body());
    return json.readTree(r.body()).get("error").textValue();
  }

  static String graphNaming(String sha) {
    return "{\"code\": [\"" + sha + "\"], \"tasks\": [{\"key\": \"a\", \"fn\": \"java:demo.Greeter::hello"
        + "(Ljava/lang/String;)Ljava/lang/String;\", \"args\": [{\"call\": 1, \"params\": [{\"v\": \"ann\"}]}]}]}";
  }

  @Test
  void aJarPutIsThereForHead() throws Exception {
    byte[] jar = TestZips.jar(101, 2000);
    String sha = TestZips.sha(jar);
    assertEquals(404, send(allowed, "HEAD", "/api/v1/code/" + sha, null).statusCode());
    HttpResponse<String> created = put(allowed, sha, jar);
    assertEquals(201, created.statusCode(), created.body());
    JsonNode body = json.readTree(created.body());
    assertEquals(sha, body.get("sha256").textValue());
    assertEquals(jar.length, body.get("bytes").longValue());
    assertEquals(200, send(allowed, "HEAD", "/api/v1/code/" + sha, null).statusCode());
    HttpResponse<String> again = put(allowed, sha, jar, "Content-Type", "application/octet-stream");
    assertEquals(200, again.statusCode(), again.body());
    assertEquals(created.body(), again.body());
    HttpResponse<String> get = send(allowed, "GET", "/api/v1/code/" + sha, null);
    assertEquals(200, get.statusCode());
    assertEquals(jar.length, json.readTree(get.body()).get("bytes").longValue());
    assertEquals(405, send(allowed, "POST", "/api/v1/code/" + sha, jar).statusCode());
    assertEquals(400, send(allowed, "HEAD", "/api/v1/code/not-a-digest", null).statusCode());
    assertEquals(CodeStore.NOT_A_DIGEST, error(put(allowed, "ABCDEF", jar)));
  }

  @Test
  void aBodyOfAnotherDigestOrNotAZipOrTooLargeIsRefusedInOneLine() throws Exception {
    byte[] jar = TestZips.jar(102, 2000);
    byte[] other = TestZips.jar(103, 2000);
    String sha = TestZips.sha(jar);
    HttpResponse<String> wrong = put(allowed, sha, other);
    assertEquals(400, wrong.statusCode());
    assertEquals("the jar's SHA-256 is " + TestZips.sha(other) + ", not the " + sha + " its address names", error(wrong));

    byte[] text = "just some text".getBytes(StandardCharsets.UTF_8);
    HttpResponse<String> notZip = put(allowed, TestZips.sha(text), text);
    assertEquals(400, notZip.statusCode());
    assertTrue(error(notZip).startsWith("the body is not a jar (a zip file): "), notZip.body());

    byte[] big = TestZips.jar(104, (int) MAX_JAR + 1000);
    HttpResponse<String> tooLarge = put(allowed, TestZips.sha(big), big);
    assertEquals(413, tooLarge.statusCode());
    assertEquals("the jar is larger than the limit of " + MAX_JAR + " bytes (tasklane.scheduler.code.max-jar-bytes)",
        error(tooLarge));
    assertFalse(store.has(sha));
    assertFalse(store.has(TestZips.sha(big)));
    try (var files = Files.list(dir.resolve(".incoming"))) {
      assertEquals(0, files.count(), "refused uploads leave nothing behind");
    }
  }

  @Test
  void withAnAuthFileAnUploadWithoutTheTokenIs401AndWithItIsTaken() throws Exception {
    byte[] jar = TestZips.jar(105, 500);
    String sha = TestZips.sha(jar);
    assertEquals(401, put(locked, sha, jar).statusCode());
    assertEquals(401, send(locked, "HEAD", "/api/v1/code/" + sha, null).statusCode());
    assertFalse(store.has(sha));
    assertEquals(201, put(locked, sha, jar, "Authorization", "Bearer " + TOKEN).statusCode());
    assertEquals(200, send(locked, "HEAD", "/api/v1/code/" + sha, null, "Authorization", "Bearer " + TOKEN).statusCode());
  }

  @Test
  void withoutAnAuthFileOrAllowCodeUploadUploadsAndGraphsWithCodeAre403() throws Exception {
    byte[] jar = TestZips.jar(106, 500);
    String sha = TestZips.sha(jar);
    HttpResponse<String> upload = put(off, sha, jar);
    assertEquals(403, upload.statusCode());
    assertEquals("code upload is off on this scheduler: start it with --auth-file FILE (only holders of the token "
        + "may upload) or, on a trusted network, with --allow-code-upload", error(upload));
    assertFalse(store.has(sha));

    assertEquals(201, put(allowed, sha, jar).statusCode());
    HttpResponse<String> graph = postGraph(off, graphNaming(sha));
    assertEquals(403, graph.statusCode());
    assertEquals(CodeSettings.UPLOAD_OFF, error(graph));
    assertEquals(0, store.holders(sha));
    assertEquals(201, postGraph(off, "{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]}]}").statusCode(),
        "graphs without code run as before");
  }

  @Test
  void aGraphNamingAJarTheSchedulerDoesNotHoldIs422AndOneNamingAHeldJarHoldsItUntilForgotten() throws Exception {
    String unknown = "ef".repeat(32);
    HttpResponse<String> refused = postGraph(allowed, graphNaming(unknown));
    assertEquals(422, refused.statusCode());
    assertEquals("graph needs jar " + unknown + " which this scheduler does not hold; upload it first "
        + "(PUT /api/v1/code/" + unknown + ")", error(refused));

    byte[] jar = TestZips.jar(107, 500);
    String sha = TestZips.sha(jar);
    assertEquals(201, put(allowed, sha, jar).statusCode());
    HttpResponse<String> accepted = postGraph(allowed, graphNaming(sha));
    assertEquals(201, accepted.statusCode(), accepted.body());
    assertEquals(1, store.holders(sha));
    String id = json.readTree(accepted.body()).get("id").textValue();
    assertEquals(200, send(allowed, "DELETE", "/api/v1/graphs/" + id, null).statusCode());
    assertEquals(0, store.holders(sha), "a forgotten graph lets go of its jars");
  }
}
