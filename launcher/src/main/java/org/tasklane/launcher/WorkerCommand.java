package org.tasklane.launcher;

import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.worker.WorkerMain;
import org.tasklane.worker.inspect.InspectSettings;
import org.tasklane.worker.inspect.LogBufferAppender;
import org.tasklane.worker.inspect.TaskOutputCapture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code tasklane worker}: joins a scheduler's cluster and runs the tasks it is given. Unless
 * {@code --no-nanny}, this process is the worker's nanny: it checks the options, then runs the
 * worker as a child JVM and starts it again when it dies ({@link Nanny}).
 */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Start a worker that joins the scheduler's cluster and runs tasks; a nanny process starts it "
        + "again if it dies (unless --no-nanny).")
final class WorkerCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Mixin JoinOptions join;

  @Mixin NannyOptions nanny;

  @Mixin WorkerLogsOption workerLogs;

  @Option(names = "--no-profile",
      description = "Do not sample task threads for the dashboard's profile page (tasklane.worker.profile.enabled = off).")
  boolean noProfile;

  @Option(names = "--nthreads", defaultValue = "0", description = "Tasks run at once (default: the number of cores).")
  int nthreads;

  @Option(names = "--nworkers", defaultValue = "1",
      description = "Workers in this JVM, each with --nthreads threads, its own results and name (NAME-1 .. NAME-N, "
          + "or HOST:PORT-1 ..); they share the JVM's heap, sampler and metrics port (default: ${DEFAULT-VALUE}).")
  int nworkers;

  @Option(names = "--name", description = "The worker's name (default: its HOST:PORT); with --nworkers N, NAME-1 .. NAME-N.")
  String name;

  @Option(names = "--memory-limit", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The memory this worker may use, e.g. 4GiB: it spills results to disk, pauses and restarts "
          + "by it (default: the JVM's maximum heap; give the JVM at least this much, -Xmx in TASKLANE_JAVA_OPTS). "
          + "Per worker: with --nworkers N the JVM's limit is N times it.")
  Long memoryLimit;

  @Option(names = "--metrics-port", paramLabel = "PORT",
      description = "Serve /metrics for Prometheus on this port, on --host (or --bind-address); 0 for any free port, "
          + "logged (default: no metrics port).")
  Integer metricsPort;
  @Mixin MemoryOptions memoryOptions;

  /** How long a nanny waits for its worker's graceful stop beyond the worker's retire timeout. */
  static final Duration STOP_MARGIN = Duration.ofSeconds(30);

  private void checkMetricsPort() {
    Ports.checkPort(metricsPort, "--metrics-port");
    if (metricsPort != 0 && metricsPort == join.port) {
      throw new TasklaneCli.UserError("--metrics-port " + metricsPort + " is already the --port; choose another");
    }
    String bind = join.bindAddress != null ? join.bindAddress : join.host();
    if (!HostAddress.portFree(bind, metricsPort)) {
      throw new TasklaneCli.UserError("port " + metricsPort + " on " + bind
          + " is in use; choose another with --metrics-port (or 0)");
    }
  }

  @Override
  public Integer call() throws Exception {
    if (nthreads < 0) {
      throw new TasklaneCli.UserError("--nthreads must be at least 1 (or 0 for the number of cores), got " + nthreads);
    }
    try {
      org.tasklane.worker.WorkerNames.check(nworkers);
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError(e.getMessage());
    }
    RestartPolicy policy = nanny.policy();
    join.check();
    NodeConfig nc = join.nodeConfig("worker").set("tasklane.worker.nthreads", nthreads)
        .set("tasklane.worker.nworkers", nworkers);
    if (name != null) {
      nc.set("tasklane.worker.name", name);
    }
    if (memoryLimit != null) {
      nc.set("tasklane.worker.memory-limit", memoryLimit);
    }
    if (metricsPort != null) {
      checkMetricsPort();
      nc.set("tasklane.worker.metrics.port", metricsPort);
      if (join.bindAddress != null) {
        nc.set("tasklane.worker.metrics.address", join.bindAddress);
      }
    }
    memoryOptions.apply(nc);
    workerLogs.applyToWorker(nc);
    if (noProfile) {
      nc.set("tasklane.worker.profile.enabled", false);
    }
    com.typesafe.config.Config config = nc.build();
    if (nanny.wanted()) {
      Duration stopTimeout = config.getDuration("tasklane.worker.retire-timeout").plus(STOP_MARGIN);
      java.util.List<String> args = NannyOptions.childArgs(spec.commandLine().getParseResult().originalArgs());
      return new Nanny("worker", Nanny.javaCommand(args), policy, stopTimeout).run();
    }
    NodeLogging.start(name != null ? name : "worker");
    nanny.stopWhenNannyGoes("worker");
    InspectSettings inspect = InspectSettings.fromConfig(config);
    if (inspect.logs()) {
      // what its tasks print joins the JVM's log lines, with the task (the worker page shows them)
      TaskOutputCapture.install(LogBufferAppender.install(inspect));
    }
    return NodeRunner.runRejoining("worker", () -> {
      join.awaitScheduler("worker", config);
      org.apache.pekko.actor.typed.ActorSystem<Void> system = WorkerMain.start(config);
      Management.start(system, "worker");
      return system;
    });
  }
}
