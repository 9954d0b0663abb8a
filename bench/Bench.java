import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.ServerSocket;
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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.worker.metrics.HostSample;
import org.tasklane.worker.metrics.HostSampler;

/**
 * Tasklane's benchmarks, one command each: {@code bench/throughput}, {@code bench/dashboard},
 * {@code bench/sampling}, {@code bench/scale}, ... run {@code java Bench.java MODE ARGS}. They print their figures and assert nothing.
 */
public class Bench {
  public static void main(String[] args) throws Exception {
    String[] rest = java.util.Arrays.copyOfRange(args, Math.min(1, args.length), args.length);
    switch (args.length == 0 ? "" : args[0]) {
      case "throughput" -> {
        if (java.util.Arrays.asList(rest).contains("--profile-only")) {
          ProfileCost.main(java.util.Arrays.stream(rest).filter(a -> !a.equals("--profile-only")).toArray(String[]::new));
        } else if (java.util.Arrays.asList(rest).contains("--wire-only")) {
          WireCost.main(java.util.Arrays.stream(rest).filter(a -> !a.equals("--wire-only")).toArray(String[]::new));
        } else if (java.util.Arrays.asList(rest).contains("--held-only")) {
          HeldMemory.main(java.util.Arrays.stream(rest).filter(a -> !a.equals("--held-only")).toArray(String[]::new));
        } else {
          Throughput.main(rest);
        }
      }
      case "dashboard" -> DashboardBench.main(rest);
      case "sampling" -> SamplingBench.main(rest);
      case "recovery" -> RecoveryBench.main(rest);
      case "memory" -> MemoryBench.main(rest);
      case "scale" -> ScaleBench.main(rest);
      default -> throw new IllegalArgumentException("usage: Bench throughput|dashboard|sampling|recovery|memory|scale [options]");
    }
  }
}

/**
 * bench/throughput: a scheduler and two workers (one thread each) as separate JVMs on loopback;
 * prints the first graph's rate (cold JVMs), then, after {@code --warmup-seconds} of graphs (the JIT's
 * steady state, which a cluster that runs for more than a minute is in), tasks per second (median
 * of three runs) for 50,000 independent inc tasks, a 10,000-task tree sum and a chain of 1,000
 * links, each with the scheduler process's CPU per task, the same count of typed {@code Tasklane.map} tasks of a user
 * function shipped in a jar (see {@link TypedPath}), the one-task round trip (see {@link RoundTrip}),
 * and each JVM's peak resident memory.
 *
 * Run: bench/throughput [--independent N] [--leaves N] [--chain N] [--runs N] [--warmup-seconds N] [--round-trips N]
 * [--round-trips-only] [--chain-only] [--tls]
 * ({@code --tls}: see {@link TlsComparison}). The profiler's cost is its own run: bench/throughput
 * --profile-only (see {@link ProfileCost}); the memory per held task: bench/throughput --held-only (see {@link HeldMemory});
 * what a task costs on the wire: bench/throughput --wire-only (see {@link WireCost}).
 */
class Throughput {
  public static void main(String[] args) throws Exception {
    int independent = 50_000;
    int leaves = 5_000;
    int runs = 3;
    int roundTrips = 1000;
    int chain = 1000;
    int warmupSeconds = 30;
    boolean roundTripsOnly = false;
    boolean chainOnly = false;
    boolean tls = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--independent" -> independent = Integer.parseInt(args[++i]);
        case "--chain" -> chain = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
        case "--leaves" -> leaves = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--round-trips" -> roundTrips = Integer.parseInt(args[++i]);
        case "--round-trips-only" -> roundTripsOnly = true;
        case "--chain-only" -> chainOnly = true;
        case "--tls" -> tls = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    if (tls) {
      TlsComparison.run(home, independent, leaves, runs, roundTrips);
      return;
    }
    Path logs = Files.createTempDirectory("tasklane-bench");
    List<Process> procs = new ArrayList<>();
    try {
      Cluster.Local local = Cluster.startLocal(home, logs, procs, 2, "--allow-code-upload");
      TasklaneClient client = local.client();
      int apiPort = local.apiPort();

      final int n = independent;
      final int l = leaves;
      if (roundTripsOnly) {
        RoundTrip.report(client, roundTrips);
        printPeakRss(procs.get(0), client);
        return;
      }
      final int c = chain;
      if (chainOnly) { // one shape, warmed on its own: what a change on a link's path does
        long end = System.nanoTime() + warmupSeconds * 1_000_000_000L;
        do Cluster.run(client, DemoGraphs.chain(c)); while (System.nanoTime() < end);
        report("chain", c, client, () -> DemoGraphs.chain(c), runs, procs.get(0).toHandle());
        printPeakRss(procs.get(0), client);
        return;
      }
      System.out.printf(Locale.ROOT, "%-16s %7d tasks: %,10.0f tasks/s, the first graph after the JVMs started (cold JIT)%n",
          "independent inc", n, n / Cluster.run(client, DemoGraphs.independent(n)));
      long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
      int warmGraphs = 0;
      do { // the JIT's steady state: every shape measured below, in turn
        Cluster.run(client, DemoGraphs.independent(n));
        Cluster.run(client, DemoGraphs.tree(l));
        Cluster.run(client, DemoGraphs.chain(c));
        warmGraphs += 3;
      } while (System.nanoTime() < warmEnd);
      System.out.printf(Locale.ROOT, "warm-up: %d graphs in %d s; the figures below are warm%n", warmGraphs, warmupSeconds);
      ProcessHandle scheduler = procs.get(0).toHandle();
      report("independent inc", n, client, () -> DemoGraphs.independent(n), runs, scheduler);
      report("tree sum", DemoGraphs.tree(l).tasks().size(), client, () -> DemoGraphs.tree(l), runs, scheduler);
      report("chain", c, client, () -> DemoGraphs.chain(c), runs, scheduler);
      // the same count end to end, as a user sees it: the graph built, submitted, and every result read
      List<Double> e2e = new ArrayList<>();
      for (int r = 0; r < runs; r++) {
        long t0 = System.nanoTime();
        String id = client.submit(DemoGraphs.independent(n));
        client.awaitDone(id, Duration.ofMinutes(10));
        if (client.results(id).results().size() != n) throw new IllegalStateException("results missing");
        client.forget(id);
        e2e.add(n / ((System.nanoTime() - t0) / 1e9));
      }
      Collections.sort(e2e);
      System.out.printf(Locale.ROOT, "%-16s %7d tasks: median %,10.0f tasks/s  (runs: %s)%n", "inc, results read", n,
          e2e.get(e2e.size() / 2), e2e.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList());
      TypedPath.report("http://127.0.0.1:" + apiPort, n, runs, logs);
      RoundTrip.report(client, roundTrips);
      printPeakRss(procs.get(0), client);
    } finally {
      for (Process p : procs) p.destroy();
      for (Process p : procs) if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  /**
   * Tasks per second, and the scheduler process's CPU per task (all its threads: the actor, the API,
   * Artery, the embedded dashboard, GC), which CPU contention from other processes moves less than
   * the rate.
   */
  static void report(String what, int tasks, TasklaneClient client, Supplier<GraphSpec> graph, int runs,
      ProcessHandle scheduler) {
    List<Double> rates = new ArrayList<>();
    List<Double> cpuMicros = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      long cpu0 = cpuNanos(scheduler);
      double secs = Cluster.run(client, graph.get());
      rates.add(tasks / secs);
      cpuMicros.add((cpuNanos(scheduler) - cpu0) / 1e3 / tasks);
    }
    List<Double> byRate = new ArrayList<>(rates);
    Collections.sort(rates);
    Collections.sort(cpuMicros);
    System.out.printf(Locale.ROOT, "%-16s %7d tasks: median %,10.0f tasks/s  (runs: %s); scheduler CPU per task: median %.1f us (runs: %s)%n",
        what, tasks, rates.get(rates.size() / 2),
        byRate.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList(), cpuMicros.get(cpuMicros.size() / 2),
        cpuMicros.stream().map(c -> String.format(Locale.ROOT, "%.1f", c)).toList());
  }

  static void printPeakRss(Process scheduler, TasklaneClient client) {
    System.out.println("peak RSS (VmHWM):");
    System.out.printf(Locale.ROOT, "  scheduler  %s%n", peakRss(scheduler.pid()));
    for (JsonNode w : client.workers()) {
      System.out.printf(Locale.ROOT, "  %-10s %s%n", w.get("name").asText(), peakRss(w.get("pid").asLong()));
    }
  }

  static long cpuNanos(ProcessHandle p) {
    return p.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }


  static String peakRss(long pid) {
    return rss(pid, "VmHWM:");
  }

  /** A memory line of /proc/PID/status ({@code VmRSS:}, {@code VmHWM:}) in MiB. */
  static String rss(long pid, String field) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith(field)) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }



}

/**
 * bench/throughput --tls: the same cluster (a scheduler and two one-thread workers) twice, first
 * without TLS, then with {@code --tls-dir} (certificates from {@code tasklane certs}: Artery's
 * {@code tls-tcp} between the nodes, HTTPS on the client API); prints, for each, the throughput of
 * independent inc tasks and of the tree sum (median of the runs, after a warm-up) and the one-task
 * round trip.
 */
class TlsComparison {
  /** Four JVMs start at once on two cores that other work shares: give them time. */
  static final Duration START = Duration.ofMinutes(5);

  static void run(String home, int n, int leaves, int runs, int roundTrips) throws Exception {
    Path logs = Files.createTempDirectory("tasklane-bench-tls");
    Path certs = logs.resolve("certs");
    Process made = new ProcessBuilder(home + "/bin/tasklane", "certs", certs.toString(), "--hosts", "127.0.0.1")
        .redirectErrorStream(true).redirectOutput(logs.resolve("certs.log").toFile()).start();
    if (made.waitFor() != 0) throw new IllegalStateException("tasklane certs failed; see " + logs.resolve("certs.log"));
    System.out.println("logs in " + logs);
    for (boolean tls : new boolean[] {false, true}) {
      int port = Cluster.freePort();
      int apiPort = Cluster.freePort();
      String tag = tls ? "tls" : "plain";
      List<String> tlsArgs = tls ? List.of("--tls-dir", certs.toString()) : List.of();
      List<Process> procs = new ArrayList<>();
      try {
        List<String> scheduler = new ArrayList<>(List.of("scheduler", "--host", "127.0.0.1", "--port", "" + port,
            "--api-port", "" + apiPort, "--dashboard-port", "0", "--no-history"));
        scheduler.addAll(tlsArgs);
        procs.add(Cluster.start(home, logs, tag + "-scheduler", scheduler.toArray(new String[0])));
        TasklaneClient client = tls
            ? TasklaneClient.withTlsDir(URI.create("https://127.0.0.1:" + apiPort + "/"), certs.resolve("127.0.0.1"), null)
            : new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
        Cluster.waitFor(START, () -> { try { client.graphs(); return true; } catch (RuntimeException e) { return false; } });
        for (int i = 1; i <= 2; i++) {
          List<String> worker = new ArrayList<>(List.of("worker", "--scheduler", "127.0.0.1:" + port, "--host", "127.0.0.1",
              "--nthreads", "1", "--name", "worker-" + i, "--no-nanny"));
          worker.addAll(tlsArgs);
          procs.add(Cluster.start(home, logs, tag + "-worker-" + i, worker.toArray(new String[0])));
        }
        Cluster.waitFor(START, () -> { try { return client.workers().size() == 2; } catch (RuntimeException e) { return false; } });
        System.out.println("--- TLS " + (tls ? "on (Artery tls-tcp between nodes, HTTPS client API)" : "off") + ":");
        Cluster.run(client, DemoGraphs.independent(n)); // warm-up: JIT
        Cluster.run(client, DemoGraphs.tree(leaves));
        ProcessHandle sched = procs.get(0).toHandle();
        Throughput.report("independent inc", n, client, () -> DemoGraphs.independent(n), runs, sched);
        Throughput.report("tree sum", DemoGraphs.tree(leaves).tasks().size(), client, () -> DemoGraphs.tree(leaves), runs, sched);
        RoundTrip.report(client, roundTrips);
      } finally {
        for (Process p : procs) p.destroy();
        for (Process p : procs) if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
      }
    }
  }
}

/**
 * The one-task round trip of bench/throughput, as an interactive user feels it: a graph of one
 * {@code inc}, one graph at a time, two ways: submitted, then {@link TasklaneClient#awaitDone} (a
 * long poll: two requests), and {@link TasklaneClient#submitAndWait} (the POST waits: one request).
 * After a warm-up of {@link #WARM_UP} graphs (the JIT: the first few hundred round trips of a new
 * cluster take several times longer), the two ways take turns in blocks of 100, so both meet the
 * same machine. Prints the median and p99 of each, and of the first way's two requests. Then a
 * third way, {@link RawHttp}: the same one-request round trip written and read on one keep-alive
 * socket, no HTTP client library: what the cluster itself takes, without the JDK client's
 * hand-offs between its threads.
 */
class RoundTrip {
  static final int WARM_UP = 12_000;

  static void report(TasklaneClient client, int graphs) {
    GraphSpec one = DemoGraphs.independent(1);
    List<Double> cold = new ArrayList<>();
    for (int i = 0; i < WARM_UP; i++) {
      double[] t = twoRequests(client, one);
      if (i < 200) {
        cold.add(t[0] + t[1]);
      }
    }
    List<Double> total = new ArrayList<>();
    List<Double> post = new ArrayList<>();
    List<Double> await = new ArrayList<>();
    List<Double> single = new ArrayList<>();
    for (int done = 0; done < graphs; done += 100) {
      for (int i = done; i < Math.min(graphs, done + 100); i++) {
        double[] t = twoRequests(client, one);
        post.add(t[0]);
        await.add(t[1]);
        total.add(t[0] + t[1]);
      }
      for (int i = done; i < Math.min(graphs, done + 100); i++) {
        single.add(oneRequest(client, one));
      }
    }
    System.out.printf(Locale.ROOT, "one-task round trip, the first %d graphs of the warm-up (POST, then wait): "
        + "median %.2f ms, p99 %.2f ms%n", cold.size(), pct(cold, 50), pct(cold, 99));
    System.out.printf(Locale.ROOT, "one-task round trip, %d graphs one after another after %d of warm-up: "
        + "POST?wait (one request): median %.2f ms, p99 %.2f ms; "
        + "POST, then wait for done: median %.2f ms, p99 %.2f ms (POST alone: median %.2f, p99 %.2f; "
        + "the wait: median %.2f, p99 %.2f)%n",
        graphs, WARM_UP, pct(single, 50), pct(single, 99), pct(total, 50), pct(total, 99),
        pct(post, 50), pct(post, 99), pct(await, 50), pct(await, 99));
    if (!"http".equals(client.base().getScheme())) {
      return; // the raw socket speaks plain HTTP only
    }
    List<Double> raw = new ArrayList<>();
    try (RawHttp http = new RawHttp(client.base())) {
      for (int i = 0; i < graphs; i++) {
        long t0 = System.nanoTime();
        String id = http.submitAndWait(ONE_JSON);
        raw.add((System.nanoTime() - t0) / 1e6);
        client.forget(id);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    System.out.printf(Locale.ROOT, "one-task round trip on one raw keep-alive socket (no HTTP client library), %d "
        + "graphs: POST?wait median %.2f ms, p90 %.2f ms, p99 %.2f ms%n", graphs, pct(raw, 50), pct(raw, 90), pct(raw, 99));
  }

  /** The graph of {@code DemoGraphs.independent(1)} as the raw socket sends it. */
  static final String ONE_JSON = "{\"name\":\"inc-1\",\"tasks\":[{\"key\":\"inc-0\",\"fn\":\"inc\",\"args\":[0]}]}";

  /** POST and wait, in milliseconds; the graph is forgotten after (not timed). */
  static double[] twoRequests(TasklaneClient client, GraphSpec graph) {
    long t0 = System.nanoTime();
    String id = client.submit(graph);
    long t1 = System.nanoTime();
    GraphStatus s = client.awaitDone(id, Duration.ofMinutes(1));
    long t2 = System.nanoTime();
    check(s);
    client.forget(id);
    return new double[] {(t1 - t0) / 1e6, (t2 - t1) / 1e6};
  }

  /** One POST that waits for done, in milliseconds; the graph is forgotten after (not timed). */
  static double oneRequest(TasklaneClient client, GraphSpec graph) {
    long t0 = System.nanoTime();
    GraphStatus s = client.submitAndWait(graph, Duration.ofMinutes(1));
    long t1 = System.nanoTime();
    check(s);
    client.forget(s.id());
    return (t1 - t0) / 1e6;
  }

  private static void check(GraphStatus s) {
    if (!"done".equals(s.state()) || s.erred() > 0) throw new IllegalStateException("graph did not finish cleanly: " + s);
  }

  /** The p-th percentile (nearest rank). */
  static double pct(List<Double> xs, int p) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }
}

/**
 * HTTP/1.1 on one keep-alive socket, written and read by the calling thread: {@code POST
 * /api/v1/graphs?wait=60} and its answer (Content-Length bodies only, which is what the scheduler
 * sends for it). A measuring tool for {@link RoundTrip}, not a client.
 */
class RawHttp implements AutoCloseable {
  private final java.net.Socket socket;
  private final InputStream in;
  private final java.io.OutputStream out;
  private final String host;

  RawHttp(URI base) throws IOException {
    host = base.getHost() + ":" + base.getPort();
    socket = new java.net.Socket(base.getHost(), base.getPort());
    socket.setTcpNoDelay(true);
    in = new java.io.BufferedInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  /** Submits the graph, waits for its answer; the graph's id. */
  String submitAndWait(String graphJson) throws IOException {
    byte[] body = graphJson.getBytes(StandardCharsets.UTF_8);
    byte[] head = ("POST /api/v1/graphs?wait=60 HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
        + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
    byte[] request = java.util.Arrays.copyOf(head, head.length + body.length);
    System.arraycopy(body, 0, request, head.length, body.length);
    out.write(request);
    out.flush();
    String status = line();
    int length = -1;
    for (String h = line(); !h.isEmpty(); h = line()) {
      if (h.regionMatches(true, 0, "content-length:", 0, 15)) {
        length = Integer.parseInt(h.substring(15).trim());
      }
    }
    if (length < 0) throw new IOException("an answer without Content-Length: " + status);
    JsonNode answer = new ObjectMapper().readTree(in.readNBytes(length));
    JsonNode graph = answer.path("status");
    if (!status.contains(" 201 ") || !"done".equals(graph.path("state").asText()) || graph.path("erred").asInt() != 0) {
      throw new IOException("the graph did not finish cleanly: " + status + " " + answer);
    }
    return answer.get("id").asText();
  }

  private String line() throws IOException {
    StringBuilder b = new StringBuilder();
    for (int c = in.read(); c != '\n'; c = in.read()) {
      if (c < 0) throw new java.io.EOFException("the scheduler closed the connection");
      if (c != '\r') b.append((char) c);
    }
    return b.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}

/**
 * The typed path of bench/throughput: {@code Tasklane.map} of a user function that lives in a jar
 * the workers have never seen (compiled here, shipped by the client), against the same count of
 * built-in {@code inc} tasks; and the first-use cost of shipping a 5 MB jar to two workers.
 */
class TypedPath {
  static final String SOURCE = """
      package benchuser;
      import org.tasklane.client.Fn1;
      public final class UserInc {
        public static long inc(long x) { return x + 1; }
        public static Fn1<Long, Long> fn() { return UserInc::inc; }
      }
      """;

  static void report(String api, int n, int runs, Path logs) throws Exception {
    Path small = jar(logs.resolve("user-inc.jar"), 0);
    Path big = jar(logs.resolve("user-inc-5mb.jar"), 5 << 20);
    try (org.tasklane.client.Tasklane tl = org.tasklane.client.Tasklane.connect(api)) {
      org.tasklane.client.Fn1<Long, Long> fn = load(small);
      List<Long> inputs = new ArrayList<>(n);
      for (long i = 0; i < n; i++) inputs.add(i);
      timeMap(tl, fn, inputs); // warm-up, and the first (small) upload
      List<Double> rates = new ArrayList<>();
      for (int r = 0; r < runs; r++) rates.add(n / timeMap(tl, fn, inputs));
      Collections.sort(rates);
      System.out.printf(Locale.ROOT, "%-16s %7d tasks: median %,10.0f tasks/s  (runs: %s)%n", "typed map (jar)", n,
          rates.get(rates.size() / 2), rates.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList());

      org.tasklane.client.Fn1<Long, Long> bigFn = load(big);
      List<Long> two = List.of(1L, 2L);
      double first = timeMap(tl, bigFn, two);
      double again = timeMap(tl, bigFn, two);
      System.out.printf(Locale.ROOT, "5 MB jar, 2 tasks: first use %.0f ms (upload, fetch by the workers, load), "
          + "then %.0f ms%n", first * 1000, again * 1000);
    }
  }

  static double timeMap(org.tasklane.client.Tasklane tl, org.tasklane.client.Fn1<Long, Long> fn, List<Long> inputs)
      throws Exception {
    long t0 = System.nanoTime();
    var futures = tl.map(fn, inputs);
    for (var f : futures) f.get(10, TimeUnit.MINUTES);
    return (System.nanoTime() - t0) / 1e9;
  }

  @SuppressWarnings("unchecked")
  static org.tasklane.client.Fn1<Long, Long> load(Path jar) throws Exception {
    var loader = new java.net.URLClassLoader(new java.net.URL[] {jar.toUri().toURL()}, Bench.class.getClassLoader());
    return (org.tasklane.client.Fn1<Long, Long>) loader.loadClass("benchuser.UserInc").getMethod("fn").invoke(null);
  }

  /** Compiles UserInc into a jar, with {@code padding} bytes of random data beside it. */
  static Path jar(Path out, int padding) throws Exception {
    Path src = Files.createTempDirectory("bench-src");
    Files.createDirectories(src.resolve("benchuser"));
    Files.writeString(src.resolve("benchuser/UserInc.java"), SOURCE);
    var javac = javax.tools.ToolProvider.getSystemJavaCompiler();
    int rc = javac.run(null, null, null, "-cp", System.getProperty("java.class.path"), "-d", src.toString(),
        src.resolve("benchuser/UserInc.java").toString());
    if (rc != 0) throw new IllegalStateException("javac failed");
    try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(out))) {
      for (String name : List.of("benchuser/UserInc.class")) {
        zip.putNextEntry(new java.util.zip.ZipEntry(name));
        zip.write(Files.readAllBytes(src.resolve(name)));
        zip.closeEntry();
      }
      if (padding > 0) {
        byte[] noise = new byte[padding];
        new java.util.Random(1).nextBytes(noise);
        zip.putNextEntry(new java.util.zip.ZipEntry("benchuser/padding.bin"));
        zip.write(noise);
        zip.closeEntry();
      }
    }
    return out;
  }
}

/**
 * bench/dashboard: what the dashboard costs and how fresh it is. A scheduler (no embedded
 * dashboard) and two 1-thread workers, plus a dashboard node, each its own JVM on loopback. Prints:
 * the latency from a task finishing on a worker to its progress event (and its task-stream event)
 * reaching an SSE client, p50 and p99; the scheduler's tasks per second on 50,000 independent tasks
 * with no dashboard, then with a dashboard node and 100 connected SSE clients; the dashboard JVM's
 * heap after every 200,000 of 1,000,000 tasks.
 *
 * Then the run history: the size of the one-file run report and of the trace of inc runs of
 * 10,000 and 100,000 tasks, fetched from the dashboard node's run history; the scheduler's tasks
 * per second with the dashboard node recording its history and without (--no-history), and the
 * history's bytes per task; the time to open the tasks page of a 1,000,000-task run (its whole-run
 * window) and to seek to its middle (the state at that time), over HTTP from the dashboard node.
 *
 * Run: bench/dashboard [--clients 100] [--tasks 1000000] [--latency-samples 200] [--history-only]
 * ({@code --history-only}: the run-history figures alone, with a dashboard node and no SSE clients)
 */
class DashboardBench {
  static final ObjectMapper JSON = new ObjectMapper();
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  public static void main(String[] args) throws Exception {
    int clients = 100;
    int total = 1_000_000;
    int samples = 200;
    boolean historyOnly = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--clients" -> clients = Integer.parseInt(args[++i]);
        case "--tasks" -> total = Integer.parseInt(args[++i]);
        case "--latency-samples" -> samples = Integer.parseInt(args[++i]);
        case "--history-only" -> historyOnly = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    Path logs = Files.createTempDirectory("tasklane-bench-dashboard");
    Path history = logs.resolve("history");
    int dashPort = Cluster.freePort();
    List<Process> procs = new ArrayList<>();
    Process dashboard = null;
    try {
      Cluster.Local local = Cluster.startLocal(home, logs, procs, 2, "--no-dashboard");
      TasklaneClient client = local.client();
      int port = local.port();

      Supplier<GraphSpec> inc = () -> DemoGraphs.independent(50_000);
      Cluster.run(client, inc.get()); // warm-up
      if (historyOnly) {
        dashboard = startDashboard(home, logs, port, dashPort, history, true);
        HistoryBench.run(client, "http://127.0.0.1:" + dashPort + "/", inc,
            () -> startDashboard(home, logs, port, dashPort, history, false), procs, dashboard);
        return;
      }
      // 1. throughput without any dashboard
      Map<String, Long> pids = new java.util.LinkedHashMap<>();
      pids.put("scheduler", procs.get(0).pid());
      pids.put("worker-1", procs.get(1).pid());
      pids.put("worker-2", procs.get(2).pid());
      pids.put("bench", ProcessHandle.current().pid());
      Map<String, Long> cpu0 = cpuMillis(pids);
      double without = medianRate(client, inc, 3);
      Map<String, Long> cpuWithout = delta(cpu0, cpuMillis(pids));

      // 2. a dashboard node and its SSE clients
      dashboard = startDashboard(home, logs, port, dashPort, history, true);
      String events = "http://127.0.0.1:" + dashPort + "/events";
      // one client parses what it gets (for the latencies); the others only read, as a browser
      // on another machine would cost this machine nothing but the sending
      List<SseClient> readers = new ArrayList<>();
      for (int i = 0; i < clients; i++) {
        readers.add(SseClient.open(events, i == 0));
      }
      Cluster.waitFor(() -> readers.stream().allMatch(r -> r.events.get() > 0));
      Cluster.run(client, inc.get()); // the dashboard catches up with a burst too
      pids.put("dashboard", dashboard.pid());
      Map<String, Long> cpu1 = cpuMillis(pids);
      double with = medianRate(client, inc, 3);
      Map<String, Long> cpuWith = delta(cpu1, cpuMillis(pids));
      System.out.printf(Locale.ROOT, "scheduler throughput, 50,000 independent tasks (median of 3):%n");
      System.out.printf(Locale.ROOT, "  no dashboard                         %,10.0f tasks/s%n", without);
      System.out.printf(Locale.ROOT, "  dashboard node + %3d SSE clients      %,10.0f tasks/s  (%+.1f%%)%n", clients, with,
          (with - without) * 100 / without);
      System.out.printf(Locale.ROOT, "  CPU seconds per process over the 3 runs, without / with: %s / %s%n",
          cpuWithout, cpuWith);
      long behind = readers.stream().filter(r -> r.closed).count();
      System.out.printf(Locale.ROOT, "  SSE clients dropped meanwhile: %d of %d%n", behind, clients);

      // 3. latency: one task at a time, each in a group of its own
      SseClient probe = readers.get(0);
      List<Double> progressMs = new ArrayList<>();
      List<Double> taskMs = new ArrayList<>();
      for (int i = 0; i < samples; i++) {
        String group = "lat-" + i;
        GraphSpec one = new GraphSpec("latency", List.of(new TaskSpec(group + "-x", "inc", List.of(NODES.numberNode(i)), group)), null);
        String id = client.submit(one);
        client.awaitDone(id, Duration.ofSeconds(30));
        Cluster.waitFor(() -> probe.taskStop.containsKey(group + "-x") && probe.progressSeen.containsKey(group));
        double stopMs = probe.taskStop.get(group + "-x");
        progressMs.add(probe.progressSeen.get(group) - stopMs);
        taskMs.add(probe.taskSeen.get(group + "-x") - stopMs);
        client.forget(id);
      }
      System.out.printf(Locale.ROOT, "task finished on a worker -> event at an SSE client (%d tasks, %d clients connected):%n",
          samples, clients);
      System.out.printf(Locale.ROOT, "  progress event   p50 %6.1f ms   p99 %6.1f ms%n", pct(progressMs, 50), pct(progressMs, 99));
      System.out.printf(Locale.ROOT, "  task-stream event p50 %6.1f ms   p99 %6.1f ms%n", pct(taskMs, 50), pct(taskMs, 99));

      // 4. the dashboard's heap while 1,000,000 tasks go by
      System.out.printf(Locale.ROOT, "dashboard heap (used after a full GC) while %,d tasks run:%n", total);
      System.out.printf(Locale.ROOT, "  %,9d tasks: %s%n", 0, heapUsed(dashboard.pid()));
      int done = 0;
      int step = Math.max(50_000, total / 5);
      while (done < total) {
        int batch = Math.min(step, total - done);
        for (int d = 0; d < batch; d += 50_000) {
          Cluster.run(client, DemoGraphs.independent(Math.min(50_000, batch - d)));
        }
        done += batch;
        System.out.printf(Locale.ROOT, "  %,9d tasks: %s%n", done, heapUsed(dashboard.pid()));
      }
      // 5. the one-file report (and the trace) of inc runs, from the dashboard node's run history
      System.out.println("run report of an inc graph (runs/ID/report.html, runs/ID/trace.json):");
      for (int n : new int[] {10_000, 100_000}) {
        String id = client.submit(DemoGraphs.independent(n));
        client.awaitDone(id, Duration.ofMinutes(10));
        RunReportSize.print("http://127.0.0.1:" + dashPort + "/", id, n);
      }
      readers.forEach(SseClient::close);
      Process recording = dashboard;
      procs.add(recording);
      dashboard = null;
      HistoryBench.run(client, "http://127.0.0.1:" + dashPort + "/", inc,
          () -> startDashboard(home, logs, port, dashPort, history, false), procs, recording);
    } finally {
      if (dashboard != null) procs.add(dashboard);
      for (Process p : procs) p.destroy();
      for (Process p : procs) if (!p.waitFor(15, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  /** The size of a recorded run's report and trace, fetched as a browser would. */
  static final class RunReportSize {
    static void print(String dashboard, String graphId, int tasks) throws Exception {
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      String[] runId = {null};
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
      while (runId[0] == null && System.nanoTime() < deadline) {
        for (JsonNode r : json.readTree(get(dashboard + "api/v1/runs.json"))) {
          if (graphId.equals(r.path("graphId").asText()) && !"running".equals(r.path("state").asText())) {
            runId[0] = r.path("id").asText();
          }
        }
        if (runId[0] == null) {
          Thread.sleep(200);
        }
      }
      if (runId[0] == null) {
        System.out.printf(Locale.ROOT, "  %,9d tasks: the dashboard did not record the run%n", tasks);
        return;
      }
      long[] bytes = new long[2];
      long[] millis = new long[2];
      String[] paths = {"report.html", "trace.json"};
      for (int i = 0; i < 2; i++) {
        long t = System.nanoTime();
        HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(dashboard + "runs/" + runId[0] + "/" + paths[i]))
            .build(), HttpResponse.BodyHandlers.ofByteArray());
        millis[i] = (System.nanoTime() - t) / 1_000_000;
        bytes[i] = r.statusCode() == 200 ? r.body().length : -r.statusCode();
      }
      System.out.printf(Locale.ROOT, "  %,9d tasks: report %,11d bytes (%.1f per task, %,d ms)   trace %,11d bytes (%.1f per task, %,d ms)%n",
          tasks, bytes[0], bytes[0] / (double) tasks, millis[0], bytes[1], bytes[1] / (double) tasks, millis[1]);
    }
  }

  /** One browser-like SSE reader: counts events and remembers when it saw what. */
  static final class SseClient implements Runnable {
    final AtomicLong events = new AtomicLong();
    final Map<String, Double> taskStop = new ConcurrentHashMap<>();
    final Map<String, Double> taskSeen = new ConcurrentHashMap<>();
    final Map<String, Double> progressSeen = new ConcurrentHashMap<>();
    volatile boolean closed;
    private final InputStream in;
    private final boolean parse;

    private SseClient(InputStream in, boolean parse) {
      this.in = in;
      this.parse = parse;
    }

    static SseClient open(String url, boolean parse) throws Exception {
      HttpResponse<InputStream> r = HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
          HttpResponse.BodyHandlers.ofInputStream());
      SseClient c = new SseClient(r.body(), parse);
      Thread t = new Thread(c, "sse-reader");
      t.setDaemon(true);
      t.start();
      return c;
    }

    @Override
    public void run() {
      if (!parse) {
        // a browser elsewhere: take the bytes as they come and count events, nothing more
        byte[] buf = new byte[64 * 1024];
        try {
          for (int n; (n = in.read(buf)) >= 0; ) {
            for (int i = 0; i < n; i++) {
              if (buf[i] == 'e' && i + 6 < n && buf[i + 5] == ':' && buf[i + 1] == 'v') {
                events.incrementAndGet(); // "event:"
              }
            }
          }
        } catch (IOException e) {
          // closed
        }
        closed = true;
        return;
      }
      try (BufferedReader br = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
        String event = null;
        for (String line; (line = br.readLine()) != null; ) {
          if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            double now = System.currentTimeMillis();
            events.incrementAndGet();
            if (parse && ("progress".equals(event) || "tasks".equals(event))) {
              JsonNode data = JSON.readTree(line.substring(6));
              if ("progress".equals(event)) {
                for (JsonNode g : data.get("groups")) {
                  if (g.get("memory").asInt() + g.get("released").asInt() > 0) {
                    progressSeen.putIfAbsent(g.get("name").asText(), now);
                  }
                }
              } else {
                for (JsonNode t : data.get("tasks")) {
                  taskStop.putIfAbsent(t.get("key").asText(), t.get("stop").asDouble());
                  taskSeen.putIfAbsent(t.get("key").asText(), now);
                }
              }
            }
          }
        }
      } catch (IOException e) {
        // closed
      }
      closed = true;
    }

    void close() {
      try {
        in.close();
      } catch (IOException e) {
        // closing anyway
      }
    }
  }

  /** A dashboard node on loopback, up and answering; recording its run history in {@code history} or not. */
  static Process startDashboard(String home, Path logs, int port, int dashPort, Path history, boolean record)
      throws Exception {
    List<String> args = new ArrayList<>(List.of("dashboard", "--scheduler", "127.0.0.1:" + port, "--host", "127.0.0.1",
        "--dashboard-port", "" + dashPort, "--dashboard-address", "127.0.0.1"));
    args.addAll(record ? List.of("--history-dir", history.toString()) : List.of("--no-history"));
    Process p = Cluster.start(home, logs, record ? "dashboard" : "dashboard-no-history", args.toArray(String[]::new));
    Cluster.waitFor(() -> get("http://127.0.0.1:" + dashPort + "/health").equals("ok"));
    return p;
  }

  static double medianRate(TasklaneClient client, Supplier<GraphSpec> graph, int runs) {
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      GraphSpec g = graph.get();
      rates.add(g.tasks().size() / Cluster.run(client, g));
    }
    Collections.sort(rates);
    return rates.get(rates.size() / 2);
  }


  /** User + system CPU of each process so far, in milliseconds (from /proc, clock ticks of 10 ms). */
  static Map<String, Long> cpuMillis(Map<String, Long> pids) throws IOException {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, Long> e : pids.entrySet()) {
      String stat = Files.readString(Path.of("/proc/" + e.getValue() + "/stat"));
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      out.put(e.getKey(), (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10);
    }
    return out;
  }

  static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    after.forEach((k, v) -> out.put(k, (v - before.getOrDefault(k, 0L)) / 1000));
    return out;
  }

  static double pct(List<Double> xs, int p) {
    List<Double> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(Math.min(s.size() - 1, (int) Math.ceil(p / 100.0 * s.size()) - 1));
  }

  static String heapUsed(long pid) throws Exception {
    exec("jcmd", "" + pid, "GC.run");
    String info = exec("jcmd", "" + pid, "GC.heap_info");
    for (String line : info.split("\n")) {
      if (line.contains("used")) {
        var m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(line);
        if (m.find()) {
          return String.format(Locale.ROOT, "%.1f MiB", Long.parseLong(m.group(1)) / 1024.0);
        }
      }
    }
    return "unknown";
  }

  static String exec(String... cmd) throws Exception {
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  static String get(String url) {
    try {
      return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
          HttpResponse.BodyHandlers.ofString()).body().trim();
    } catch (Exception e) {
      return "";
    }
  }



}

/**
 * The run-history part of bench/dashboard: throughput with the dashboard node recording and not,
 * bytes per recorded task, and opening and seeking a 1,000,000-task run.
 */
class HistoryBench {
  interface Restart {
    Process start() throws Exception;
  }

  /** {@code recording}: the dashboard node, recording; it is stopped here and one without history started. */
  static void run(TasklaneClient client, String dashboard, Supplier<GraphSpec> inc, Restart withoutHistory,
      List<Process> procs, Process recording) throws Exception {
    ObjectMapper json = new ObjectMapper();
    // CPU time as well as tasks/s: on a 2-core machine shared with other work the rates are noisy
    Map<String, Long> pids = new java.util.LinkedHashMap<>();
    pids.put("scheduler", procs.get(0).pid());
    pids.put("dashboard", recording.pid());
    Map<String, Long> cpu0 = cpuMicros(pids);
    double with = DashboardBench.medianRate(client, inc, 3);
    Map<String, Long> cpuWith = cpuMicros(pids);

    // a 1,000,000-task run, recorded whole, opened and sought as the tasks and status pages do
    int million = 1_000_000;
    String big = client.submit(DemoGraphs.independent(million));
    client.awaitDone(big, Duration.ofMinutes(20));
    JsonNode run = null;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (run == null && System.nanoTime() < deadline) {
      for (JsonNode r : json.readTree(DashboardBench.get(dashboard + "api/v1/runs.json"))) {
        if (big.equals(r.path("graphId").asText()) && !"running".equals(r.path("state").asText())) {
          run = r;
        }
      }
      if (run == null) {
        Thread.sleep(200);
      }
    }
    client.forget(big);
    long bytes = 0;
    long tasks = 0;
    for (JsonNode r : json.readTree(DashboardBench.get(dashboard + "api/v1/runs.json"))) {
      bytes += r.path("bytes").asLong();
      tasks += r.path("recordedTasks").asLong();
    }
    System.out.printf(Locale.ROOT, "run history: %,d bytes for %,d recorded tasks of %d runs: %.1f bytes per task%n",
        bytes, tasks, json.readTree(DashboardBench.get(dashboard + "api/v1/runs.json")).size(), bytes / (double) Math.max(1, tasks));
    if (run == null) {
      System.out.println("  the 1,000,000-task run was not recorded in 2 min");
    } else {
      String base = dashboard + "runs/" + run.path("id").asText() + "/";
      System.out.printf(Locale.ROOT, "  the 1,000,000-task run: %,d tasks recorded, %s, file %,d bytes%n",
          run.path("recordedTasks").asLong(), run.path("partial").asBoolean() ? "partial: " + run.path("partialReason").asText()
              : "complete", run.path("bytes").asLong());
      long from = run.path("submittedMillis").asLong();
      long to = run.path("finishedMillis").asLong();
      for (int round = 1; round <= 3; round++) { // the first pays the JIT's warm-up
        long t = System.nanoTime();
        String window = DashboardBench.get(base + "api/v1/tasks.json?from=" + from * 1000 + "&to=" + to * 1000 + "&width=1200");
        long windowMs = (System.nanoTime() - t) / 1_000_000;
        t = System.nanoTime();
        String middle = DashboardBench.get(base + "api/v1/status.json?t=" + (from + to) / 2);
        long seekMs = (System.nanoTime() - t) / 1_000_000;
        System.out.printf(Locale.ROOT, "  round %d: the tasks page's whole-run window (%s, %,d bytes) %,d ms; the state at the "
            + "middle (status.json?t=, %,d bytes) %,d ms%n", round, json.readTree(window).path("detail").asText("?"),
            window.length(), windowMs, middle.length(), seekMs);
      }
    }

    recording.destroy();
    recording.waitFor(30, TimeUnit.SECONDS);
    Process plain = withoutHistory.start();
    procs.add(plain);
    Cluster.run(client, inc.get()); // the new dashboard's snapshot and JIT
    pids.put("dashboard", plain.pid());
    Map<String, Long> cpu1 = cpuMicros(pids);
    double without = DashboardBench.medianRate(client, inc, 3);
    Map<String, Long> cpuWithout = cpuMicros(pids);
    System.out.printf(Locale.ROOT, "scheduler throughput with a dashboard node, 50,000 independent tasks (median of 3):%n");
    System.out.printf(Locale.ROOT, "  recording its run history   %,10.0f tasks/s%n", with);
    System.out.printf(Locale.ROOT, "  --no-history                %,10.0f tasks/s  (history costs %+.1f%%)%n", without,
        (without - with) * 100 / without);
    for (String p : pids.keySet()) {
      System.out.printf(Locale.ROOT, "  %s CPU per task: recording %.1f us, --no-history %.1f us%n", p,
          (cpuWith.get(p) - cpu0.get(p)) / 150_000.0, (cpuWithout.get(p) - cpu1.get(p)) / 150_000.0);
    }
  }

  /** User + system CPU of each process so far, in microseconds (from /proc, clock ticks of 10 ms). */
  static Map<String, Long> cpuMicros(Map<String, Long> pids) throws IOException {
    Map<String, Long> out = new java.util.LinkedHashMap<>();
    DashboardBench.cpuMillis(pids).forEach((k, v) -> out.put(k, v * 1000));
    return out;
  }
}

/**
 * bench/sampling: the CPU a worker spends on its host metrics (OSHI: process CPU and memory, the
 * host's network and disk counters), per sample and as a share of one core at the worker's rate
 * of two samples a second. Target: under 1% of a core.
 *
 * Run: bench/sampling [--samples 400]
 */
class SamplingBench {
  public static void main(String[] args) {
    int samples = args.length == 2 && args[0].equals("--samples") ? Integer.parseInt(args[1]) : 400;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (HostSampler sampler = new HostSampler(0)) {
      for (int i = 0; i < 50; i++) {
        sampler.sample(); // warm-up: class loading, JIT, OSHI's caches
      }
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      HostSample last = null;
      for (int i = 0; i < samples; i++) {
        last = sampler.sample();
      }
      double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / samples;
      double wallMs = (System.nanoTime() - wall0) / 1e6 / samples;
      System.out.printf(Locale.ROOT, "host metrics sampling, %d samples:%n", samples);
      System.out.printf(Locale.ROOT, "  CPU per sample   %.3f ms (wall %.3f ms)%n", cpuMs, wallMs);
      System.out.printf(Locale.ROOT, "  at 2 samples/s   %.3f%% of one core%n", cpuMs * 2 / 1000 * 100);
      System.out.printf(Locale.ROOT, "  last sample      %s%n", last);
    }
  }
}

/**
 * bench/throughput --profile-only: what the profiler costs. A scheduler (with its dashboard) and two
 * workers of one thread each, started with profiling off and on in turn (off, on, off, on, ... so that
 * a change in the machine's load shows as a difference between rounds of the same mode); each round
 * prints the median throughput of {@code --runs} graphs of {@code --independent} inc tasks after a
 * warm-up, and the worker JVMs' CPU per task (all their threads: what other load on the machine moves
 * less than the rate). Then, with profiling on, two workers of 1 and of 4 threads (2 and 8 task threads in all)
 * run inc graphs and tree sums back to back for {@code --seconds}, and it prints the bytes per second
 * the workers' profile messages took on the wire to the dashboard (their CBOR size, as the dashboard
 * counts them: api/v1/profile.json's receivedBytes). Each round also splits the workers' CPU per task
 * into the profiler's own threads, the JIT compilers and the rest: the JIT still compiles minutes after
 * the start, more with profiling on (Flight Recorder's parser), and that one-off would otherwise pass
 * for a cost per task. See docs/profiling.md.
 *
 * Run: bench/throughput --profile-only [--independent N] [--runs N] [--rounds N] [--seconds N] [--warmup-seconds N]
 */
class ProfileCost {
  static final ObjectMapper JSON = new ObjectMapper();

  public static void main(String[] args) throws Exception {
    int independent = 50_000;
    int runs = 3;
    int rounds = 2;
    int seconds = 30;
    int warmupSeconds = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--independent" -> independent = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    int port = Cluster.freePort();
    int apiPort = Cluster.freePort();
    int dashboardPort = Cluster.freePort();
    Path logs = Files.createTempDirectory("tasklane-bench-profile");
    Process scheduler = Cluster.start(home, logs, "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "" + port,
        "--api-port", "" + apiPort, "--dashboard-port", "" + dashboardPort, "--dashboard-address", "127.0.0.1",
        "--history-dir", logs.resolve("history").toString());
    try {
      TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
      Cluster.waitFor(() -> { try { client.graphs(); return true; } catch (RuntimeException e) { return false; } });
      System.out.println("profiling's cost: scheduler + 2 workers x 1 thread, logs in " + logs);
      final int n = independent;
      Map<Boolean, List<Double>> medians = new java.util.TreeMap<>();
      Map<Boolean, List<Double>> cpuMedians = new java.util.TreeMap<>();
      Map<Boolean, List<Double>> steadyMedians = new java.util.TreeMap<>();
      for (int r = 1; r <= rounds; r++) {
        for (boolean on : List.of(false, true)) {
          List<Process> workers = startWorkers(home, logs, port, 1, on, client, "r" + r);
          try {
            // warm-up: the workers' JIT, and with profiling on, Flight Recorder's own start and its parser's JIT
            long warmEnd = System.nanoTime() + warmupSeconds * 1_000_000_000L;
            do {
              Cluster.run(client, DemoGraphs.independent(n));
            } while (System.nanoTime() < warmEnd);
            List<Double> rates = new ArrayList<>();
            List<Double> cpu = new ArrayList<>();
            Map<String, Long> threads0 = threadCpuTicks(workers);
            for (int i = 0; i < runs; i++) {
              long cpu0 = workersCpuNanos(workers);
              rates.add(n / Cluster.run(client, DemoGraphs.independent(n)));
              cpu.add((workersCpuNanos(workers) - cpu0) / 1e3 / n);
            }
            Map<String, Long> threads1 = threadCpuTicks(workers);
            Collections.sort(rates);
            Collections.sort(cpu);
            double median = rates.get(rates.size() / 2);
            medians.computeIfAbsent(on, k -> new ArrayList<>()).add(median);
            cpuMedians.computeIfAbsent(on, k -> new ArrayList<>()).add(cpu.get(cpu.size() / 2));
            System.out.printf(Locale.ROOT, "  round %d, profiling %-3s: median %,8.0f tasks/s  (runs: %s); workers' CPU per "
                + "task: median %.1f us (runs: %s)%n", r, on ? "on" : "off", median,
                rates.stream().map(x -> String.format(Locale.ROOT, "%,.0f", x)).toList(), cpu.get(cpu.size() / 2),
                cpu.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList());
            printProfilerThreads(threads0, threads1);
            steadyMedians.computeIfAbsent(on, k -> new ArrayList<>()).add(printCpuSplit(threads0, threads1, (long) runs * n));
          } finally {
            stop(workers);
          }
        }
      }
      double off = medianOf(medians.get(false));
      double on = medianOf(medians.get(true));
      System.out.printf(Locale.ROOT, "independent inc, %d tasks: profiling off %,.0f tasks/s, on %,.0f tasks/s: %+.1f %%%n",
          n, off, on, (on - off) / off * 100);
      double cpuOff = medianOf(cpuMedians.get(false));
      double cpuOn = medianOf(cpuMedians.get(true));
      System.out.printf(Locale.ROOT, "workers' CPU per task (both JVMs, all threads): off %.1f us, on %.1f us: %+.1f %%%n",
          cpuOff, cpuOn, (cpuOn - cpuOff) / cpuOff * 100);
      double steadyOff = medianOf(steadyMedians.get(false));
      double steadyOn = medianOf(steadyMedians.get(true));
      System.out.printf(Locale.ROOT, "workers' CPU per task without the JIT compilers' (rounds' medians): off %.2f us, on %.2f us: %+.1f %%%n",
          steadyOff, steadyOn, (steadyOn - steadyOff) / steadyOff * 100);

      for (int threads : List.of(1, 4)) {
        List<Process> workers = startWorkers(home, logs, port, threads, true, client, "wire" + threads);
        try {
          Cluster.run(client, DemoGraphs.independent(n)); // warm-up
          String profile = "http://127.0.0.1:" + dashboardPort + "/api/v1/profile.json?minutes=1";
          JsonNode a = getJson(profile);
          long t0 = System.nanoTime();
          long deadline = t0 + seconds * 1_000_000_000L;
          long tasks = 0;
          while (System.nanoTime() < deadline) {
            Cluster.run(client, DemoGraphs.independent(n / 5));
            Cluster.run(client, DemoGraphs.tree(1000));
            tasks += n / 5 + DemoGraphs.tree(1000).tasks().size();
          }
          JsonNode b = getJson(profile);
          double secs = (System.nanoTime() - t0) / 1e9;
          long bytes = b.get("receivedBytes").asLong() - a.get("receivedBytes").asLong();
          long messages = b.get("receivedMessages").asLong() - a.get("receivedMessages").asLong();
          System.out.printf(Locale.ROOT, "profiles on the wire, 2 workers x %d threads (%d task threads), %.0f s, "
              + "%,.0f tasks/s: %,.0f bytes/s (%.2f messages/s, %,.0f bytes each on average)%n", threads, 2 * threads,
              secs, tasks / secs, bytes / secs, messages / secs, messages == 0 ? 0.0 : (double) bytes / messages);
        } finally {
          stop(workers);
        }
      }
    } finally {
      scheduler.destroy();
      if (!scheduler.waitFor(30, TimeUnit.SECONDS)) scheduler.destroyForcibly();
    }
  }

  static List<Process> startWorkers(String home, Path logs, int port, int threads, boolean profile,
      TasklaneClient client, String tag) throws Exception {
    List<Process> workers = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      List<String> args = new ArrayList<>(List.of("worker", "--scheduler", "127.0.0.1:" + port, "--host", "127.0.0.1",
          "--nthreads", "" + threads, "--name", tag + "-worker-" + i, "--no-nanny", "--join-timeout", "5m"));
      if (!profile) {
        args.add("--no-profile");
      }
      workers.add(Cluster.start(home, logs, tag + "-worker-" + i, args.toArray(new String[0])));
    }
    Cluster.waitFor(() -> { // the new two, and the last round's gone
      try {
        JsonNode listed = client.workers();
        int ours = 0;
        for (JsonNode w : listed) {
          ours += w.get("name").asText().startsWith(tag + "-") ? 1 : 0;
        }
        return listed.size() == 2 && ours == 2;
      } catch (RuntimeException e) {
        return false;
      }
    });
    return workers;
  }

  /** The profiling machinery's threads: Flight Recorder's own, and the stream's ("profiler"). */
  static boolean profilerThread(String name) {
    return name.startsWith("JFR ") || name.equals("profiler");
  }

  /** CPU clock ticks (user + system) of the workers' threads, summed by thread name (at most 15 characters, as Linux keeps them). */
  static Map<String, Long> threadCpuTicks(List<Process> workers) throws IOException {
    Map<String, Long> byName = new java.util.TreeMap<>();
    for (Process p : workers) {
      try (var tasks = Files.list(Path.of("/proc/" + p.pid() + "/task"))) {
        for (Path task : (Iterable<Path>) tasks::iterator) {
          String stat;
          try {
            stat = Files.readString(task.resolve("stat"));
          } catch (IOException gone) {
            continue; // the thread ended meanwhile
          }
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
          String[] rest = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          long ticks = Long.parseLong(rest[11]) + Long.parseLong(rest[12]); // utime, stime
          byName.merge(name.replaceAll("[0-9]+$", "#"), ticks, Long::sum);
        }
      }
    }
    return byName;
  }

  /** What the profiling threads took of the workers' CPU between two readings, and the busiest threads. */
  static void printProfilerThreads(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> delta = new java.util.TreeMap<>();
    after.forEach((name, t) -> delta.put(name, t - before.getOrDefault(name, 0L)));
    long all = delta.values().stream().mapToLong(Long::longValue).sum();
    long profiling = delta.entrySet().stream().filter(e -> profilerThread(e.getKey())).mapToLong(Map.Entry::getValue).sum();
    System.out.printf(Locale.ROOT, "    workers' threads: profiling's own (JFR*, profiler) %.1f %% of the workers' CPU; busiest: %s%n",
        all == 0 ? 0.0 : profiling * 100.0 / all,
        delta.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
            .map(e -> String.format(Locale.ROOT, "%s %.1f%%", e.getKey(), all == 0 ? 0.0 : e.getValue() * 100.0 / all)).toList());
  }

  /** JIT compiler threads: the profiler's JFR parser is compiled in the first minute or so (a one-off). */
  static boolean jitThread(String name) {
    return name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre") || name.startsWith("Sweeper");
  }

  /**
   * The workers' CPU per task in three parts: the profiler's own threads, the JIT compilers (which
   * still compile in the first minutes, with the profiler's parser more), and the rest (the task and
   * actor threads, GC, ...), from /proc's per-thread ticks (10 ms each: use long rounds).
   */
  static double printCpuSplit(Map<String, Long> before, Map<String, Long> after, long tasks) {
    long profiling = 0, jit = 0, rest = 0;
    for (Map.Entry<String, Long> e : after.entrySet()) {
      long d = e.getValue() - before.getOrDefault(e.getKey(), 0L);
      if (profilerThread(e.getKey())) profiling += d;
      else if (jitThread(e.getKey())) jit += d;
      else rest += d;
    }
    double usPerTick = 1e6 / 100; // USER_HZ is 100 on Linux
    System.out.printf(Locale.ROOT, "    workers' CPU per task: profiler's threads %.2f us, JIT compilers %.2f us, the rest %.2f us%n",
        profiling * usPerTick / tasks, jit * usPerTick / tasks, rest * usPerTick / tasks);
    return (profiling + rest) * usPerTick / tasks;
  }

  static long workersCpuNanos(List<Process> workers) {
    long sum = 0;
    for (Process p : workers) {
      sum += Throughput.cpuNanos(p.toHandle());
    }
    return sum;
  }

  static void stop(List<Process> workers) throws InterruptedException {
    for (Process p : workers) p.destroy();
    for (Process p : workers) if (!p.waitFor(60, TimeUnit.SECONDS)) p.destroyForcibly();
  }

  static double medianOf(List<Double> xs) {
    List<Double> sorted = new ArrayList<>(xs);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }

  static JsonNode getJson(String url) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
        HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) throw new IllegalStateException(url + ": HTTP " + r.statusCode() + " " + r.body());
    return JSON.readTree(r.body());
  }
}

/**
 * bench/throughput --held-only: the scheduler's memory per task it holds. A scheduler alone (no
 * workers, no embedded dashboard), so that every task of a submitted graph stays in its table; the
 * live heap (a full GC's class histogram, by {@code jcmd}) before and after a graph of {@code --tasks}
 * independent tasks, then a tree of as many leaves (tasks with inputs and dependents), divided by
 * the tasks; and the process's RSS.
 *
 * Run: bench/throughput --held-only [--tasks N]
 */
class HeldMemory {
  public static void main(String[] args) throws Exception {
    int n = 200_000;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tasks" -> n = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    Path logs = Files.createTempDirectory("tasklane-bench-held");
    int port = Cluster.freePort();
    int apiPort = Cluster.freePort();
    Process scheduler = Cluster.start(home, logs, "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "" + port,
        "--api-port", "" + apiPort, "--no-dashboard");
    try {
      TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
      Cluster.waitFor(() -> { try { client.graphs(); return true; } catch (RuntimeException e) { return false; } });
      System.out.println("the scheduler's memory per held task (no workers: every task stays in its table), logs in " + logs);
        for (int round = 0; round < 3; round++) { // the first round loads and compiles the code that accepts a graph
        long base = liveBytes(scheduler.pid());
        String a = client.submit(DemoGraphs.independent(n));
        long afterIndependent = liveBytes(scheduler.pid());
        String b = client.submit(DemoGraphs.tree(n));
        long afterTree = liveBytes(scheduler.pid());
        int treeTasks = DemoGraphs.tree(n).tasks().size();
        System.out.printf(Locale.ROOT, "  round %d: live heap before %,.0f MiB, with both graphs %,.0f MiB%n", round + 1,
            base / 1048576.0, afterTree / 1048576.0);
        if (round == 2) {
          System.out.printf(Locale.ROOT, "  %,d independent inc: %,.0f bytes per task%n", n, (afterIndependent - base) / (double) n);
          System.out.printf(Locale.ROOT, "  tree of %,d leaves (%,d tasks): %,.0f bytes per task%n", n, treeTasks,
              (afterTree - afterIndependent) / (double) treeTasks);
          System.out.printf(Locale.ROOT, "  live heap with both held: %,.0f MiB; RSS now %s, peak %s%n", afterTree / 1048576.0,
              Throughput.rss(scheduler.pid(), "VmRSS:"), Throughput.peakRss(scheduler.pid()));
        }
        client.forget(a);
        client.forget(b);
      }
    } finally {
      scheduler.destroy();
      if (!scheduler.waitFor(30, TimeUnit.SECONDS)) scheduler.destroyForcibly();
    }
  }

  /** The live objects' bytes after a full GC: the total line of {@code jcmd PID GC.class_histogram}. */
  static long liveBytes(long pid) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("jcmd", "" + pid, "GC.class_histogram").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    for (String line : out.split("\n")) {
      if (line.startsWith("Total")) {
        String[] f = line.trim().split("\\s+");
        return Long.parseLong(f[2]);
      }
    }
    throw new IllegalStateException("no total in jcmd's class histogram: " + out);
  }
}

/**
 * bench/recovery: a scheduler and three workers (one thread each) run a steady stream of small
 * tree sums (leaves that sleep 20 ms, sums that fetch their inputs from other workers), several
 * graphs in flight; one worker is SIGKILLed, and the bench prints the tasks finished per second
 * around the kill, the rate before and the steady rate of the two workers left, and the time from
 * the SIGKILL until the rate is back to 90 % of that steady rate for three seconds in a row (issue
 * 13's goal: within 10 s), and the longest time a graph in flight at the kill took (the stall of a
 * graph that had a task on the dead worker: few graphs in flight, as with {@code --in-flight 1}, make
 * that stall the cluster's). Every graph's answer is checked.
 *
 * Run: bench/recovery [--before SECONDS] [--after SECONDS] [--in-flight N]
 */
class RecoveryBench {
  static final int LEAVES = 16;

  public static void main(String[] args) throws Exception {
    int before = 15;
    int after = 45;
    int inFlight = 2;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--before" -> before = Integer.parseInt(args[++i]);
        case "--after" -> after = Integer.parseInt(args[++i]);
        case "--in-flight" -> inFlight = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    Path logs = Files.createTempDirectory("tasklane-bench");
    List<Process> procs = new ArrayList<>();
    java.util.concurrent.ExecutorService submitters = java.util.concurrent.Executors.newFixedThreadPool(inFlight);
    java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
    try {
      TasklaneClient client = Cluster.startLocal(home, logs, procs, 3, "--no-history").client();

      GraphSpec graph = sleepyTree(LEAVES);
      int tasksPerGraph = graph.tasks().size();
      java.util.concurrent.ConcurrentLinkedQueue<Long> doneAt = new java.util.concurrent.ConcurrentLinkedQueue<>();
      java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
      java.util.concurrent.ConcurrentLinkedQueue<long[]> spans = new java.util.concurrent.ConcurrentLinkedQueue<>();
      for (int i = 0; i < 200; i++) Cluster.run(client, graph); // warm-up: JIT
      long t0 = System.nanoTime();
      for (int i = 0; i < inFlight; i++) {
        submitters.submit(() -> {
          while (running.get()) {
            long start = System.nanoTime();
            GraphStatus st = client.submitAndWait(graph, Duration.ofMinutes(2));
            spans.add(new long[] {start, System.nanoTime()});
            long total = client.results(st.id()).results().get("total").asLong();
            if (!"done".equals(st.state()) || st.erred() > 0 || total != DemoGraphs.treeSum(LEAVES)) wrong.incrementAndGet();
            client.forget(st.id());
            doneAt.add(System.nanoTime());
          }
          return null;
        });
      }
      Thread.sleep(before * 1000L);
      long killedAt = System.nanoTime();
      procs.get(2).destroyForcibly(); // worker-2: SIGKILL
      System.out.printf(Locale.ROOT, "SIGKILL worker-2 at %.1f s%n", (killedAt - t0) / 1e9);
      Thread.sleep(after * 1000L);
      running.set(false);
      submitters.shutdown();
      submitters.awaitTermination(3, java.util.concurrent.TimeUnit.MINUTES);

      int seconds = before + after;
      double[] rate = new double[seconds];
      for (long t : doneAt) {
        int b = (int) ((t - t0) / 1_000_000_000L);
        if (b < seconds) rate[b] += tasksPerGraph;
      }
      StringBuilder line = new StringBuilder("tasks finished per second (K marks the kill):");
      for (int b = 0; b < seconds; b++) line.append(b == before ? " K " : " ").append((int) rate[b]);
      System.out.println(line);
      double rateBefore = mean(rate, 2, before);
      double steady = mean(rate, before + 25, seconds);
      int back = -1;
      for (int b = before; b + 3 <= seconds; b++) {
        if (rate[b] >= 0.9 * steady && rate[b + 1] >= 0.9 * steady && rate[b + 2] >= 0.9 * steady) {
          back = b;
          break;
        }
      }
      double killOffset = (killedAt - t0) / 1e9 - before;
      System.out.printf(Locale.ROOT, "before the kill: %.0f tasks/s with 3 workers; steady after: %.0f tasks/s with 2%n",
          rateBefore, steady);
      System.out.println(back < 0
          ? "the rate did not come back to 90 % of the steady rate within " + after + " s"
          : String.format(Locale.ROOT, "SIGKILL to full throughput (90 %% of the steady rate for 3 s): %.1f s",
              back - before - killOffset));
      List<Double> normal = new ArrayList<>();
      double longest = 0;
      for (long[] span : spans) {
        double secs = (span[1] - span[0]) / 1e9;
        if (span[1] < killedAt) normal.add(secs);
        else if (span[0] <= killedAt + 1_000_000_000L) longest = Math.max(longest, secs);
      }
      Collections.sort(normal);
      System.out.printf(Locale.ROOT, "a graph's time before the kill: median %.2f s; the longest of those in flight at the kill: %.1f s%n",
          normal.isEmpty() ? 0 : normal.get(normal.size() / 2), longest);
      System.out.println("graphs with a wrong or missing answer: " + wrong.get() + " of " + doneAt.size());
      printSchedulerLines(logs.resolve("scheduler.log"));
    } finally {
      running.set(false);
      submitters.shutdownNow();
      for (Process p : procs) p.destroy();
      for (Process p : procs) if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  /** A tree sum whose leaves sleep 20 ms (no CPU: three workers on two cores stay three workers). */
  static GraphSpec sleepyTree(int leaves) {
    GraphSpec tree = DemoGraphs.tree(leaves);
    List<TaskSpec> tasks = new ArrayList<>();
    for (TaskSpec t : tree.tasks()) {
      tasks.add(t.fn().equals("inc")
          ? new TaskSpec(t.key(), "sleep", List.of(com.fasterxml.jackson.databind.node.DoubleNode.valueOf(0.02),
              com.fasterxml.jackson.databind.node.LongNode.valueOf(t.args().get(0).asLong() + 1)), null)
          : t);
    }
    return new GraphSpec("recovery-tree", tasks, tree.want());
  }

  static double mean(double[] xs, int from, int to) {
    double sum = 0;
    for (int i = from; i < to; i++) sum += xs[i];
    return to > from ? sum / (to - from) : 0;
  }

  /** What the scheduler said about the lost worker, with its times. */
  static void printSchedulerLines(Path log) throws IOException {
    for (String l : Files.readAllLines(log)) {
      if (l.contains("worker-2") && !l.contains("registered")) System.out.println("  scheduler: " + l);
    }
  }
}

/**
 * bench/memory: the 1.5 GiB graph of the memory test ({@link org.tasklane.client.MemoryGraphs#spill}: 192
 * loads of 8 MiB, reductions of 4 that wait for loads from all over the graph, a total) on a scheduler
 * and two workers of two threads, twice: with a 256 MiB memory limit on a 384 MiB heap (it spills), and
 * with a 2.5 GiB limit on a 3 GiB heap (it does not). Prints each run's time and the workers' peak
 * figures from the dashboard (managed, unmanaged, spilled; how many were paused at once) and peak
 * resident memory. Run: bench/memory [--loads N] [--runs N] (the median of the runs is printed).
 */
class MemoryBench {
  public static void main(String[] args) throws Exception {
    int loads = 192;
    int runs = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--loads" -> loads = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("usage: bench/memory [--loads N (a multiple of 4)] [--runs N]");
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    once(home, loads, runs, "256MiB", "-Xmx384m");
    once(home, loads, runs, "2560MiB", "-Xmx3g");
  }

  static void once(String home, int loads, int runs, String limit, String heap) throws Exception {
    int loadBytes = 8 << 20;
    Path logs = Files.createTempDirectory("tasklane-bench-memory");
    Path spill = logs.resolve("spill");
    List<Process> procs = new ArrayList<>();
    try {
      int port = Cluster.freePort();
      int apiPort = Cluster.freePort();
      int dashPort = Cluster.freePort();
      procs.add(start(home, logs, heap, "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "" + port,
          "--api-port", "" + apiPort, "--dashboard-port", "" + dashPort, "--dashboard-address", "127.0.0.1",
          "--no-history"));
      TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
      Cluster.waitFor(() -> { try { client.graphs(); return true; } catch (RuntimeException e) { return false; } });
      for (int i = 1; i <= 2; i++) {
        procs.add(start(home, logs, heap, "worker-" + i, "worker", "--scheduler", "127.0.0.1:" + port,
            "--host", "127.0.0.1", "--nthreads", "2", "--name", "worker-" + i, "--no-nanny", "--memory-limit", limit,
            "--spill-dir", spill.toString()));
      }
      Cluster.waitFor(() -> { try { return client.workers().size() == 2; } catch (RuntimeException e) { return false; } });
      HttpClient http = HttpClient.newHttpClient();
      ObjectMapper json = new ObjectMapper();
      List<Double> times = new ArrayList<>();
      long[] peak = new long[5]; // managed, unmanaged, spilled, paused at once, resident
      for (int r = 0; r < runs; r++) {
        String id = client.submit(org.tasklane.client.MemoryGraphs.spill(loads, loadBytes, 4));
        long t0 = System.nanoTime();
        while (!"done".equals(client.status(id).state())) {
          HttpResponse<String> res = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + dashPort + "/api/v1/workers.json")).build(), HttpResponse.BodyHandlers.ofString());
          long[] now = new long[5];
          for (JsonNode w : json.readTree(res.body())) {
            JsonNode h = w.at("/figures/memory");
            now[0] += h.path("managedBytes").asLong();
            now[1] += h.path("unmanagedBytes").asLong();
            now[2] += h.path("spilledBytes").asLong();
            now[3] += h.path("paused").asBoolean() ? 1 : 0;
            now[4] += w.at("/figures/process/rssBytes").asLong();
          }
          for (int k = 0; k < 5; k++) peak[k] = Math.max(peak[k], now[k]);
          Thread.sleep(200);
        }
        times.add((System.nanoTime() - t0) / 1e9);
        long total = client.results(id).results().get("total").asLong();
        if (total != org.tasklane.client.MemoryGraphs.total(loads, loadBytes)) {
          throw new IllegalStateException("wrong answer " + total);
        }
        client.forget(id);
      }
      Collections.sort(times);
      System.out.printf(Locale.ROOT, "limit %-7s (%s): %.1f GiB graph in %.1f s (median of %d: %s); peaks over both "
          + "workers: managed %d MiB, unmanaged %d MiB, spilled %d MiB, paused at once %d, resident %d MiB%n",
          limit, heap, loads * (double) loadBytes / (1L << 30), times.get(times.size() / 2), runs,
          times.stream().map(t -> String.format(Locale.ROOT, "%.1f", t)).toList(),
          peak[0] >> 20, peak[1] >> 20, peak[2] >> 20, peak[3], peak[4] >> 20);
    } finally {
      for (Process p : procs) p.destroy();
      for (Process p : procs) if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  /** bin/tasklane ARGS with these JVM options, its output in LOGS/NAME.log. */
  static Process start(String home, Path logs, String javaOpts, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home + "/bin/tasklane");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(logs.resolve(name + ".log").toFile());
    pb.environment().put("TASKLANE_JAVA_OPTS", javaOpts);
    return pb.start();
  }
}

/**
 * bench/scale: what a cluster of 10, 100 and 1,000 workers costs. For each size, a scheduler (no
 * embedded dashboard), a dashboard node recording its run history, and the workers as 2 JVMs (10
 * workers) or 4 (100, 1,000) of {@code worker --nworkers N --nthreads 1}, all on loopback. Prints,
 * per size: the scheduler's and the dashboard node's CPU (share of one core) idle over
 * {@code --idle-seconds} and while 50,000 independent {@code inc} tasks run (their tasks per
 * second), the bytes per second the dashboard JVM reads (its {@code /proc/PID/io} {@code rchar}:
 * its sockets, nearly all of it the scheduler's and the workers' pub-sub topics, both idle and under
 * load), the dashboard's heap after a full GC, and, if Debian's chromium is installed, the share of
 * the status page's main thread that is busy while it is live under load (Chrome's own
 * {@code TaskDuration} through the DevTools protocol; see {@code bench/BrowserBusy.java}).
 *
 * Run: bench/scale [--sizes 10,100,1000] [--idle-seconds 20] [--tasks 50000] [--browser-seconds 20]
 */
class ScaleBench {
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(10, 100, 1000);
    int idleSeconds = 20;
    int tasks = 50_000;
    int browserSeconds = 20;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--sizes" -> sizes = java.util.Arrays.stream(args[++i].split(",")).map(Integer::parseInt).toList();
        case "--idle-seconds" -> idleSeconds = Integer.parseInt(args[++i]);
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--browser-seconds" -> browserSeconds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    System.out.printf(Locale.ROOT, "%-8s %-6s %-22s %-22s %-9s %-24s %-10s %s%n", "workers", "JVMs",
        "scheduler idle/load", "dashboard idle/load", "tasks/s", "dashboard reads idle/load", "dash heap",
        "page busy");
    for (int workers : sizes) {
      measure(home, workers, idleSeconds, tasks, browserSeconds);
    }
  }

  static void measure(String home, int workers, int idleSeconds, int tasks, int browserSeconds) throws Exception {
    Path logs = Files.createTempDirectory("tasklane-bench-scale-" + workers);
    List<Process> procs = new ArrayList<>();
    try {
      Cluster.Local local = Cluster.startLocal(home, logs, procs, 0, "--no-dashboard");
      TasklaneClient client = local.client();
      int dashPort = Cluster.freePort();
      Process dashboard = DashboardBench.startDashboard(home, logs, local.port(), dashPort, logs.resolve("history"), true);
      procs.add(dashboard);
      int jvms = workers <= 10 ? 2 : 4;
      for (int j = 1; j <= jvms; j++) {
        int n = workers / jvms + (j <= workers % jvms ? 1 : 0);
        procs.add(Cluster.start(home, logs, "workers-" + j, "worker", "--scheduler", "127.0.0.1:" + local.port(),
            "--host", "127.0.0.1", "--nworkers", "" + n, "--nthreads", "1", "--name", "w" + j, "--no-nanny"));
      }
      Cluster.waitFor(Duration.ofMinutes(10), () -> {
        procs.stream().filter(p -> !p.isAlive()).findFirst().ifPresent(p -> {
          throw new IllegalStateException("a process of the cluster exited with " + p.exitValue() + "; see " + logs);
        });
        try { return client.workers().size() == workers; } catch (RuntimeException e) { return false; }
      });
      Cluster.run(client, DemoGraphs.independent(tasks)); // every worker has run tasks; the JIT has seen the paths
      long scheduler = procs.get(0).pid();
      long dash = dashboard.pid();

      double[] idle = window(scheduler, dash, () -> {
        Thread.sleep(idleSeconds * 1000L); // a measuring window, not a wait for a condition
        return 0.0;
      });
      double[] load = window(scheduler, dash, () -> tasks / Cluster.run(client, DemoGraphs.independent(tasks)));
      String heap = DashboardBench.heapUsed(dash);
      String busy = BrowserBusyRun.measure(home, "http://127.0.0.1:" + dashPort + "/status", browserSeconds,
          () -> Cluster.run(client, DemoGraphs.independent(tasks)));
      System.out.printf(Locale.ROOT, "%-8d %-6d %5.1f%% / %5.1f%%        %5.1f%% / %5.1f%%        %,9.0f %9s / %9s    %-10s %s%n",
          workers, jvms, idle[0], load[0], idle[1], load[1], load[3], bytes(idle[2]), bytes(load[2]), heap, busy);
    } finally {
      for (Process p : procs) p.destroy();
      for (Process p : procs) if (!p.waitFor(30, TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  /**
   * Runs {@code body}; returns the scheduler's and the dashboard's CPU meanwhile (percent of one
   * core), the dashboard's bytes read per second, and what the body returned.
   */
  static double[] window(long scheduler, long dash, java.util.concurrent.Callable<Double> body) throws Exception {
    long s0 = cpuTicks(scheduler), d0 = cpuTicks(dash), r0 = rchar(dash), t0 = System.nanoTime();
    double result = body.call();
    double secs = (System.nanoTime() - t0) / 1e9;
    return new double[] {
        (cpuTicks(scheduler) - s0) * 10.0 / 1000 / secs * 100, (cpuTicks(dash) - d0) * 10.0 / 1000 / secs * 100,
        (rchar(dash) - r0) / secs, result};
  }

  /** utime + stime of a process, in clock ticks (10 ms). */
  static long cpuTicks(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** Bytes the process read through read()-like calls (sockets and files) since it started. */
  static long rchar(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/io"))) {
      if (line.startsWith("rchar:")) {
        return Long.parseLong(line.substring(6).trim());
      }
    }
    return 0;
  }

  static String bytes(double perSecond) {
    return perSecond >= 1 << 20 ? String.format(Locale.ROOT, "%.1f MB/s", perSecond / (1 << 20))
        : String.format(Locale.ROOT, "%.0f kB/s", perSecond / 1024);
  }
}

/**
 * Runs bench/BrowserBusy.java (Playwright and Debian's chromium: the launcher's test class path,
 * which bench/scale writes to launcher/target/test-classpath.txt) against a page while {@code load}
 * runs, and returns what it printed (or why it could not).
 */
class BrowserBusyRun {
  static String measure(String home, String url, int seconds, java.util.concurrent.Callable<Double> load)
      throws Exception {
    Path cp = Path.of(home, "launcher/target/test-classpath.txt");
    if (!Files.isExecutable(Path.of("/usr/bin/chromium")) || !Files.exists(cp)) {
      return "(no chromium or no test class path)";
    }
    Process p = new ProcessBuilder("java", "-cp", Files.readString(cp).trim(), home + "/bench/BrowserBusy.java", url,
        "" + seconds).redirectErrorStream(true).start();
    java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try { return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8); }
      catch (IOException e) { return e.toString(); }
    });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds + 120);
    while (p.isAlive() && System.nanoTime() < deadline) {
      load.call(); // the page measures while graphs run
    }
    if (!p.waitFor(Math.max(1, (deadline - System.nanoTime()) / 1_000_000_000L), TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return "(the browser run timed out)";
    }
    String text = out.get().strip();
    String last = text.isEmpty() ? "" : text.substring(text.lastIndexOf('\n') + 1);
    return p.exitValue() == 0 ? last : "(browser run failed: " + last + ")";
  }
}

/** What every benchmark needs: real processes started through bin/tasklane, and graphs run to completion. */
class Cluster {
  /** A cluster started by {@link #startLocal}: its client, cluster port and API port. */
  record Local(TasklaneClient client, int port, int apiPort) {}

  /**
   * A scheduler (loopback, free ports, these extra options) and {@code workers} workers of one
   * thread each, without nannies, as bin/tasklane processes added to {@code procs} (the caller stops
   * them); returns once every worker has registered.
   */
  static Local startLocal(String home, Path logs, List<Process> procs, int workers, String... schedulerOptions)
      throws IOException, InterruptedException {
    int port = freePort();
    int apiPort = freePort();
    List<String> args = new ArrayList<>(List.of("scheduler", "--host", "127.0.0.1", "--port", "" + port,
        "--api-port", "" + apiPort));
    args.addAll(List.of(schedulerOptions));
    Process scheduler = start(home, logs, "scheduler", args.toArray(String[]::new));
    procs.add(scheduler);
    TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
    waitFor(() -> { try { client.graphs(); return true; } catch (RuntimeException e) { return exited(scheduler, logs, "scheduler"); } });
    for (int i = 1; i <= workers; i++) {
      procs.add(start(home, logs, "worker-" + i, "worker", "--scheduler", "127.0.0.1:" + port, "--host", "127.0.0.1",
          "--nthreads", "1", "--name", "worker-" + i, "--no-nanny"));
    }
    waitFor(() -> { try { return client.workers().size() == workers; } catch (RuntimeException e) { return exited(scheduler, logs, "scheduler"); } });
    System.out.println("cluster up: scheduler + " + workers + " workers x 1 thread, logs in " + logs);
    return new Local(client, port, apiPort);
  }

  /**
   * False while {@code p} runs; once it has exited, fails with its exit code and the end of its log
   * (a scheduler that cannot start would otherwise be waited for until the timeout).
   */
  static boolean exited(Process p, Path logs, String name) {
    if (p.isAlive()) {
      return false;
    }
    String log;
    try {
      List<String> lines = Files.readAllLines(logs.resolve(name + ".log"));
      log = String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      log = "(no log: " + e.getMessage() + ")";
    }
    throw new IllegalStateException("the " + name + " exited with code " + p.exitValue() + "; the end of its log:\n" + log);
  }

  /** Submit to done, in seconds (the clock starts before the POST); the graph is forgotten after. */
  static double run(TasklaneClient client, GraphSpec graph) {
    long t0 = System.nanoTime();
    String id = client.submit(graph);
    GraphStatus s = client.awaitDone(id, Duration.ofMinutes(10));
    double secs = (System.nanoTime() - t0) / 1e9;
    if (!"done".equals(s.state()) || s.erred() > 0) throw new IllegalStateException("graph did not finish cleanly: " + s);
    client.forget(id);
    return secs;
  }

  /** bin/tasklane ARGS as a process, its output in LOGS/NAME.log. */
  static Process start(String home, Path logs, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home + "/bin/tasklane");
    cmd.addAll(List.of(args));
    File log = logs.resolve(name + ".log").toFile();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
    // a bench stopped by a signal (Ctrl-C, kill) takes its cluster with it
    Runtime.getRuntime().addShutdownHook(new Thread(p::destroy, "stop-" + name));
    return p;
  }

  /** Five minutes: JVMs start slowly on a busy machine. */
  static void waitFor(Supplier<Boolean> condition) throws InterruptedException {
    waitFor(Duration.ofMinutes(5), condition);
  }

  static void waitFor(Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting");
      Thread.sleep(20);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}

/**
 * bench/throughput --wire-only: what each task costs in serialization between the scheduler and
 * its workers, with the cluster's own serializer (Pekko's Jackson CBOR, as configured): batches of
 * {@code --batch} assignments of an {@code inc} with one input (scheduler to worker) and as many
 * reports (worker to scheduler), each encoded and decoded for {@code --seconds} after as long a
 * warm-up. Prints bytes per task and nanoseconds per task each way (median of 5 rounds); then what
 * the dashboard's run history costs per task record: batches of 1,000 records appended to a run
 * file (encoded, deflated, written), bytes on disk and nanoseconds per task.
 *
 * Run: bench/throughput --wire-only [--batch N] [--seconds N]
 */
class WireCost {
  public static void main(String[] args) throws Exception {
    int batch = 100;
    int seconds = 4;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--batch" -> batch = Integer.parseInt(args[++i]);
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + "; try --batch N, --seconds N");
      }
    }
    var config = com.typesafe.config.ConfigFactory.parseString(
        "pekko.actor.provider = cluster\npekko.remote.artery.canonical.port = 0\n"
            + "pekko.remote.artery.canonical.hostname = 127.0.0.1\npekko.loglevel = WARNING")
        .withFallback(com.typesafe.config.ConfigFactory.load());
    var system = org.apache.pekko.actor.typed.ActorSystem.create(
        org.apache.pekko.actor.typed.javadsl.Behaviors.<org.tasklane.protocol.WorkerProtocol.Command>empty(), "wire",
        config);
    try {
      var classic = (org.apache.pekko.actor.ExtendedActorSystem) system.classicSystem();
      var serialization = org.apache.pekko.serialization.SerializationExtension.get(classic);
      // as Artery does around each message: an ActorRef in a message is written with this node's address
      org.apache.pekko.serialization.Serialization$.MODULE$.currentTransportInformation().value_$eq(
          new org.apache.pekko.serialization.Serialization.Information(classic.provider().getDefaultAddress(), classic));
      var worker = system; // an ActorRef of the worker's protocol, as reports carry
      List<org.tasklane.protocol.TaskAssignment> assignments = new ArrayList<>();
      List<org.tasklane.protocol.TaskReport> reports = new ArrayList<>();
      long now = System.currentTimeMillis() * 1000;
      for (int i = 0; i < batch; i++) {
        var input = new org.tasklane.protocol.TaskAssignment.Input(1_000_000L + i, "load-" + i, 28, List.of());
        assignments.add(new org.tasklane.protocol.TaskAssignment(2_000_000L + i, "inc-" + i, "inc", "inc",
            List.<JsonNode>of(JsonNodeFactory.instance.objectNode().put("ref", "load-" + i)), List.of(input)));
        reports.add(new org.tasklane.protocol.TaskReport(2_000_000L + i, org.tasklane.protocol.TaskReport.Outcome.OK, 28,
            now + i, now + i + 3, "tasklane-exec-1", List.of(), null, List.of()));
      }
      Object assign = new org.tasklane.protocol.WorkerProtocol.AssignTasks(assignments);
      Object finished = new org.tasklane.protocol.SchedulerProtocol.TasksFinished(worker, reports);
      for (Object m : List.of(assign, finished)) {
        measure(serialization, m, batch, seconds); // warm-up
        List<long[]> rounds = new ArrayList<>();
        for (int r = 0; r < 5; r++) {
          rounds.add(measure(serialization, m, batch, seconds));
        }
        rounds.sort(java.util.Comparator.comparingLong(x -> x[1] + x[2]));
        long[] med = rounds.get(2);
        System.out.printf(Locale.ROOT, "%-13s batches of %d: %d bytes per task; encode %d ns, decode %d ns per task "
            + "(median of 5 rounds of %d s)%n", m.getClass().getSimpleName(), batch, med[0] / batch, med[1], med[2],
            seconds);
      }
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
    history(seconds);
  }

  /** The run history's cost per task record: 1,000-record batches appended to a run file. */
  static void history(int seconds) throws Exception {
    List<org.tasklane.protocol.DashboardProtocol.TaskEvent> batch = new ArrayList<>();
    long now = System.currentTimeMillis() * 1000;
    for (int i = 0; i < 1000; i++) {
      batch.add(new org.tasklane.protocol.DashboardProtocol.TaskEvent(2_000_000L + i, "inc-" + i, "inc",
          "a1b2c3d4-graph", "127.0.0.1:40123", "tasklane-exec-1", now + 7 * i, now + 7 * i + 3, "memory", 28, null,
          List.of(), List.of(1_000_000L + i)));
    }
    var record = new org.tasklane.dashboard.history.HistoryRecord.Tasks(System.currentTimeMillis(), batch);
    Path dir = Files.createTempDirectory("tasklane-wire");
    try {
      List<long[]> rounds = new ArrayList<>();
      for (int r = 0; r < 6; r++) { // the first is the warm-up
        Path f = dir.resolve("run-" + r + ".tlrun");
        long n = 0;
        long t0 = System.nanoTime();
        long end = t0 + seconds * 1_000_000_000L;
        try (var out = new org.tasklane.dashboard.history.RunFileAppender(f)) {
          while (System.nanoTime() < end) {
            out.append(record);
            n++;
          }
          out.flush();
        }
        rounds.add(new long[] {Files.size(f) / (n * 1000), (System.nanoTime() - t0) / (n * 1000)});
        Files.delete(f);
      }
      rounds = new ArrayList<>(rounds.subList(1, rounds.size()));
      rounds.sort(java.util.Comparator.comparingLong(x -> x[1]));
      System.out.printf(Locale.ROOT, "run history   batches of 1000 task records: %d bytes per task on disk; "
          + "%d ns per task (median of 5 rounds of %d s)%n", rounds.get(2)[0], rounds.get(2)[1], seconds);
    } finally {
      Files.deleteIfExists(dir);
    }
  }

  /** {bytes of one message, ns per task to encode, ns per task to decode} over about {@code seconds}. */
  static long[] measure(org.apache.pekko.serialization.Serialization serialization, Object m, int batch, int seconds)
      throws Exception {
    var serializer = serialization.findSerializerFor(m);
    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, m);
    byte[] bytes = serializer.toBinary(m);
    long end = System.nanoTime() + seconds * 500_000_000L;
    long n = 0;
    long t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      bytes = serializer.toBinary(m);
      n++;
    }
    long encode = (System.nanoTime() - t0) / (n * batch);
    end = System.nanoTime() + seconds * 500_000_000L;
    n = 0;
    t0 = System.nanoTime();
    while (System.nanoTime() < end) {
      if (serialization.deserialize(bytes, serializer.identifier(), manifest).get() == null) {
        throw new IllegalStateException("decoded nothing");
      }
      n++;
    }
    long decode = (System.nanoTime() - t0) / (n * batch);
    return new long[] {bytes.length, encode, decode};
  }
}
