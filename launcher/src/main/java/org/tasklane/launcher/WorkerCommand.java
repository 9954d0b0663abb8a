package org.tasklane.launcher;

import java.io.File;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.worker.WorkerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasklane worker}: joins a scheduler's cluster and runs the tasks it is given. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Start a worker that joins the scheduler's cluster and runs tasks.")
final class WorkerCommand implements Callable<Integer> {

  @Option(names = "--scheduler", required = true, paramLabel = "HOST[:PORT]",
      description = "The scheduler's host and cluster port (default port " + SchedulerCommand.DEFAULT_PORT + ").")
  String scheduler;

  @Option(names = "--host", description = "The address other hosts reach this one on (default: this host's address).")
  String host;

  @Option(names = "--port", defaultValue = "0", description = "Cluster port (default: any free port).")
  int port;

  @Option(names = "--bind-address", description = "Interface to bind the cluster port to, if not --host.")
  String bindAddress;

  @Option(names = "--nthreads", defaultValue = "0", description = "Tasks run at once (default: the number of cores).")
  int nthreads;

  @Option(names = "--name", description = "The worker's name (default: its HOST:PORT).")
  String name;

  @Option(names = "--memory-limit", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The memory this worker may use, shown on the dashboard, e.g. 4GiB (default: the host's memory).")
  Long memoryLimit;

  @Option(names = "--join-timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "Give up if the scheduler cannot be reached for this long (default: ${DEFAULT-VALUE}).")
  String joinTimeout;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose settings lie under the command line's.")
  File config;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start(name != null ? name : "worker");
    String[] sp = HostAddress.hostAndPort(scheduler, SchedulerCommand.DEFAULT_PORT);
    String schedHost = sp[0];
    int schedPort = Integer.parseInt(sp[1]);
    Ports.checkPort(port, "--port");
    if (nthreads < 0) {
      throw new TasklaneCli.UserError("--nthreads must be at least 1 (or 0 for the number of cores), got " + nthreads);
    }
    Duration timeout = Durations.parse(joinTimeout, "--join-timeout");
    String h = host != null ? host : HostAddress.detect();
    String bind = bindAddress != null ? bindAddress : h;
    if (!HostAddress.portFree(bind, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + bind + " is in use; choose another with --port (or 0)");
    }
    NodeConfig nc = new NodeConfig("worker", h, port, bindAddress)
        .seed(schedHost, schedPort)
        .set("pekko.cluster.shutdown-after-unsuccessful-join-seed-nodes", timeout.toMillis() + "ms")
        .set("tasklane.worker.nthreads", nthreads)
        .file(config);
    if (name != null) {
      nc.set("tasklane.worker.name", name);
    }
    if (memoryLimit != null) {
      nc.set("tasklane.worker.memory-limit", memoryLimit);
    }
    com.typesafe.config.Config config = nc.build();
    return NodeRunner.runRejoining("worker", () -> {
      SchedulerReachability.await("worker", schedHost, schedPort, timeout);
      return WorkerMain.start(config);
    });
  }
}
