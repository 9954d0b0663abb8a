package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Bad input, tried on purpose (issue 6, point 5), against a real cluster (a scheduler with its
 * dashboard and two workers, each a JVM with a 384 MiB heap): random mutations of a valid graph,
 * a million-task graph, a 100,000-long chain, keys of 1 MB, empty, in any script and in HTML,
 * results over and just under the limit a message can carry, and JSON nested past the parser's
 * limit. Each is answered with a 2xx or a one-line JSON 4xx, never a 5xx or a dropped connection,
 * and the cluster still runs a small graph afterwards; no process runs out of memory or stack.
 *
 * <p>The chain is latency-bound (one round trip per link) and runs while the lighter cases are
 * tried; the graph near the task limit runs alone at the end.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputLoadSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  /** For answers with results of many MiB: base64 strings longer than Jackson's default limit. */
  static final ObjectMapper BIG_JSON = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).build()).build());
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static final long SEED = 20261128L;
  static final int FUZZ_CASES = 2000;
  static final int CHAIN = 100_000;

  static LocalCluster cluster;
  static String chainId;

  /** How long each process's log was before this run (logs are appended to, run after run). */
  static final Map<Path, Long> logStarts = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    Path logs = Path.of(LocalCluster.home(), "launcher", "target", "system-logs", "bad-input-load");
    if (Files.isDirectory(logs)) {
      try (Stream<Path> files = Files.list(logs)) {
        for (Path log : files.filter(f -> f.toString().endsWith(".log")).toList()) {
          logStarts.put(log.getFileName(), Files.size(log));
        }
      }
    }
    cluster = LocalCluster.start("bad-input-load", 2, 1);
  }

  @AfterAll
  static void stop() throws IOException {
    if (cluster == null) {
      return;
    }
    cluster.close();
    // nothing ran out of memory or stack, in any process (in what this run wrote)
    try (Stream<Path> logs = Files.list(cluster.logs())) {
      for (Path log : logs.filter(p -> p.toString().endsWith(".log")).toList()) {
        byte[] all = Files.readAllBytes(log);
        int from = (int) Math.min(all.length, logStarts.getOrDefault(log.getFileName(), 0L));
        String text = new String(all, from, all.length - from, StandardCharsets.UTF_8);
        assertFalse(text.contains("OutOfMemoryError"), () -> log + " has an OutOfMemoryError");
        assertFalse(text.contains("StackOverflowError"), () -> log + " has a StackOverflowError");
      }
    }
  }

  // ------------------------------------------------------------------ a 100,000-long chain

  @Test
  @Order(1)
  void aHundredThousandLongChainIsAccepted() throws Exception {
    List<TaskSpec> tasks = new ArrayList<>(CHAIN);
    tasks.add(new TaskSpec("c-0", "inc", List.of(NODES.numberNode(0)), null));
    for (int i = 1; i < CHAIN; i++) {
      tasks.add(new TaskSpec("c-" + i, "inc", List.of(NODES.objectNode().put("ref", "c-" + (i - 1))), null));
    }
    HttpResponse<String> r = post(JSON.writeValueAsBytes(new GraphSpec("chain", tasks, null)));
    assertEquals(201, r.statusCode(), r.body());
    chainId = JSON.readTree(r.body()).get("id").asText();
    // it runs while the next cases are tried; theChainRunsToTheEnd waits for it
  }

  // ------------------------------------------------------------------ fuzz

  @Test
  @Order(2)
  void twoThousandMutantsGetA2xxOrAOneLine4xxOnOneConnection() throws Exception {
    Random random = new Random(SEED);
    Map<Integer, Integer> statuses = new TreeMap<>();
    long start = System.nanoTime();
    try (KeepAlive api = new KeepAlive(cluster.apiPort())) {
      for (int i = 0; i < FUZZ_CASES; i++) {
        String mutant = GraphMutator.mutate(GraphMutator.VALID, random, 1 + random.nextInt(4));
        int n = i;
        Answer a = api.send("POST", "/api/v1/graphs", mutant.getBytes(StandardCharsets.UTF_8),
            () -> "case " + n + ": " + mutant);
        statuses.merge(a.status(), 1, Integer::sum);
        if (a.status() == 201) {
          String id = a.json().get("id").asText();
          Answer forgotten = api.send("DELETE", "/api/v1/graphs/" + id, null, () -> "forgetting case " + n);
          assertEquals(200, forgotten.status(), () -> "case " + n + ": " + forgotten);
        } else {
          a.assertOneLineError(() -> "case " + n + ": " + mutant);
          assertTrue(a.status() >= 400 && a.status() < 500, () -> "case " + n + ": a 4xx: " + a + " for " + mutant);
        }
      }
      assertEquals(FUZZ_CASES, api.requestsOnThisConnection - statuses.getOrDefault(201, 0),
          "every request went over the one connection");
    }
    System.out.printf(Locale.ROOT, "fuzz: %d mutants over one keep-alive connection in %.1f s, statuses %s%n",
        FUZZ_CASES, (System.nanoTime() - start) / 1e9, statuses);
    assertTrue(statuses.getOrDefault(201, 0) > 0, "some mutants are valid graphs: " + statuses);
    int refused = statuses.entrySet().stream().filter(e -> e.getKey() != 201).mapToInt(Map.Entry::getValue).sum();
    assertTrue(refused > FUZZ_CASES / 2, "most mutants are refused: " + statuses);
    for (var g : cluster.client().graphs()) {
      assertNotEquals("fuzz", g.name(), () -> "every accepted mutant was forgotten: " + g);
    }
    assertSmallGraphRuns();
  }

  // ------------------------------------------------------------------ keys

  static final String MB = "k".repeat(1 << 20);

  @Test
  @Order(3)
  void keysOfAMegabyteAndEmptyKeysAreRefusedNamingTheLimit() throws Exception {
    Answer key = postRaw("{\"tasks\": [{\"key\": \"" + MB + "\", \"fn\": \"inc\", \"args\": [1]}]}");
    key.assertOneLineError(() -> "a 1 MB key");
    assertEquals(422, key.status(), key::toString);
    assertEquals("task #0: \"key\" is 1048576 characters long; the limit is 1024", key.error());

    // a reference of 100,000 characters: arguments under their 1 MiB limit, a key far over its own
    Answer ref = postRaw("{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [{\"ref\": \""
        + MB.substring(0, 100_000) + "\"}]}]}");
    assertEquals(422, ref.status(), ref::toString);
    assertTrue(ref.error().startsWith("task 'a' refers to missing key 'kkk") && ref.error().length() < 200, ref::toString);
    Answer args = postRaw("{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [\"" + MB + "\"]}]}");
    assertEquals(422, args.status(), args::toString);
    assertTrue(args.error().startsWith("task 'a': its \"args\" are 1024 KiB as JSON; the limit is 1024 KiB"), args::toString);

    for (String field : List.of("fn", "group")) {
      String task = field.equals("fn") ? "\"key\": \"a\", \"fn\": \"" + MB + "\""
          : "\"key\": \"a\", \"fn\": \"inc\", \"group\": \"" + MB + "\"";
      Answer a = postRaw("{\"tasks\": [{" + task + "}]}");
      assertEquals(422, a.status(), a::toString);
      assertEquals("task 'a': \"" + field + "\" is 1048576 characters long; the limit is 1024", a.error());
    }

    Answer empty = postRaw("{\"tasks\": [{\"key\": \"\", \"fn\": \"inc\", \"args\": [1]}]}");
    empty.assertOneLineError(() -> "an empty key");
    assertEquals(400, empty.status(), empty::toString);
    assertEquals("task #0: \"key\" must be a non-empty string", empty.error());

    // half a surrogate pair is not Unicode: no worker could be sent it
    Answer half = postRaw("{\"tasks\": [{\"key\": \"a-\\ud800\", \"fn\": \"inc\", \"args\": [1]}]}");
    half.assertOneLineError(() -> "half a surrogate pair");
    assertEquals(400, half.status(), half::toString);
    assertTrue(half.error().contains("unpaired surrogate (\\ud800)"), half::toString);
    Answer halfArg = postRaw("{\"tasks\": [{\"key\": \"a\", \"fn\": \"identity\", \"args\": [\"x\\udc00\"]}]}");
    assertEquals(400, halfArg.status(), halfArg::toString);
    assertTrue(halfArg.error().contains("a string in \"args\" has an unpaired surrogate"), halfArg::toString);
    assertSmallGraphRuns();
  }

  static final List<String> ANY_KEYS = List.of(
      "\u043a\u043b\u044e\u0447-1", "\u4e2d\u6587-\u952e-2", "emoji-\ud83d\ude00-3", "e\u0301-combining-4",
      "rtl-\u202e-override-5", "zero\u200bwidth-6", "nul-\u0000-7", "line\u2028sep-8", "tab\tand\nnewline-9",
      "<script>alert(1)</script>", "x-<b>\u00e9</b>&amp;-11", "quote-\"-'-\\-12");
  static final String FAILING_KEY = "f\u00e4llt-\ud83d\udca5";
  static final String FAILURE = "nachricht-\u00fc-\ud83d\udca5 <i>";

  @Test
  @Order(4)
  void keysInAnyScriptAndHtmlComeBackExactlyFromTheApiAndTheDashboard() throws Exception {
    List<TaskSpec> tasks = new ArrayList<>();
    for (String k : ANY_KEYS) {
      tasks.add(new TaskSpec(k, "identity", List.of(NODES.textNode(k)), null));
    }
    tasks.add(new TaskSpec(FAILING_KEY, "fail", List.of(NODES.textNode(FAILURE)), null));
    HttpResponse<String> r = post(JSON.writeValueAsBytes(new GraphSpec("any-keys", tasks, null)));
    assertEquals(201, r.statusCode(), r.body());
    String id = JSON.readTree(r.body()).get("id").asText();
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(1));
    assertEquals(1, status.erred(), status::toString);
    assertTrue(status.errors().get(FAILING_KEY).contains(FAILURE), status::toString);

    JsonNode results = JSON.readTree(get(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs/" + id
        + "/results")));
    Set<String> names = new HashSet<>();
    results.get("results").fieldNames().forEachRemaining(names::add);
    assertEquals(Set.copyOf(ANY_KEYS), names, "the results' keys, exactly");
    for (String k : ANY_KEYS) {
      assertEquals(k, results.get("results").get(k).asText(), "each value is its key");
    }
    assertTrue(results.get("errors").get(FAILING_KEY).asText().contains(FAILURE), results::toString);

    // the dashboard's JSON has them as they are (its pages show them as text)
    Map<String, JsonNode> shown = new LinkedHashMap<>();
    LocalCluster.await(Duration.ofSeconds(30), "the dashboard lists every task", () -> {
      shown.clear();
      try {
        for (JsonNode t : JSON.readTree(get(URI.create(cluster.dashboardUrl() + "api/v1/tasks.json?limit=20000")))) {
          if (t.get("graph").asText().equals(id)) {
            shown.put(t.get("key").asText(), t);
          }
        }
      } catch (IOException e) {
        return false;
      }
      return shown.size() == ANY_KEYS.size() + 1;
    });
    Set<String> all = new HashSet<>(ANY_KEYS);
    all.add(FAILING_KEY);
    assertEquals(all, shown.keySet());
    assertTrue(shown.get(FAILING_KEY).get("error").asText().contains(FAILURE), () -> shown.get(FAILING_KEY).toString());
    assertEquals("\u043a\u043b\u044e\u0447", shown.get(ANY_KEYS.get(0)).get("group").asText(), "grouped as key_split");
    cluster.client().forget(id);
  }

  @Test
  @Order(5)
  void jsonNestedPastTheParsersLimitIsA400AndJustUnderItRuns() throws Exception {
    int deep = 100_000;
    Answer tooDeep = postRaw("{\"tasks\": [{\"key\": \"d\", \"fn\": \"identity\", \"args\": [" + "[".repeat(deep)
        + "]".repeat(deep) + "]}]}");
    tooDeep.assertOneLineError(() -> "100,000 nested arrays");
    assertEquals(400, tooDeep.status(), tooDeep::toString);
    assertTrue(tooDeep.error().contains("nesting depth"), tooDeep::toString);

    int ok = 990; // with the graph's own three levels, just under Jackson's 1000
    Answer under = postRaw("{\"tasks\": [{\"key\": \"d\", \"fn\": \"identity\", \"args\": [" + "[".repeat(ok)
        + "]".repeat(ok) + "]}]}");
    assertEquals(201, under.status(), under::toString);
    String id = under.json().get("id").asText();
    assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(1)).state());
    String results = get(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs/" + id + "/results"));
    assertTrue(results.contains("[".repeat(ok) + "]".repeat(ok)), () -> "the value comes back whole: " + cut(results));
    cluster.client().forget(id);
  }

  /**
   * A sum over 2,500 inputs: its assignment (the keys twice, the holders) is over Artery's ordinary
   * 256 KiB frames, so it goes through the worker's data endpoint on the large-message lane. Sent
   * the ordinary way, Artery dropped it and the graph waited forever.
   */
  @Test
  @Order(5)
  void aTaskOfTwoThousandFiveHundredInputsRuns() throws Exception {
    int n = 2_500;
    StringBuilder graph = new StringBuilder("{\"name\": \"fan-in\", \"want\": [\"total\"], \"tasks\": [");
    StringBuilder refs = new StringBuilder();
    for (int i = 0; i < n; i++) {
      String key = String.format(Locale.ROOT, "load-part-number-%05d-of-many", i);
      graph.append("{\"key\": \"").append(key).append("\", \"fn\": \"inc\", \"args\": [").append(i).append("]},");
      refs.append(i == 0 ? "" : ", ").append("{\"ref\": \"").append(key).append("\"}");
    }
    graph.append("{\"key\": \"total\", \"fn\": \"sum\", \"args\": [").append(refs).append("]}]}");
    Answer submitted = postRaw(graph.toString());
    assertEquals(201, submitted.status(), submitted::toString);
    String id = submitted.json().get("id").asText();
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(2));
    assertEquals("done", status.state(), status::toString);
    JsonNode results = JSON.readTree(get(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs/"
        + id + "/results")));
    assertEquals((long) n * (n + 1) / 2, results.get("results").get("total").asLong(), results::toString);
    cluster.client().forget(id);
  }

  // ------------------------------------------------------------------ big results

  static final long MAX_RESULT_BYTES = 32L << 20; // tasklane-node.conf
  static final long FRAME_BYTES = 40L << 20; // maximum-large-frame-size

  @Test
  @Order(6)
  void aResultOverTheLimitErrsItsTaskAndOneJustUnderMovesBetweenWorkers() throws Exception {
    long over = FRAME_BYTES + 1;
    long under = MAX_RESULT_BYTES - (64 << 10);
    List<TaskSpec> tasks = List.of(
        task("huge", "bytes", NODES.numberNode(over)),
        task("huge-size", "len", ref("huge")),
        // two payloads, one on each worker (one thread each), and a task that needs both: one moves
        task("payload-0", "bytes", NODES.numberNode(under)),
        task("payload-1", "bytes", NODES.numberNode(under)),
        task("both", "bytes", NODES.numberNode(8), ref("payload-0"), ref("payload-1")),
        task("size-0", "len", ref("payload-0")),
        task("size-1", "len", ref("payload-1")));
    HttpResponse<String> r = post(JSON.writeValueAsBytes(new GraphSpec("big-results", tasks,
        List.of("huge-size", "both", "size-0", "size-1", "payload-0"))));
    assertEquals(201, r.statusCode(), r.body());
    String id = JSON.readTree(r.body()).get("id").asText();
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(2));
    assertEquals("done", status.state(), status::toString);
    assertEquals(2, status.erred(), status::toString);
    assertEquals("result of huge is " + over + " bytes, over the limit of " + MAX_RESULT_BYTES
        + " bytes (tasklane.worker.max-result-bytes)", status.errors().get("huge"));
    assertEquals("dependency huge failed", status.errors().get("huge-size"));
    assertTrue(status.transfers() >= 1 && status.transferBytes() >= under, () -> "a payload moved: " + status);

    // through the Java client, which reads base64 strings longer than Jackson's default limit
    Map<String, JsonNode> results = cluster.client().results(id).results();
    assertEquals(under, results.get("size-0").asLong());
    assertEquals(under, results.get("size-1").asLong());
    byte[] payload = Base64.getDecoder().decode(results.get("payload-0").asText());
    assertEquals(under, payload.length, "the payload comes back whole to the client too");
    for (int i = 0; i < payload.length; i += 4099) {
      assertEquals((byte) (i % 251), payload[i], "byte " + i);
    }
    cluster.client().forget(id);
    results = null;
    payload = null;

    // big results together: more than one answer carries on this heap (a 413 that says what to do),
    // then one at a time
    List<TaskSpec> three = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      three.add(task("third-" + i, "bytes", NODES.numberNode(21L << 20)));
    }
    String threeId = cluster.client().submit(new GraphSpec("three-big", three, null));
    assertEquals("done", cluster.client().awaitDone(threeId, Duration.ofMinutes(2)).state());
    String resultsPath = "/api/v1/graphs/" + threeId + "/results";
    try (KeepAlive api = new KeepAlive(cluster.apiPort())) {
      Answer together = api.send("GET", resultsPath, null, () -> "three results of 21 MiB");
      together.assertOneLineError(() -> "three results of 21 MiB");
      assertEquals(413, together.status(), together::toString);
      assertTrue(together.error().contains("?key="), together::toString);
      Answer unknown = api.send("GET", resultsPath + "?key=nope", null, () -> "a key it does not want");
      assertEquals(404, unknown.status(), unknown::toString);
      for (int i = 0; i < 3; i++) {
        int n = i;
        Answer one = api.send("GET", resultsPath + "?key=third-" + i, null, () -> "result " + n);
        assertEquals(200, one.status(), one::toString);
        JsonNode value = BIG_JSON.readTree(one.body()).get("results").get("third-" + i);
        assertEquals(21L << 20, Base64.getDecoder().decode(value.asText()).length);
      }
    }
    cluster.client().forget(threeId);
    assertSmallGraphRuns();
  }

  // ------------------------------------------------------------------ the chain, done

  @Test
  @Order(8)
  void theChainRunsToTheEnd() throws Exception {
    assertNotNull(chainId, "the chain was accepted");
    long start = System.nanoTime();
    GraphStatus status = cluster.client().awaitDone(chainId, Duration.ofMinutes(6));
    assertEquals("done", status.state(), status::toString);
    assertEquals(0, status.erred(), status::toString);
    assertEquals(CHAIN, status.done());
    JsonNode results = JSON.readTree(get(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs/"
        + chainId + "/results")));
    Set<String> wanted = new HashSet<>();
    results.get("results").fieldNames().forEachRemaining(wanted::add);
    assertEquals(Set.of("c-" + (CHAIN - 1)), wanted, "only the end of the chain is wanted");
    assertEquals(CHAIN, results.get("results").get("c-" + (CHAIN - 1)).asLong());
    // the dashboard shows the whole group, and every intermediate result was released
    LocalCluster.await(Duration.ofSeconds(30), "the dashboard counts the chain", () -> {
      try {
        for (JsonNode g : JSON.readTree(get(URI.create(cluster.dashboardUrl() + "api/v1/groups.json")))) {
          if (g.get("name").asText().equals("c")) {
            return g.get("total").asInt() == CHAIN && g.get("memory").asInt() == 1 && g.get("released").asInt() == CHAIN - 1;
          }
        }
        return false;
      } catch (IOException e) {
        return false;
      }
    });
    assertTrue(JSON.readTree(get(URI.create(cluster.dashboardUrl() + "api/v1/status.json"))).get("connected").asBoolean());
    System.out.printf(Locale.ROOT, "chain of %,d: done %.0f s after the cases before it, in %.0f s from submission%n",
        CHAIN, (System.nanoTime() - start) / 1e9, (status.finishedMillis() - status.submittedMillis()) / 1e3);
    cluster.client().forget(chainId);
  }

  // ------------------------------------------------------------------ a million tasks

  /** The scheduler's task limit, as the answer to the million-task graph said. */
  static int taskLimit;

  @Test
  @Order(7)
  void aMillionTaskGraphIsRefusedByTheHeapsTaskLimitNamingIt() throws Exception {
    StringBuilder body = new StringBuilder(36 << 20).append("{\"name\": \"million\", \"tasks\": [");
    for (int i = 0; i < 1_000_000; i++) {
      body.append(i == 0 ? "" : ",").append("{\"key\":\"k").append(i).append("\",\"fn\":\"inc\",\"args\":[1]}");
    }
    byte[] million = body.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    body = null;
    assertTrue(million.length < 64 << 20, "under the 64 MiB body limit: " + million.length);
    long start = System.nanoTime();
    HttpResponse<String> r = post(million);
    double seconds = (System.nanoTime() - start) / 1e9;
    Answer a = new Answer("POST a million tasks", r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
        r.body());
    a.assertOneLineError(() -> "a million tasks");
    assertEquals(422, a.status(), a::toString);
    assertTrue(a.error().startsWith("the graph has 1000000 tasks, more than the limit of "), a::toString);
    assertTrue(a.error().contains("tasklane.scheduler.max-tasks") && a.error().contains("-Xmx"),
        () -> "names the limit and how to raise it: " + a.error());
    System.out.printf(Locale.ROOT, "a million tasks (%.1f MB): refused in %.1f s: %s%n", million.length / 1e6, seconds,
        a.error());
    million = null;
    Matcher limit = Pattern.compile("more than the limit of (\\d+)").matcher(a.error());
    assertTrue(limit.find());
    taskLimit = Integer.parseInt(limit.group(1));
    assertSmallGraphRuns();
  }

  @Test
  @Order(9)
  void aGraphAsLargeAsTheLimitRunsOnTheSameHeap() throws Exception {
    assertTrue(taskLimit > 0, "the limit is known");
    int max = taskLimit;
    int leaves = (max - 10) / 2; // a tree has about 2 x leaves tasks
    GraphSpec tree = DemoGraphs.tree(leaves);
    assertTrue(tree.tasks().size() <= max, tree.tasks().size() + " <= " + max);
    long start = System.nanoTime();
    String id = cluster.client().submit(tree);
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(4));
    assertEquals("done", status.state(), status::toString);
    assertEquals(DemoGraphs.treeSum(leaves), cluster.client().results(id).results().get("total").asLong());
    System.out.printf(Locale.ROOT, "a graph of %,d tasks (the limit is %,d): done in %.1f s%n", tree.tasks().size(), max,
        (System.nanoTime() - start) / 1e9);
    cluster.client().forget(id);
    assertSmallGraphRuns();
  }

  // ------------------------------------------------------------------ helpers

  static void assertSmallGraphRuns() {
    String id = cluster.client().submit(DemoGraphs.tree(10));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(1));
    assertEquals("done", status.state(), status::toString);
    assertEquals(DemoGraphs.treeSum(10), cluster.client().results(id).results().get("total").asLong());
    cluster.client().forget(id);
  }

  static TaskSpec task(String key, String fn, JsonNode... args) {
    return new TaskSpec(key, fn, List.of(args), null);
  }

  static JsonNode ref(String key) {
    return NODES.objectNode().put("ref", key);
  }

  static HttpResponse<String> post(byte[] body) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/graphs"))
        .timeout(Duration.ofMinutes(2)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  static Answer postRaw(String body) throws IOException, InterruptedException {
    HttpResponse<String> r = post(body.getBytes(StandardCharsets.UTF_8));
    return new Answer("POST " + cut(body), r.statusCode(), r.headers().firstValue("Content-Type").orElse(""), r.body());
  }

  static String get(URI uri) throws IOException {
    HttpResponse<String> r;
    try {
      r = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(1)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted reading " + uri, e);
    }
    HttpResponse<String> answer = r;
    assertEquals(200, answer.statusCode(), () -> uri + ": " + cut(answer.body()));
    return answer.body();
  }

  static String cut(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "... (" + s.length() + " chars)" : s;
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

    /** A JSON body whose {@code error} is one non-empty line. */
    void assertOneLineError(java.util.function.Supplier<String> what) {
      assertTrue(contentType.startsWith("application/json"), () -> what.get() + ": " + this);
      JsonNode error = json().get("error");
      assertTrue(error != null && error.isTextual() && !error.asText().isBlank(), () -> what.get() + ": " + this);
      assertFalse(error.asText().contains("\n") || error.asText().contains("\r"), () -> "one line: " + this);
    }

    @Override
    public String toString() {
      return request + " -> " + status + " " + contentType + " " + cut(body);
    }
  }

  /**
   * HTTP/1.1 over one socket, request after request, as a client that keeps its connection: any
   * answer that closes it (or a connection that drops) fails the test.
   */
  static final class KeepAlive implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final int port;
    int requestsOnThisConnection;

    KeepAlive(int port) throws IOException {
      this.port = port;
      this.socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      socket.setSoTimeout(60_000);
      this.in = new java.io.BufferedInputStream(socket.getInputStream(), 64 * 1024);
      this.out = socket.getOutputStream();
    }

    Answer send(String method, String path, byte[] body, java.util.function.Supplier<String> what) throws IOException {
      byte[] b = body == null ? new byte[0] : body;
      String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
          + (body == null ? "" : "Content-Type: application/json\r\n") + "Content-Length: " + b.length + "\r\n\r\n";
      ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + b.length);
      request.write(head.getBytes(StandardCharsets.US_ASCII));
      request.write(b);
      out.write(request.toByteArray()); // one write: no wait on Nagle's algorithm between head and body
      out.flush();
      requestsOnThisConnection++;
      String status = line(what);
      Matcher m = Pattern.compile("^HTTP/1\\.1 (\\d{3}) ").matcher(status);
      assertTrue(m.find(), () -> what.get() + ": status line " + status);
      int code = Integer.parseInt(m.group(1));
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h = line(what); !h.isEmpty(); h = line(what)) {
        int colon = h.indexOf(':');
        headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
      byte[] content;
      if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int size; (size = Integer.parseInt(line(what).split(";")[0].trim(), 16)) > 0; ) {
          all.write(in.readNBytes(size));
          line(what);
        }
        line(what);
        content = all.toByteArray();
      } else {
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        content = in.readNBytes(length);
        assertEquals(length, content.length, () -> what.get() + ": the connection dropped mid-answer");
      }
      assertFalse("close".equalsIgnoreCase(headers.get("connection")),
          () -> what.get() + ": the server closes the connection after " + code);
      return new Answer(method + " " + path, code, headers.getOrDefault("content-type", ""),
          new String(content, StandardCharsets.UTF_8));
    }

    private String line(java.util.function.Supplier<String> what) throws IOException {
      ByteArrayOutputStream b = new ByteArrayOutputStream(128);
      for (int c; (c = in.read()) != '\n'; ) {
        if (c < 0) {
          throw new AssertionError(what.get() + ": the server dropped the connection");
        }
        if (c != '\r') {
          b.write(c);
        }
      }
      return b.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
