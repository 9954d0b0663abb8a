package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * Browsers under load (issue 6, point 4): 500 SSE clients on one dashboard process while a graph
 * runs, some of which stall (never read) and some of which disconnect mid-stream. The healthy ones
 * get every update, in order, and the final counts soon after the scheduler finishes; the stalled
 * ones are dropped by the dashboard; and once every client has left, the dashboard's open file
 * descriptors are back at their baseline and its heap after a full GC is back within
 * {@link #HEAP_MARGIN_BYTES} of it. It prints the figures (fds, heap, delivery latency).
 *
 * <p>The dashboard runs as its own process (a {@code tasklane dashboard} node, the scheduler
 * without its embedded one), so that its file descriptors and heap are the dashboard's alone.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SseLoadSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  static final int READERS = 250;
  /** Readers that also parse every task event, for the delivery latency. */
  static final int PROBES = 10;
  static final int DISCONNECTORS = 100;
  static final int DISCONNECT_CYCLES = 3;
  static final int STALLED = 150;
  static final int CLIENTS = READERS + DISCONNECTORS + STALLED;

  /**
   * How far the heap after a full GC may be above the baseline once every client has left: the
   * dashboard's own windows (the last 20,000 tasks, five minutes of resource history) are filled
   * before the baseline by a warm-up graph (the load graph's 2,400 tasks may still add a little),
   * so what is left is the noise of a full GC's result (pooled buffers, lazily built caches), a few
   * MiB; the 500 connections' state was about 70 MiB (measured: 29 MiB before, 100 MiB with them,
   * 32 MiB after).
   */
  static final long HEAP_MARGIN_BYTES = 8L << 20;
  /** Open descriptors may differ from the baseline by this many (a log file rolled, a jar opened). */
  static final int FD_MARGIN = 5;

  static LocalCluster cluster;
  static Process dashboard;
  static int dashboardPort;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("sse-load", 2, 1, "--no-dashboard");
    dashboardPort = LocalCluster.freePort();
    dashboard = cluster.start("dashboard", "dashboard", "--scheduler", "127.0.0.1:" + cluster.port(), "--host",
        "127.0.0.1", "--dashboard-port", "" + dashboardPort, "--dashboard-address", "127.0.0.1");
    LocalCluster.await(Duration.ofSeconds(90), "the dashboard follows the scheduler", () -> {
      if (!dashboard.isAlive()) {
        throw new AssertionError("the dashboard exited with " + dashboard.exitValue() + "; see " + cluster.logs());
      }
      JsonNode s = getJson("api/v1/status.json");
      return s != null && s.path("connected").asBoolean() && s.path("workers").size() == 2;
    });
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  @Order(1)
  void fiveHundredClientsSomeStalledSomeLeavingAndTheRestGetEveryUpdate() throws Exception {
    long pid = dashboard.pid();
    String cmdline = Files.readString(Path.of("/proc", "" + pid, "cmdline")).replace('\0', ' ');
    assertTrue(cmdline.contains("java") && cmdline.contains("TasklaneCli"),
        "bin/tasklane execs java, so the process handle is the dashboard's JVM: " + cmdline);
    long maxFiles = maxOpenFiles(pid);
    Assumptions.assumeTrue(maxFiles < 0 || maxFiles >= CLIENTS + 200, "the dashboard may open only " + maxFiles
        + " files (ulimit -n), too few for " + CLIENTS + " connections: raise the hard limit (ulimit -Hn)");

    // warm-up: the HTTP stack has served SSE, and the dashboard's windows are as full as they get
    runToEnd(DemoGraphs.independent(22_000));
    try (SseSwarm warm = new SseSwarm("127.0.0.1", dashboardPort, "/events", 1)) {
      warm.addReaders(5, 0);
      LocalCluster.await(Duration.ofSeconds(30), "warm-up readers have a snapshot", warm::allSnapshotted);
    }
    LocalCluster.await(Duration.ofSeconds(30), "no SSE client connected", () -> sseClients() == 0);
    ProcessProbe.LiveHeap baseline = ProcessProbe.liveHeap(pid); // the first jcmd starts the attach listener: count fds after it
    long heapBaseline = baseline.bytes();
    int fdBaseline = ProcessProbe.openFileDescriptors(pid);

    GraphSpec graph = loadGraph(2400, 0.02);
    String id = cluster.client().submit(graph);
    long[] fdPeak = {0};
    long[] clientsPeak = {0};
    long heapUnderLoad;
    GraphStatus done;
    List<Double> latencies;
    List<Double> spread;
    long disconnections;
    long resets;
    try (SseSwarm swarm = new SseSwarm("127.0.0.1", dashboardPort, "/events", 20261128L)) {
      swarm.stall(STALLED);
      swarm.addReaders(READERS, PROBES);
      swarm.addDisconnectors(DISCONNECTORS, DISCONNECT_CYCLES);
      LocalCluster.await(Duration.ofSeconds(90), "every reader has its snapshot", () -> {
        fdPeak[0] = Math.max(fdPeak[0], ProcessProbe.openFileDescriptors(pid));
        clientsPeak[0] = Math.max(clientsPeak[0], sseClients());
        return swarm.allSnapshotted();
      });
      fdPeak[0] = Math.max(fdPeak[0], ProcessProbe.openFileDescriptors(pid));
      heapUnderLoad = ProcessProbe.liveHeap(pid).bytes();
      clientsPeak[0] = Math.max(clientsPeak[0], sseClients());
      assertTrue(clientsPeak[0] >= READERS + STALLED, "the dashboard had at least the " + (READERS + STALLED)
          + " readers and stalled clients at once, and some disconnecting ones: " + clientsPeak[0]);

      swarm.startMeasuring();
      done = cluster.client().awaitDone(id, Duration.ofMinutes(3));
      swarm.stopMeasuring();
      assertEquals("done", done.state(), done::toString);
      Map<String, long[]> expected = expectedCounts(done);
      // on time: every healthy reader shows the scheduler's final counts soon after it finished
      LocalCluster.await(Duration.ofSeconds(30), "every reader shows the final counts",
          () -> swarm.allReadersShow(expected));

      // the stalled clients are dropped by the dashboard, the disconnecting ones are gone
      LocalCluster.await(Duration.ofSeconds(120), "only the " + READERS + " readers still connected (stalled "
          + "clients dropped: client-stall-timeout 20 s after socket-send-buffer filled)", () -> {
            fdPeak[0] = Math.max(fdPeak[0], ProcessProbe.openFileDescriptors(pid));
            return swarm.disconnectorsActive() == 0 && sseClients() == READERS;
          });
      assertEquals(STALLED, swarm.stalledClosedByServer(10_000), "the server closed every stalled connection");
      assertTrue(droppedTotal() >= STALLED, "the dashboard counts the stalled clients as dropped");
      assertEquals(List.of(), swarm.problems(), "every reader got every update, in order, on one connection");
      for (SseSwarm.Reader r : swarm.readers()) {
        assertEquals(1, r.snapshots, "reader " + r.index + " was never dropped");
        assertFalse(r.ended, "reader " + r.index + " still connected");
      }
      latencies = swarm.taskLatenciesMillis();
      spread = swarm.fanOutSpreadMillis();
      disconnections = swarm.disconnections();
      resets = swarm.resets();
      assertEquals((long) DISCONNECTORS * DISCONNECT_CYCLES, disconnections);
    }
    cluster.client().forget(id);

    // every client has left: descriptors and heap back where they were
    LocalCluster.await(Duration.ofSeconds(30), "no SSE client connected", () -> sseClients() == 0);
    int[] fdAfter = {0};
    LocalCluster.await(Duration.ofSeconds(30), "open fds back to the baseline of " + fdBaseline, () -> {
      fdAfter[0] = ProcessProbe.openFileDescriptors(pid);
      return Math.abs(fdAfter[0] - fdBaseline) <= FD_MARGIN;
    });
    ProcessProbe.LiveHeap after = ProcessProbe.liveHeap(pid);
    long heapAfter = after.bytes();
    if (heapAfter > heapBaseline + HEAP_MARGIN_BYTES) {
      // what grew: the two class histograms, for whoever looks into it
      Files.writeString(cluster.logs().resolve("heap-baseline-histogram.txt"), baseline.histogram());
      Files.writeString(cluster.logs().resolve("heap-after-histogram.txt"), after.histogram());
    }

    System.out.printf(Locale.ROOT, "SSE load: %d clients (%d readers, %d stalled, %d disconnecting %d times each: "
            + "%d disconnections, %d with a reset; at most %d connected at once), %d tasks%n", CLIENTS, READERS, STALLED,
        DISCONNECTORS, DISCONNECT_CYCLES, disconnections, resets, clientsPeak[0], graph.tasks().size());
    System.out.printf(Locale.ROOT, "  dashboard open fds: baseline %d, peak %d, after %d%n", fdBaseline, fdPeak[0],
        fdAfter[0]);
    System.out.printf(Locale.ROOT, "  dashboard heap after full GC: baseline %.1f MiB, under load %.1f MiB, after %.1f MiB%n",
        mib(heapBaseline), mib(heapUnderLoad), mib(heapAfter));
    System.out.printf(Locale.ROOT, "  task finished on a worker -> task event at a reader (%d samples over %d readers): "
        + "p50 %.0f ms, p99 %.0f ms%n", latencies.size(), PROBES, pct(latencies, 50), pct(latencies, 99));
    System.out.printf(Locale.ROOT, "  an event at the first reader -> at each reader (%d samples): p50 %.1f ms, "
        + "p99 %.1f ms%n", spread.size(), pct(spread, 50), pct(spread, 99));

    assertTrue(heapAfter <= heapBaseline + HEAP_MARGIN_BYTES, String.format(Locale.ROOT,
        "heap after a full GC back within %.0f MiB of the baseline: %.1f MiB then, %.1f MiB now (class histograms "
            + "in %s)", mib(HEAP_MARGIN_BYTES), mib(heapBaseline), mib(heapAfter), cluster.logs()));
    assertFalse(latencies.isEmpty(), "the probes saw task events");
  }

  @Test
  @Order(2)
  void bogusLastEventIdsGetASnapshotAndTraversalFindsNothing() throws Exception {
    for (String lastId : List.of("-1", "0", "99999999999999999999999999", "1e9", "abc", "%2e%2e", "x".repeat(4000),
        "\u00e9\u00e8")) {
      String head = rawSse(lastId);
      assertTrue(head.startsWith("HTTP/1.1 200"), () -> "Last-Event-ID '" + cut(lastId) + "': " + cut(head));
      assertTrue(head.contains("event: snapshot"), () -> "Last-Event-ID '" + cut(lastId) + "' starts with a snapshot: "
          + cut(head));
    }
    for (String target : List.of("/../../../../etc/passwd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/assets/../../../../etc/passwd", "/assets/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/assets/..%2f..%2f..%2f..%2fetc%2fpasswd", "/assets/%2e%2e/tasklane-node.conf",
        "/assets/%2e%2e/%2e%2e/META-INF/MANIFEST.MF", "/assets/..%5c..%5ctasklane-node.conf")) {
      for (int port : new int[] {dashboardPort, cluster.apiPort()}) {
        String response = raw(port, target);
        String status = response.isEmpty() ? "(no answer)" : response.substring(0, Math.max(0, response.indexOf("\r\n")));
        assertTrue(status.startsWith("HTTP/1.1 404") || status.startsWith("HTTP/1.1 400"),
            () -> "port " + port + " " + target + " -> " + status);
        assertFalse(response.contains("root:") || response.contains("large-message") || response.contains("Manifest-Version"),
            () -> target + " leaked a file: " + cut(response));
      }
    }
    // still serving
    assertEquals("ok", get("health"));
  }

  // ------------------------------------------------------------------ the graph

  /**
   * {@code leaves} tasks {@code wait-i = sleep(seconds, i)} (no CPU, so the JVMs under test keep
   * the cores), summed 100 at a time into {@code part-j}, then {@code total}.
   */
  static GraphSpec loadGraph(int leaves, double seconds) {
    List<TaskSpec> tasks = new ArrayList<>();
    List<com.fasterxml.jackson.databind.JsonNode> parts = new ArrayList<>();
    List<com.fasterxml.jackson.databind.JsonNode> refs = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      tasks.add(new TaskSpec("wait-" + i, "sleep", List.of(NODES.numberNode(seconds), NODES.numberNode(i)), null));
      refs.add(NODES.objectNode().put("ref", "wait-" + i));
      if (refs.size() == 100 || i == leaves - 1) {
        String key = "part-" + parts.size();
        tasks.add(new TaskSpec(key, "sum", List.copyOf(refs), null));
        parts.add(NODES.objectNode().put("ref", key));
        refs.clear();
      }
    }
    tasks.add(new TaskSpec("total", "sum", parts, null));
    return new GraphSpec("sse-load", tasks, List.of("total"));
  }

  static Map<String, long[]> expectedCounts(GraphStatus status) {
    Map<String, long[]> out = new LinkedHashMap<>();
    for (GroupProgress g : status.groups()) {
      out.put(g.name(), new long[] {g.total(), g.memory(), g.released(), g.erred(), g.processing(), g.waiting()});
    }
    return out;
  }

  static void runToEnd(GraphSpec graph) {
    String id = cluster.client().submit(graph);
    assertEquals("done", cluster.client().awaitDone(id, Duration.ofMinutes(2)).state());
    cluster.client().forget(id);
  }

  // ------------------------------------------------------------------ the dashboard process

  /** The soft limit on open files of a process (after the JVM raised it to the hard limit), or -1. */
  static long maxOpenFiles(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "limits"))) {
      if (line.startsWith("Max open files")) {
        String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
        return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
      }
    }
    return -1;
  }

  /** {@code tasklane_dashboard_sse_clients} from the dashboard's metrics. */
  static long sseClients() {
    return metric("tasklane_dashboard_sse_clients");
  }

  static long droppedTotal() {
    return metric("tasklane_dashboard_sse_clients_dropped_total");
  }

  static long metric(String name) {
    Matcher m = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(get("metrics"));
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  static String get(String path) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + dashboardPort + "/"
          + path)).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  static JsonNode getJson(String path) {
    try {
      String body = get(path);
      return body.isEmpty() ? null : JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
  }

  /** Opens {@code events} with a Last-Event-ID header and returns what came until the first event's data. */
  static String rawSse(String lastEventId) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", dashboardPort), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET /events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n"
          + "Last-Event-ID: ").getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().write(lastEventId.getBytes(StandardCharsets.UTF_8));
      s.getOutputStream().write("\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      InputStream in = s.getInputStream();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      try {
        for (int n; (n = in.read(buf)) >= 0; ) {
          out.write(buf, 0, n);
          String text = out.toString(StandardCharsets.UTF_8);
          if (text.contains("\r\n\r\n") && (text.contains("data: ") || !text.startsWith("HTTP/1.1 200"))) {
            break;
          }
        }
      } catch (SocketTimeoutException e) {
        // what came is what we have
      }
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  /** Sends the request line exactly as written (no client normalizes it); the whole response. */
  static String raw(int port, String target) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      s.setSoTimeout(10_000);
      s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      s.getInputStream().transferTo(out);
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  static String cut(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  static double mib(long bytes) {
    return bytes / (1024.0 * 1024.0);
  }

  static double pct(List<Double> xs, int p) {
    if (xs.isEmpty()) {
      return Double.NaN;
    }
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, Math.max(0, (int) Math.ceil(p / 100.0 * s.size()) - 1)));
  }
}
