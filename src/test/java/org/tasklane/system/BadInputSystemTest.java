package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GraphSummary;

/**
 * Bad requests to a real scheduler's client API, sent as raw HTTP: each gets the right status and a
 * one-line JSON {@code error}, nothing of it is kept, and the cluster goes on running graphs.
 */
class BadInputSystemTest {
  /** Small, so that the too-large body stays cheap; a tree of 10 leaves is far below it. */
  static final int MAX_GRAPH_BYTES = 64 * 1024;
  static final ObjectMapper JSON = new ObjectMapper();

  static LocalCluster cluster;
  static HttpClient http;
  /** The ids of the valid graphs this class submitted: the only ones the scheduler may list. */
  static final Set<String> submitted = new HashSet<>();

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("bad-input", 1, 1, "--max-graph-bytes", "64KiB");
    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertEquals(Set.of(), listedIds(), "a new scheduler knows no graph");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ------------------------------------------------------------------ bad graphs: status, message, nothing kept

  @Test
  void malformedJsonIs400WithWhereItBroke() throws Exception {
    Answer a = post("{\"name\": \"bad-truncated\", \"tasks\": [{\"key\": \"a\", \"fn\": \"inc\"");
    a.assertError(400);
    assertTrue(a.error().startsWith("malformed JSON at line 1, column "), a::toString);
    assertNothingKeptAndStillWorks();

    Answer empty = post("");
    empty.assertError(400);
    assertTrue(empty.error().startsWith("the body is empty"), empty::toString);
    assertNothingKeptAndStillWorks();
  }

  @Test
  void duplicateKeyIs422NamingTheKeyAndBothPositions() throws Exception {
    Answer a = post("{\"name\": \"bad-duplicate\", \"tasks\": ["
        + "{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]},"
        + "{\"key\": \"a\", \"fn\": \"inc\", \"args\": [2]}]}");
    a.assertError(422);
    assertEquals("duplicate key 'a' (tasks #0 and #1)", a.error());
    assertNothingKeptAndStillWorks();
  }

  @Test
  void referenceToAMissingKeyIs422NamingBothKeys() throws Exception {
    Answer a = post("{\"name\": \"bad-missing\", \"tasks\": ["
        + "{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]},"
        + "{\"key\": \"b\", \"fn\": \"add\", \"args\": [{\"ref\": \"a\"}, {\"ref\": \"nope\"}]}]}");
    a.assertError(422);
    assertEquals("task 'b' refers to missing key 'nope'", a.error());
    assertNothingKeptAndStillWorks();
  }

  @Test
  void cycleIs422NamingTheKeysOnIt() throws Exception {
    Answer a = post("{\"name\": \"bad-cycle\", \"tasks\": ["
        + "{\"key\": \"start\", \"fn\": \"inc\", \"args\": [1]},"
        + "{\"key\": \"a\", \"fn\": \"add\", \"args\": [{\"ref\": \"start\"}, {\"ref\": \"b\"}]},"
        + "{\"key\": \"b\", \"fn\": \"inc\", \"args\": [{\"ref\": \"c\"}]},"
        + "{\"key\": \"c\", \"fn\": \"inc\", \"args\": [{\"ref\": \"a\"}]}]}");
    a.assertError(422);
    assertEquals("cycle: a -> b -> c -> a (3 keys; each task refers to the next: remove one of these references)",
        a.error());
    assertNothingKeptAndStillWorks();
  }

  @Test
  void emptyGraphIs422() throws Exception {
    Answer a = post("{\"name\": \"bad-empty\", \"tasks\": []}");
    a.assertError(422);
    assertEquals("the graph has no tasks; give at least one task in \"tasks\"", a.error());
    assertNothingKeptAndStillWorks();
  }

  @Test
  void unknownFunctionIs422NamingItAndTheFunctionsTheWorkersKnow() throws Exception {
    assertEquals(1, cluster.client().workers().size(), "a worker is registered, so its functions are known");
    Answer a = post("{\"name\": \"bad-function\", \"tasks\": ["
        + "{\"key\": \"a\", \"fn\": \"inc\", \"args\": [1]},"
        + "{\"key\": \"b\", \"fn\": \"no-such-function\", \"args\": [{\"ref\": \"a\"}]}]}");
    a.assertError(422);
    assertTrue(a.error().startsWith("unknown function 'no-such-function' in task 'b'; the workers know: "), a::toString);
    String known = a.error().substring(a.error().indexOf("know: ") + 6);
    for (String fn : new String[] {"add", "fail", "inc", "sleep", "slowinc", "sum"}) {
      assertTrue(Set.of(known.split(", ")).contains(fn), () -> fn + " is listed: " + a);
    }
    assertNothingKeptAndStillWorks();
  }

  @Test
  void bodyOverTheSizeLimitIs413SayingTheLimit() throws Exception {
    byte[] big = JSON.writeValueAsBytes(DemoGraphs.tree(2000));
    assertTrue(big.length > 2 * MAX_GRAPH_BYTES, "a valid graph, well over the limit: " + big.length + " bytes");
    Answer a = post(big);
    a.assertError(413);
    assertTrue(a.error().contains("larger than the limit of " + MAX_GRAPH_BYTES + " bytes"), a::toString);
    assertNothingKeptAndStillWorks();
  }

  // ------------------------------------------------------------------ graph ids, lookups, methods, routes

  @Test
  void graphIdsAreRandomNotSequential() throws Exception {
    String first = submitValid(DemoGraphs.tree(10));
    String second = submitValid(DemoGraphs.tree(10));
    for (String id : new String[] {first, second}) {
      assertTrue(id.matches("[A-Za-z0-9_-]{22}"), () -> "22 characters of url-safe base64: " + id);
    }
    assertNotEquals(first, second);
    int differing = 0;
    for (int i = 0; i < 22; i++) {
      differing += first.charAt(i) != second.charAt(i) ? 1 : 0;
    }
    assertTrue(differing >= 10, () -> "two ids differ in most places: " + first + " " + second);
    BigInteger gap = new BigInteger(1, Base64.getUrlDecoder().decode(first))
        .subtract(new BigInteger(1, Base64.getUrlDecoder().decode(second))).abs();
    assertTrue(gap.bitLength() > 64, () -> "ids are not close as numbers: " + first + " " + second);
    for (String id : new String[] {first, second}) {
      assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(1)).state());
      forget(id);
    }
  }

  @Test
  void unknownGraphIdIs404ForStatusResultsAndDelete() throws Exception {
    String id = "AAAAAAAAAAAAAAAAAAAAAA";
    for (Answer a : new Answer[] {
        send("GET", "/api/v1/graphs/" + id, null),
        send("GET", "/api/v1/graphs/" + id + "/results", null),
        send("DELETE", "/api/v1/graphs/" + id, null)}) {
      a.assertError(404);
      assertTrue(a.error().startsWith("no graph " + id + " on this scheduler"), a::toString);
    }
  }

  @Test
  void resultsOfARunningGraphAre409ThenTheResultOnceDone() throws Exception {
    String id = submitValid(DemoGraphs.tree(50, 0.05)); // 50 busy leaves of 50 ms on one thread
    Answer early = send("GET", "/api/v1/graphs/" + id + "/results", null);
    GraphStatus after = cluster.client().status(id);
    assertFalse(after.isFinished(), () -> "the graph is still running after the 409: " + after);
    early.assertError(409);
    assertTrue(early.error().startsWith("graph " + id + " is still running"), early::toString);

    assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(1)).state());
    Answer done = send("GET", "/api/v1/graphs/" + id + "/results", null);
    assertEquals(200, done.status(), done::toString);
    assertEquals(DemoGraphs.treeSum(50), done.json().path("results").path("total").asLong(), done::toString);

    Answer deleted = send("DELETE", "/api/v1/graphs/" + id, null);
    assertEquals(200, deleted.status(), deleted::toString);
    submitted.remove(id);
    send("GET", "/api/v1/graphs/" + id, null).assertError(404);
  }

  @Test
  void badWaitParameterIs400() throws Exception {
    String id = submitValid(DemoGraphs.tree(10));
    Answer word = send("GET", "/api/v1/graphs/" + id + "?wait=abc", null);
    word.assertError(400);
    assertEquals("wait must be a number of seconds from 0 to 300, got 'abc'", word.error());
    Answer negative = send("GET", "/api/v1/graphs/" + id + "?wait=-1", null);
    negative.assertError(400);
    assertEquals("wait must be a number of seconds from 0 to 300, got '-1'", negative.error());
    Answer tooLong = send("GET", "/api/v1/graphs/" + id + "?wait=301", null);
    tooLong.assertError(400);
    assertEquals("wait must be a number of seconds from 0 to 300, got '301'", tooLong.error());

    Answer ok = send("GET", "/api/v1/graphs/" + id + "?wait=30", null);
    assertEquals(200, ok.status(), ok::toString);
    assertEquals("done", ok.json().path("state").asText(), ok::toString);
    forget(id);
  }

  @Test
  void unknownRouteIs404WithAJsonError() throws Exception {
    for (String path : new String[] {"/api/v1/nothing-here", "/api/v2/graphs", "/"}) {
      send("GET", path, null).assertError(404);
    }
  }

  @Test
  void wrongMethodIs405WithAJsonErrorNamingTheAllowedOnes() throws Exception {
    Answer put = send("PUT", "/api/v1/graphs", "{}");
    put.assertError(405);
    assertTrue(put.error().contains("POST") && put.error().contains("GET"), put::toString);
    Answer patch = send("PATCH", "/api/v1/graphs/AAAAAAAAAAAAAAAAAAAAAA", "{}");
    patch.assertError(405);
    assertNothingKeptAndStillWorks();
  }

  // ------------------------------------------------------------------ helpers

  /** The scheduler lists only graphs this class submitted, and still runs a small graph right. */
  static void assertNothingKeptAndStillWorks() throws Exception {
    Set<String> listed = listedIds();
    assertTrue(submitted.containsAll(listed), () -> "only valid graphs are kept: listed " + listed + ", submitted "
        + submitted);
    for (GraphSummary g : cluster.client().graphs()) {
      assertFalse(g.name() != null && g.name().startsWith("bad-"), () -> "a rejected graph was kept: " + g);
    }
    String id = submitValid(DemoGraphs.tree(10));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(1));
    assertEquals("done", status.state(), status::toString);
    assertEquals(DemoGraphs.treeSum(10), cluster.client().results(id).results().get("total").asLong());
    forget(id);
  }

  static Set<String> listedIds() {
    Set<String> ids = new HashSet<>();
    cluster.client().graphs().forEach(g -> ids.add(g.id()));
    return ids;
  }

  static String submitValid(GraphSpec graph) throws Exception {
    Answer a = post(JSON.writeValueAsBytes(graph));
    assertEquals(201, a.status(), a::toString);
    String id = a.json().path("id").asText();
    submitted.add(id);
    return id;
  }

  static void forget(String id) {
    cluster.client().forget(id);
    submitted.remove(id);
  }

  static Answer post(String body) throws IOException, InterruptedException {
    return post(body.getBytes(StandardCharsets.UTF_8));
  }

  static Answer post(byte[] body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri("/api/v1/graphs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  static Answer send(String method, String path, String body) throws IOException, InterruptedException {
    return send(HttpRequest.newBuilder(uri(path)).method(method, body == null
        ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body)));
  }

  static Answer send(HttpRequest.Builder request) throws IOException, InterruptedException {
    HttpRequest req = request.timeout(Duration.ofSeconds(30)).build();
    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
    return new Answer(req.method() + " " + req.uri().getRawPath()
        + (req.uri().getRawQuery() == null ? "" : "?" + req.uri().getRawQuery()),
        resp.statusCode(), resp.headers().firstValue("Content-Type").orElse(""), resp.body());
  }

  static URI uri(String path) {
    return URI.create("http://127.0.0.1:" + cluster.apiPort() + path);
  }

  /** One HTTP answer. */
  record Answer(String request, int status, String contentType, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON: " + this, e);
      }
    }

    String error() {
      return json().path("error").asText();
    }

    /** The status, a JSON body, and an {@code error} that is one non-empty line. */
    void assertError(int expected) {
      assertEquals(expected, status, this::toString);
      assertTrue(contentType.startsWith("application/json"), this::toString);
      JsonNode error = json().get("error");
      assertTrue(error != null && error.isTextual() && !error.asText().isBlank(), this::toString);
      assertFalse(error.asText().contains("\n"), () -> "one line: " + this);
    }

    @Override
    public String toString() {
      return request + " -> " + status + " " + contentType + " " + body;
    }
  }
}
