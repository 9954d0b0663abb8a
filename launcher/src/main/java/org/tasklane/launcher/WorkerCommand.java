package org.tasklane.launcher;

import java.util.concurrent.Callable;
import org.tasklane.worker.WorkerMain;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code tasklane worker}: joins a scheduler's cluster and runs the tasks it is given. */
@Command(
    name = "worker",
    mixinStandardHelpOptions = true,
    description = "Start a worker that joins the scheduler's cluster and runs tasks.")
final class WorkerCommand implements Callable<Integer> {

  @Mixin JoinOptions join;

  @Option(names = "--nthreads", defaultValue = "0", description = "Tasks run at once (default: the number of cores).")
  int nthreads;

  @Option(names = "--name", description = "The worker's name (default: its HOST:PORT).")
  String name;

  @Option(names = "--memory-limit", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The memory this worker may use, shown on the dashboard, e.g. 4GiB (default: the host's memory).")
  Long memoryLimit;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start(name != null ? name : "worker");
    if (nthreads < 0) {
      throw new TasklaneCli.UserError("--nthreads must be at least 1 (or 0 for the number of cores), got " + nthreads);
    }
    join.check();
    NodeConfig nc = join.nodeConfig("worker").set("tasklane.worker.nthreads", nthreads);
    if (name != null) {
      nc.set("tasklane.worker.name", name);
    }
    if (memoryLimit != null) {
      nc.set("tasklane.worker.memory-limit", memoryLimit);
    }
    com.typesafe.config.Config config = nc.build();
    return NodeRunner.runRejoining("worker", () -> {
      join.awaitScheduler("worker");
      return WorkerMain.start(config);
    });
  }
}
