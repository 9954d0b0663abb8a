package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Code shipping across real JVMs: a scheduler started with {@code --allow-code-upload} and two
 * workers. A jar compiled in the test is uploaded over HTTP, JSON graphs of {@code java:} calls run
 * its methods (one taking another's result), two graphs with two versions of one class run at once
 * and each gets its own, an exception's full trace reaches the results, and a jar altered in the
 * scheduler's store errs its task by its hash while the workers go on.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CodeShippingSystemTest {
  static final Duration QUICK = Duration.ofMinutes(2);
  static final ObjectMapper JSON = new ObjectMapper();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final String HELLO = "java:demo.Greeter::hello(Ljava/lang/String;)Ljava/lang/String;";
  static final String CALC = """
      package demo;
      public class Calc {
        public static long square(long x) { return x * x; }
        public static long plus(long a, long b) { return a + b; }
        public static long fail(String why) {
          try {
            throw new IllegalStateException("deep " + why);
          } catch (IllegalStateException e) {
            throw new IllegalArgumentException("cannot " + why, e);
          }
        }
      }
      """;

  static Path codeDir;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    codeDir = Files.createTempDirectory("tasklane-code-shipping-");
    cluster = LocalCluster.start("code-shipping", 2, 1, "--allow-code-upload", "--code-dir", codeDir.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    try (Stream<Path> all = Files.walk(codeDir)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  static URI api(String path) {
    return URI.create("http://127.0.0.1:" + cluster.apiPort() + path);
  }

  /** PUT /api/v1/code/SHA with java.net.http; returns the digest. */
  static String upload(byte[] jar) throws Exception {
    String sha = CodeJars.sha256(jar);
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api("/api/v1/code/" + sha))
        .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/java-archive")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(jar)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(201, r.statusCode(), r.body());
    assertEquals(jar.length, JSON.readTree(r.body()).get("bytes").longValue());
    HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(api("/api/v1/code/" + sha))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    assertEquals(200, head.statusCode());
    return sha;
  }

  /** A java: task: {@code fn} with a frame of these parts, and these references as args[1..]. */
  static ObjectNode task(String key, String fn, List<JsonNode> params, String... refs) {
    ObjectNode t = JSON.createObjectNode().put("key", key).put("fn", fn);
    ArrayNode args = t.putArray("args");
    ObjectNode frame = args.addObject().put("call", 1);
    ArrayNode ps = frame.putArray("params");
    params.forEach(ps::add);
    for (String ref : refs) {
      args.addObject().put("ref", ref);
    }
    return t;
  }

  static JsonNode literal(Object value) {
    return JSON.createObjectNode().set("v", JSON.valueToTree(value));
  }

  static JsonNode result(int i) {
    return JSON.createObjectNode().put("r", i);
  }

  /** Submits the graph as JSON, waits for it and reads its results. */
  static String submit(List<String> code, List<ObjectNode> tasks) throws Exception {
    ObjectNode graph = JSON.createObjectNode().put("name", "code-shipping");
    code.forEach(graph.putArray("code")::add);
    tasks.forEach(graph.putArray("tasks")::add);
    return cluster.client().submit(JSON.writeValueAsBytes(graph));
  }

  static GraphResults await(String id) {
    GraphStatus status = cluster.client().awaitDone(id, QUICK);
    assertEquals("done", status.state(), status::toString);
    return cluster.client().results(id);
  }

  @Test
  @Order(1)
  void aJsonGraphOfJavaCallsRunsTheUploadedClassesOneTakingAnothersResult() throws Exception {
    String sha = upload(CodeJars.compile(Map.of("demo.Calc", CALC)));
    String id = submit(List.of(sha), List.of(
        task("square", "java:demo.Calc::square(J)J", List.of(literal(7))),
        task("plus", "java:demo.Calc::plus(JJ)J", List.of(result(1), literal(1)), "square"),
        task("fail", "java:demo.Calc::fail(Ljava/lang/String;)J", List.of(literal("divide")))));
    GraphResults results = await(id);
    assertEquals(50, results.results().get("plus").longValue(), results::toString);
    String error = results.errors().get("fail");
    assertTrue(error.startsWith("IllegalArgumentException: cannot divide | at demo.Calc.fail(Calc.java:"), error);
    String trace = results.traces().get("fail");
    assertNotNull(trace, results::toString);
    assertTrue(trace.startsWith("java.lang.IllegalArgumentException: cannot divide\n\tat demo.Calc.fail(Calc.java:"),
        trace);
    assertTrue(trace.contains("Caused by: java.lang.IllegalStateException: deep divide"), trace);
    cluster.client().forget(id);
  }

  @Test
  @Order(2)
  void twoGraphsWithTwoVersionsOfOneClassRunAtOnceAndEachGetsItsOwn() throws Exception {
    String v1 = upload(CodeJars.greeter("v1"));
    String v2 = upload(CodeJars.greeter("v2"));
    List<ObjectNode> names = new java.util.ArrayList<>();
    for (int i = 0; i < 6; i++) {
      names.add(task("hello-" + i, HELLO, List.of(literal("n" + i))));
    }
    String one = submit(List.of(v1), names);
    String two = submit(List.of(v2), names);
    GraphResults first = await(one);
    GraphResults second = await(two);
    for (int i = 0; i < 6; i++) {
      assertEquals("hello n" + i + " from v1", first.results().get("hello-" + i).textValue(), first::toString);
      assertEquals("hello n" + i + " from v2", second.results().get("hello-" + i).textValue(), second::toString);
    }
    cluster.client().forget(one);
    cluster.client().forget(two);
  }

  @Test
  @Order(3)
  void aJarAlteredInTheSchedulersStoreErrsItsTaskByItsHashAndTheWorkersGoOn() throws Exception {
    byte[] uploaded = CodeJars.greeter("v3");
    byte[] altered = CodeJars.greeter("evil");
    String sha = upload(uploaded);
    Path stored = codeDir.resolve(sha + ".jar");
    assertArrayEquals(uploaded, Files.readAllBytes(stored), "the store keeps jars as SHA.jar in --code-dir");
    Files.write(stored, altered);

    String id = submit(List.of(sha), List.of(task("hello", HELLO, List.of(literal("ann")))));
    GraphResults results = await(id);
    assertEquals("jar " + sha + " fetched from the scheduler does not match its SHA-256 (got "
        + CodeJars.sha256(altered) + "); it was altered or corrupted", results.errors().get("hello"));
    cluster.client().forget(id);

    // the workers go on: a later graph completes on both
    String later = submit(List.of(upload(CodeJars.greeter("v4"))), List.of(
        task("a", HELLO, List.of(literal("a"))), task("b", HELLO, List.of(literal("b")))));
    GraphResults after = await(later);
    assertEquals("hello a from v4", after.results().get("a").textValue());
    assertEquals("hello b from v4", after.results().get("b").textValue());
    assertEquals(2, cluster.client().workers().size());
    cluster.processes().forEach((name, p) -> assertTrue(p.isAlive(), name + " is running"));
  }

  @Test
  @Order(4)
  void aGraphNamingAJarNobodyUploadedIsRefusedWithWhatToDo() throws Exception {
    String unknown = "0f".repeat(32);
    ObjectNode graph = JSON.createObjectNode();
    graph.putArray("code").add(unknown);
    graph.putArray("tasks").add(task("hello", HELLO, List.of(literal("x"))));
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(api("/api/v1/graphs"))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(graph), StandardCharsets.UTF_8)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(422, r.statusCode());
    assertEquals("graph needs jar " + unknown + " which this scheduler does not hold; upload it first "
        + "(PUT /api/v1/code/" + unknown + ")", JSON.readTree(r.body()).get("error").textValue());
  }
}
