package org.tasklane.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.tasklane.client.TasklaneClient;

/**
 * A real cluster for system tests: a scheduler and workers, each a JVM started through
 * {@code bin/tasklane} on loopback with ephemeral ports. Workers run without a nanny unless asked
 * ({@link #startWorker(String, int, boolean)}), so that a worker's handle is the worker. Every
 * process it starts, it stops by its own handle in {@link #close}. Output goes to
 * {@code launcher/target/system-logs/NAME/}.
 */
public final class LocalCluster implements AutoCloseable {
  /**
   * Small heaps and a quick JIT: several JVMs share two cores in CI. The scheduler's task table
   * checks its invariants after events ({@code tasklane.scheduler.validate}, off in production):
   * after every event while it holds at most 1,000 tasks, after every (held / 1,000)-th beyond (at
   * the default 10,000, the 100,000-link chain of BadInputLoadSystemTest spent minutes validating).
   */
  public static final String JAVA_OPTS = "-Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto "
      + "-Dtasklane.scheduler.validate=on -Dtasklane.scheduler.validate-tasks-per-event=1000";

  private final Path logs;
  private final int port;
  private final int apiPort;
  private final int dashboardPort;
  // the soak's threads start, stop and sample processes at once
  private final Map<String, Process> processes = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
  private final TasklaneClient client;
  private final List<String> schedulerArgs;

  private LocalCluster(String name, String... schedulerArgs) throws IOException {
    this.logs = Path.of(home(), "launcher", "target", "system-logs", name);
    Files.createDirectories(logs);
    this.port = freePort();
    this.apiPort = freePort();
    this.dashboardPort = freePort();
    this.schedulerArgs = List.of(schedulerArgs);
    String authFile = schedulerOption("--auth-file");
    String token = authFile == null ? null : org.tasklane.protocol.api.AccessToken.fromFile(Path.of(authFile)).secret();
    String tlsDir = schedulerOption("--tls-dir");
    this.client = tlsDir == null
        ? new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"), token)
        : TasklaneClient.withTlsDir(URI.create("https://127.0.0.1:" + apiPort + "/"),
            org.tasklane.protocol.api.TlsFolder.forNode(Path.of(tlsDir), "127.0.0.1").dir(), token);
  }

  /** The value of a {@code tasklane scheduler} option this cluster was started with, or null. */
  private String schedulerOption(String name) {
    int i = schedulerArgs.indexOf(name);
    return i >= 0 && i + 1 < schedulerArgs.size() ? schedulerArgs.get(i + 1) : null;
  }

  /** Starts a scheduler and {@code workers} workers of {@code nthreads} threads, and waits until all registered. */
  public static LocalCluster start(String name, int workers, int nthreads) throws Exception {
    return start(name, workers, nthreads, new String[0]);
  }

  /**
   * {@link #start(String, int, int)} with extra options for {@code tasklane scheduler}, e.g.
   * {@code "--max-graph-bytes", "64KiB"}; the cluster chooses host and ports itself. Two of them
   * concern the whole cluster: {@code --cluster-name NAME} and {@code --tls-dir DIR} are passed on to the workers; with
   * {@code --auth-file FILE} the cluster's {@link #client()} sends the file's token, and with
   * {@code --tls-dir DIR} it speaks HTTPS, trusting only that folder's CA.
   */
  public static LocalCluster start(String name, int workers, int nthreads, String... schedulerArgs) throws Exception {
    LocalCluster c = new LocalCluster(name, schedulerArgs);
    try {
      c.startScheduler();
      for (int i = 1; i <= workers; i++) {
        c.startWorker("worker-" + i, nthreads);
      }
      c.awaitWorkers(workers);
      return c;
    } catch (Exception | AssertionError e) {
      c.close();
      throw e;
    }
  }

  public static String home() {
    return System.getProperty("tasklane.home", "..");
  }

  public void startScheduler() throws Exception {
    List<String> args = new ArrayList<>(
        List.of("scheduler", "--host", "127.0.0.1", "--port", "" + port, "--api-port", "" + apiPort,
            "--dashboard-port", "" + dashboardPort, "--dashboard-address", "127.0.0.1"));
    args.addAll(schedulerArgs);
    Process scheduler = start("scheduler", args.toArray(new String[0]));
    await(Duration.ofSeconds(90), "the scheduler's API answers", () -> {
      if (!scheduler.isAlive()) {
        throw new AssertionError("the scheduler exited with code " + scheduler.exitValue() + "; see " + logs);
      }
      try {
        client.graphs();
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  /**
   * Starts a worker without a nanny ({@code --no-nanny}): the process is the worker, so killing
   * its handle kills the worker.
   */
  public void startWorker(String name, int nthreads) throws IOException {
    startWorker(name, nthreads, false);
  }

  /**
   * Starts a worker; with {@code nanny} the process is the worker's nanny (as {@code bin/tasklane
   * worker} starts by default), which runs the worker as its child and starts it again if it dies.
   */
  public Process startWorker(String name, int nthreads, boolean nanny) throws IOException {
    List<String> args = new ArrayList<>(List.of("worker", "--scheduler", "127.0.0.1:" + port, "--host", "127.0.0.1",
        "--nthreads", "" + nthreads, "--name", name, "--join-timeout", "60s"));
    String clusterName = schedulerOption("--cluster-name");
    if (clusterName != null) {
      args.addAll(List.of("--cluster-name", clusterName));
    }
    String tlsDir = schedulerOption("--tls-dir");
    if (tlsDir != null) {
      args.addAll(List.of("--tls-dir", tlsDir));
    }
    if (!nanny) {
      args.add("--no-nanny");
    }
    return start(name, args.toArray(new String[0]));
  }

  /** Runs {@code bin/tasklane ARGS} as a process named {@code name}. */
  public Process start(String name, String... args) throws IOException {
    Process p = command(name, withOwnHistory(name, args));
    processes.put(name, p);
    return p;
  }

  /**
   * A scheduler or dashboard gets a run-history folder of its own under the test's logs (two
   * dashboards may not share one), the same one each time a process of that name starts again,
   * unless the test chose one.
   */
  private String[] withOwnHistory(String name, String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    boolean dashboardNode = !a.isEmpty() && (a.get(0).equals("scheduler") || a.get(0).equals("dashboard"));
    if (dashboardNode && !a.contains("--history-dir") && !a.contains("--no-history")) {
      a.addAll(List.of("--history-dir", historyDir(name).toString()));
    }
    return a.toArray(new String[0]);
  }

  /** The run-history folder of the process {@code name} started by {@link #start(String, String...)}. */
  public Path historyDir(String name) {
    return logs.resolve("history-" + name).toAbsolutePath();
  }

  /** A {@code bin/tasklane} process that is not part of the cluster's own set (a CLI call). */
  public ProcessBuilder builder(String name, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(home(), "bin", "tasklane").toString());
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().put("TASKLANE_JAVA_OPTS", JAVA_OPTS);
    File log = logs.resolve(name + ".log").toFile();
    return pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
  }

  private Process command(String name, String... args) throws IOException {
    return builder(name, args).start();
  }

  public void awaitWorkers(int n) {
    await(Duration.ofSeconds(90), n + " workers registered", () -> {
      try {
        return client.workers().size() == n;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  /**
   * SIGTERM to one process, by its own handle (a graceful stop: a worker hands off its results
   * first), and waits up to {@code timeout} for it to exit. Returns its exit code (143 is the JVM's
   * for an exit on SIGTERM).
   *
   * @throws AssertionError if it is still running after the timeout (it is then killed)
   */
  public int stop(String name, Duration timeout) throws InterruptedException {
    Process p = processes.get(name);
    p.destroy();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(30, TimeUnit.SECONDS);
      throw new AssertionError(name + " did not exit within " + timeout.toSeconds() + " s of SIGTERM; see " + logs);
    }
    return p.exitValue();
  }

  /** The log file of a process this cluster started. */
  public Path log(String name) {
    return logs.resolve(name + ".log");
  }

  /** SIGKILL to one process, by its own handle. */
  public void kill(String name) throws InterruptedException {
    Process p = processes.get(name);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  /** The processes this cluster started, by name, in the order they were started (a copy). */
  public Map<String, Process> processes() {
    synchronized (processes) {
      return new LinkedHashMap<>(processes);
    }
  }

  public TasklaneClient client() {
    return client;
  }

  public int port() {
    return port;
  }

  public int apiPort() {
    return apiPort;
  }

  /** The port of the dashboard the scheduler embeds. */
  public int dashboardPort() {
    return dashboardPort;
  }

  /** The embedded dashboard's root, ending in a slash: {@code dashboardUrl() + "status"} is the status page. */
  public String dashboardUrl() {
    return "http://127.0.0.1:" + dashboardPort + "/";
  }

  public Path logs() {
    return logs;
  }

  /** The sum of a per-worker field (a JSON pointer such as "/figures/tasks/heldResults") of {@code /api/v1/workers}. */
  public long sumOverWorkers(String field) {
    long sum = 0;
    for (JsonNode w : client.workers()) {
      sum += w.at(field).asLong();
    }
    return sum;
  }

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A JSON route (of a dashboard, say), or null if it does not answer 200 within 10 s. */
  public static JsonNode getJson(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** Polls a condition until it holds; fails the test with what was awaited after the timeout. */
  public static void await(Duration timeout, String what, BooleanSupplier condition) {
    if (!within(timeout, condition)) {
      throw new AssertionError(Thread.currentThread().isInterrupted()
          ? "interrupted waiting for: " + what
          : "timed out after " + timeout.toSeconds() + " s waiting for: " + what);
    }
  }

  /** Polls a condition every 100 ms until it holds (true), or the time is up or the thread interrupted (false). */
  public static boolean within(Duration timeout, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  public static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  /** SIGTERM to every process, then SIGKILL to any still running after 20 s. */
  @Override
  public void close() {
    stopAll(new ArrayList<>(processes().values()), Duration.ofSeconds(20));
  }

  /**
   * SIGTERM to every process, the last started first, then SIGKILL to any still running after
   * {@code grace}; for tests that start their processes one by one.
   */
  public static void stopAll(List<Process> processes, Duration grace) {
    for (int i = processes.size() - 1; i >= 0; i--) {
      processes.get(i).destroy();
    }
    for (Process p : processes) {
      try {
        if (!p.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }
}
