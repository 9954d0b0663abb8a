package org.tasklane.launcher;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.tasklane.client.TasklaneClient;
import org.tasklane.client.TasklaneException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code tasklane local}: a scheduler and workers on this machine, each its own JVM, in the
 * foreground; each worker under a nanny that starts it again if it dies (unless {@code --no-nanny}).
 * Ctrl-C or SIGTERM stops every process it started.
 */
@Command(
    name = "local",
    mixinStandardHelpOptions = true,
    description = "Start a scheduler and workers on this machine, each its own JVM; Ctrl-C stops them all.")
final class LocalCommand implements Callable<Integer> {

  @Option(names = "--workers", defaultValue = "2", description = "How many worker processes (default: ${DEFAULT-VALUE}).")
  int workers;

  @Option(names = "--nthreads", defaultValue = "1", description = "Threads per worker (default: ${DEFAULT-VALUE}).")
  int nthreads;

  @Option(names = "--nworkers", defaultValue = "1",
      description = "Workers in each worker process (worker-I-1 .. worker-I-M; default: ${DEFAULT-VALUE}).")
  int nworkers;

  @Option(names = "--host", defaultValue = "127.0.0.1", description = "The address every process uses (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--port", defaultValue = "" + SchedulerCommand.DEFAULT_PORT, description = "The scheduler's cluster port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--api-port", defaultValue = "" + SchedulerCommand.DEFAULT_API_PORT, description = "The client API port (default: ${DEFAULT-VALUE}).")
  int apiPort;

  @Option(names = "--dashboard-port", defaultValue = "" + DashboardCommand.DEFAULT_DASHBOARD_PORT,
      description = "The dashboard's port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int dashboardPort;

  @Option(names = "--worker-metrics-port", defaultValue = "" + DEFAULT_WORKER_METRICS_PORT, paramLabel = "PORT",
      description = "Worker N serves /metrics for Prometheus on PORT+N-1 (default: ${DEFAULT-VALUE}; 0 for any free "
          + "port each, logged by each worker; -1 for none).")
  int workerMetricsPort;

  /** worker-1's metrics port in a local cluster; worker-2 has the next, and so on. */
  static final int DEFAULT_WORKER_METRICS_PORT = 8790;

  @Option(names = "--max-graph-bytes", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The largest graph body the client API accepts, like 64MiB or 512KiB (default: "
          + SchedulerCommand.DEFAULT_MAX_GRAPH_BYTES + ").")
  Long maxGraphBytes;

  @picocli.CommandLine.Mixin HistoryOptions history;

  @picocli.CommandLine.Mixin WorkerLogsOption workerLogs;

  @picocli.CommandLine.Option(names = "--no-profile",
      description = "The workers do not sample their task threads for the profile page.")
  boolean noProfile;

  @Option(names = "--demo", description = "Keep submitting a demo graph, so that there is always work to watch.")
  boolean demo;

  @Option(names = "--start-timeout", defaultValue = "90s", paramLabel = "DURATION",
      description = "How long the scheduler may take to start (default: ${DEFAULT-VALUE}).")
  String startTimeout;

  @Option(names = "--cluster-name", defaultValue = NodeConfig.SYSTEM_NAME, paramLabel = "NAME",
      description = "The cluster's name, for the scheduler and its workers (default: ${DEFAULT-VALUE}).")
  String clusterName;

  @Option(names = "--auth-file", paramLabel = "FILE",
      description = "A file whose first line is the token the client API and the dashboard ask for "
          + "(default: no authentication).")
  java.io.File authFile;

  @Option(names = "--allow-code-upload",
      description = "Let the scheduler take jars and graphs that run their classes without an auth file "
          + "(only on a trusted network; see 'tasklane scheduler --help').")
  boolean allowCodeUpload;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "A TLS folder (from 'tasklane certs DIR --hosts 127.0.0.1': DIR or DIR/127.0.0.1) that every "
          + "process uses: TLS between them, HTTPS on the client API and the dashboard.")
  java.io.File tlsDir;

  @Option(names = "--no-nanny",
      description = "Run each worker as one process, without a nanny that starts it again when it dies.")
  boolean noNanny;

  @Override
  public Integer call() throws Exception {
    if (workers < 1 || nthreads < 1) {
      throw new TasklaneCli.UserError("--workers and --nthreads must be at least 1");
    }
    try {
      org.tasklane.worker.WorkerNames.check(nworkers);
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError(e.getMessage());
    }
    List<Integer> metricsPorts = workerMetricsPorts();
    Ports.checkPort(port, "--port");
    Ports.checkPort(apiPort, "--api-port");
    if (port == 0 || apiPort == 0) {
      throw new TasklaneCli.UserError("--port and --api-port need fixed ports for a local cluster");
    }
    if (!HostAddress.portFree(host, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + host + " is in use (another scheduler?); choose another with --port");
    }
    if (!HostAddress.portFree(host, apiPort)) {
      throw new TasklaneCli.UserError("port " + apiPort + " on " + host + " is in use; choose another with --api-port");
    }
    Ports.checkPort(dashboardPort, "--dashboard-port");
    if (dashboardPort != 0 && (dashboardPort == port || dashboardPort == apiPort)) {
      throw new TasklaneCli.UserError("--dashboard-port must differ from --port and --api-port");
    }
    if (!HostAddress.portFree(host, dashboardPort)) {
      throw new TasklaneCli.UserError("port " + dashboardPort + " on " + host + " is in use; choose another with --dashboard-port");
    }
    Duration timeout = Durations.parse(startTimeout, "--start-timeout");
    NodeConfig.checkClusterName(clusterName);
    String token = authFile == null ? null : AuthFiles.read(authFile, "local").secret();
    javax.net.ssl.SSLContext tls = null;
    if (tlsDir != null) {
      try {
        tls = org.tasklane.protocol.api.TlsFolder.forNode(tlsDir.toPath(), host).clientContext();
      } catch (IllegalArgumentException e) {
        throw new TasklaneCli.UserError("--tls-dir: " + e.getMessage());
      }
    }
    List<String> tlsArgs = tlsDir == null ? List.of() : List.of("--tls-dir", tlsDir.getAbsolutePath());
    List<String> schedulerArgs = new ArrayList<>(List.of("scheduler", "--host", host, "--port", "" + port,
        "--api-port", "" + apiPort, "--dashboard-port", "" + dashboardPort, "--dashboard-address", host,
        "--cluster-name", clusterName));
    if (maxGraphBytes != null) {
      schedulerArgs.addAll(List.of("--max-graph-bytes", "" + maxGraphBytes));
    }
    if (authFile != null) {
      schedulerArgs.addAll(List.of("--auth-file", AuthFiles.path(authFile)));
    }
    if (allowCodeUpload) {
      schedulerArgs.add("--allow-code-upload");
    }
    schedulerArgs.addAll(history.args());
    schedulerArgs.addAll(tlsArgs);
    if (workerLogs.noWorkerLogs) {
      schedulerArgs.add("--no-worker-logs");
    }
    try (ChildProcesses children = new ChildProcesses()) {
      Runtime.getRuntime().addShutdownHook(new Thread(children::close, "stop-children"));
      Process scheduler = children.start("scheduler", schedulerArgs.toArray(new String[0]));
      TasklaneClient client = new TasklaneClient(
          URI.create((tls == null ? "http" : "https") + "://" + host + ":" + apiPort + "/"), token, tls);
      awaitApi(client, scheduler, timeout);
      for (int i = 1; i <= workers; i++) {
        List<String> workerArgs = new ArrayList<>(List.of("worker", "--scheduler", host + ":" + port, "--host", host,
            "--nthreads", "" + nthreads, "--nworkers", "" + nworkers, "--name", "worker-" + i,
            "--cluster-name", clusterName));
        workerArgs.addAll(tlsArgs);
        if (noNanny) {
          workerArgs.add("--no-nanny");
        }
        if (workerLogs.noWorkerLogs) {
          workerArgs.add("--no-worker-logs"); // nothing kept on the workers either
        }
        if (noProfile) {
          workerArgs.add("--no-profile");
        }
        if (!metricsPorts.isEmpty()) {
          workerArgs.addAll(List.of("--metrics-port", "" + metricsPorts.get(i - 1)));
        }
        children.start("worker-" + i, workerArgs.toArray(new String[0]));
      }
      System.err.println("local: scheduler and " + workers
          + (nworkers > 1 ? " worker processes of " + nworkers + " workers each" : " workers") + " started; client API at " + client.base()
          + "; dashboard at " + (dashboardPort == 0 ? "the scheduler's 'Dashboard at' line above"
              : DashboardCommand.secure(DashboardCommand.url(host, host, dashboardPort, "/"), tls != null))
          + workerMetricsWhere(metricsPorts, tls != null)
          + (demo ? "; running the demo workload" : "") + "; Ctrl-C stops them all");
      Thread demoLoop = null;
      if (demo) {
        demoLoop = new Thread(new DemoLoop(client), "demo-loop");
        demoLoop.setDaemon(true);
        demoLoop.start();
      }
      int code = children.awaitAnyExit(List.of(scheduler));
      System.err.println("local: the scheduler exited with code " + code + "; stopping the workers");
      return code == 0 ? 0 : TasklaneCli.EXIT_FAILURE;
    }
  }

  /** Each worker's metrics port (0: any), or none; one-line errors for a bad or busy port. */
  private List<Integer> workerMetricsPorts() {
    if (workerMetricsPort == -1) {
      return List.of();
    }
    if (workerMetricsPort < -1 || workerMetricsPort > 65535 - (workers - 1)) {
      throw new TasklaneCli.UserError("--worker-metrics-port must be -1 (none), 0 (any free port) or a port up to "
          + (65535 - (workers - 1)) + " (one for each of " + workers + " workers), got " + workerMetricsPort);
    }
    List<Integer> ports = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      int p = workerMetricsPort == 0 ? 0 : workerMetricsPort + i;
      if (p != 0 && (p == port || p == apiPort || p == dashboardPort)) {
        throw new TasklaneCli.UserError("--worker-metrics-port: worker-" + (i + 1) + "'s port " + p
            + " is already another port of this cluster; choose another base");
      }
      if (p != 0 && !HostAddress.portFree(host, p)) {
        throw new TasklaneCli.UserError("port " + p + " on " + host + " (worker-" + (i + 1) + "'s metrics) is in use; "
            + "choose another base with --worker-metrics-port (or 0, or -1 for none)");
      }
      ports.add(p);
    }
    return ports;
  }

  /** Where the workers' metrics are, for the start line. */
  private String workerMetricsWhere(List<Integer> ports, boolean https) {
    if (ports.isEmpty()) {
      return "";
    }
    if (workerMetricsPort == 0) {
      return "; worker metrics at each worker's 'Worker metrics at' line";
    }
    List<String> urls = new ArrayList<>();
    for (int p : ports) {
      urls.add((https ? "https" : "http") + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + p + "/metrics");
    }
    return "; worker metrics at " + String.join(", ", urls);
  }

  private static void awaitApi(TasklaneClient client, Process scheduler, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (!scheduler.isAlive()) {
        throw new TasklaneCli.UserError("the scheduler exited with code " + scheduler.exitValue() + " before it was ready");
      }
      try {
        client.graphs();
        return;
      } catch (TasklaneException e) {
        if (System.nanoTime() - deadline > 0) {
          throw new TasklaneCli.UserError("the scheduler did not answer at " + client.base() + " within "
              + timeout.toSeconds() + " s: " + e.getMessage());
        }
      }
      Thread.sleep(200);
    }
  }

  /** The processes this command started, stopped together. */
  static final class ChildProcesses implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();

    synchronized Process start(String name, String... args) throws java.io.IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add(ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java"));
      if (name.equals("scheduler")) { // bin/tasklane's scheduler defaults (see there), as 'bin/tasklane scheduler' has them
        String opts = System.getenv("TASKLANE_SCHEDULER_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
          cmd.addAll(List.of(opts.strip().split("\\s+")));
        }
      }
      cmd.add("-Dtasklane.node=" + name);
      String logConfig = System.getProperty("logback.configurationFile"); // bin/tasklane's, from a release archive
      if (logConfig != null) {
        cmd.add("-Dlogback.configurationFile=" + logConfig);
      }
      cmd.add("-cp");
      cmd.add(System.getProperty("java.class.path"));
      cmd.add(TasklaneCli.class.getName());
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).inheritIO();
      String arenas = System.getenv("TASKLANE_SCHEDULER_MALLOC_ARENA_MAX"); // bin/tasklane's, as for its scheduler
      if (name.equals("scheduler") && arenas != null && !arenas.isBlank()) {
        pb.environment().put("MALLOC_ARENA_MAX", arenas.strip());
      }
      Process p = pb.start();
      processes.add(p);
      return p;
    }

    int awaitAnyExit(List<Process> watched) throws InterruptedException {
      while (true) {
        for (Process p : watched) {
          if (p.waitFor(200, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            return p.exitValue();
          }
        }
      }
    }

    /** SIGTERM to every child, then SIGKILL to any still running after 15 s. */
    @Override
    public synchronized void close() {
      for (Process p : processes) {
        p.destroy();
      }
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      for (Process p : processes) {
        try {
          long left = Math.max(1, deadline - System.nanoTime());
          if (!p.waitFor(left, java.util.concurrent.TimeUnit.NANOSECONDS)) {
            p.destroyForcibly();
          }
        } catch (InterruptedException e) {
          p.destroyForcibly();
        }
      }
    }
  }
}
