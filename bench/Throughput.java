import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.api.GraphStatus;

/**
 * bench/throughput: a scheduler and two workers (one thread each) as separate JVMs on loopback;
 * prints tasks per second (median of three runs after a warm-up) for 50,000 independent inc
 * tasks and a 10,000-task tree sum, and each JVM's peak resident memory.
 *
 * Run: bench/throughput [--independent N] [--leaves N] [--runs N]
 */
public class Throughput {
  public static void main(String[] args) throws Exception {
    int independent = 50_000;
    int leaves = 5_000;
    int runs = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--independent" -> independent = Integer.parseInt(args[++i]);
        case "--leaves" -> leaves = Integer.parseInt(args[++i]);
        case "--runs" -> runs = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    String home = System.getProperty("tasklane.home", ".");
    int port = freePort();
    int apiPort = freePort();
    Path logs = Files.createTempDirectory("tasklane-bench");
    List<Process> procs = new ArrayList<>();
    try {
      procs.add(start(home, logs, "scheduler", "scheduler", "--host", "127.0.0.1", "--port", "" + port, "--api-port", "" + apiPort));
      TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
      waitFor(() -> { try { client.graphs(); return true; } catch (RuntimeException e) { return false; } });
      for (int i = 1; i <= 2; i++) {
        procs.add(start(home, logs, "worker-" + i, "worker", "--scheduler", "127.0.0.1:" + port, "--host", "127.0.0.1", "--nthreads", "1", "--name", "worker-" + i));
      }
      waitFor(() -> { try { return client.workers().size() == 2; } catch (RuntimeException e) { return false; } });
      System.out.println("cluster up: scheduler + 2 workers x 1 thread, logs in " + logs);

      final int n = independent;
      final int l = leaves;
      GraphSpec warm = DemoGraphs.independent(n);
      run(client, warm); // warm-up: JIT
      run(client, DemoGraphs.tree(l));
      report("independent inc", n, client, () -> DemoGraphs.independent(n), runs);
      report("tree sum", DemoGraphs.tree(l).tasks().size(), client, () -> DemoGraphs.tree(l), runs);

      System.out.println("peak RSS (VmHWM):");
      System.out.printf(Locale.ROOT, "  scheduler  %s%n", peakRss(procs.get(0).pid()));
      for (JsonNode w : client.workers()) {
        System.out.printf(Locale.ROOT, "  %-10s %s%n", w.get("name").asText(), peakRss(w.get("pid").asLong()));
      }
    } finally {
      for (Process p : procs) p.destroy();
      for (Process p : procs) if (!p.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) p.destroyForcibly();
    }
  }

  static void report(String what, int tasks, TasklaneClient client, Supplier<GraphSpec> graph, int runs) {
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      double secs = run(client, graph.get());
      rates.add(tasks / secs);
    }
    Collections.sort(rates);
    System.out.printf(Locale.ROOT, "%-16s %7d tasks: median %,10.0f tasks/s  (runs: %s)%n", what, tasks,
        rates.get(rates.size() / 2), rates.stream().map(r -> String.format(Locale.ROOT, "%,.0f", r)).toList());
  }

  /** Submit to done, in seconds (the clock starts before the POST). */
  static double run(TasklaneClient client, GraphSpec graph) {
    long t0 = System.nanoTime();
    String id = client.submit(graph);
    GraphStatus s = client.awaitDone(id, Duration.ofMinutes(10));
    double secs = (System.nanoTime() - t0) / 1e9;
    if (!"done".equals(s.state()) || s.erred() > 0) throw new IllegalStateException("graph did not finish cleanly: " + s);
    client.forget(id);
    return secs;
  }

  static String peakRss(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
        if (line.startsWith("VmHWM:")) {
          long kb = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format(Locale.ROOT, "%.0f MiB", kb / 1024.0);
        }
      }
    } catch (IOException e) {
      return "unknown";
    }
    return "unknown";
  }

  static Process start(String home, Path logs, String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(home + "/bin/tasklane");
    cmd.addAll(List.of(args));
    File log = logs.resolve(name + ".log").toFile();
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log).start();
  }

  static void waitFor(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (!condition.get()) {
      if (System.nanoTime() > deadline) throw new IllegalStateException("timed out waiting for the cluster");
      Thread.sleep(200);
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
