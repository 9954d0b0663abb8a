package org.tasklane.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tasklane cluster up|down|status}: a whole cluster started on a list of hosts over ssh,
 * as {@code dask-ssh} does. With a release archive ({@code --archive}, or the one this unpacked
 * folder came from) it first puts the archive on every host that lacks it ({@link RemoteInstall})
 * and runs the nodes from there; otherwise each process runs {@code bin/tasklane} in the project
 * folder on its host ({@code --remote-home}, by default the same path as here). Each logs to
 * {@code .tasklane/logs/} in the folder it runs from.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = "Start, stop or list a whole cluster on a list of hosts, over ssh.",
    subcommands = {ClusterCommand.Up.class, ClusterCommand.Down.class, ClusterCommand.Status.class})
final class ClusterCommand implements Runnable {
  static final String DEFAULT_STATE = ".tasklane/cluster.json";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give a subcommand: up, down or status");
  }

  @Command(name = "up", mixinStandardHelpOptions = true,
      description = "Start the scheduler on the first host of HOSTS, workers on the others (and a dashboard on a 'dashboard HOST' line).")
  static final class Up implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "HOSTS", description = "A file with one host per line (the first is the scheduler's).")
    Path hostsFile;

    @Option(names = "--ssh", defaultValue = "ssh", description = "The command that runs a command on a host: SSH HOST 'CMD' (default: ${DEFAULT-VALUE}).")
    String ssh;

    @Option(names = "--archive", paramLabel = "FILE",
        description = "A tasklane-VERSION.tar.gz to copy to the hosts that lack it and run from there (default: the one "
            + "this folder was unpacked from, if it lies beside it; from a source checkout: none).")
    Path archive;

    @Option(names = "--install-dir", paramLabel = "DIR", defaultValue = "~/.tasklane",
        description = "Where the archive is kept and unpacked on each host (default: ${DEFAULT-VALUE}).")
    String installDir;

    @Option(names = "--remote-home", description = "Without an archive: the Tasklane folder on the hosts (default: this one's path).")
    String remoteHome;

    @Option(names = "--remote-java", description = "The java to run on the hosts (default: the hosts' JAVA_HOME or PATH).")
    String remoteJava;

    @Option(names = "--port", defaultValue = "" + SchedulerCommand.DEFAULT_PORT, description = "The scheduler's cluster port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--api-port", defaultValue = "" + SchedulerCommand.DEFAULT_API_PORT, description = "The client API port (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--dashboard-port", defaultValue = "8787", description = "The dashboard's port (default: ${DEFAULT-VALUE}).")
    int dashboardPort;

    @Option(names = "--nthreads", defaultValue = "0", description = "Threads per worker (default: the host's cores).")
    int nthreads;

    @Option(names = "--java-opts", description = "JVM options for every process (TASKLANE_JAVA_OPTS).")
    String javaOpts;

    @Option(names = "--state", defaultValue = DEFAULT_STATE, description = "Where to record what was started (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--cluster-name", paramLabel = "NAME",
        description = "The cluster's name, given to every node (default: tasklane).")
    String clusterName;

    @Option(names = "--auth-file", paramLabel = "FILE",
        description = "The token file, at this path on the scheduler's and the dashboard's hosts, that their HTTP ports require.")
    String authFile;

    @Option(names = "--no-nanny",
        description = "Run each worker as one process, without a nanny that starts it again when it dies.")
    boolean noNanny;

    @Option(names = "--tls-dir", paramLabel = "DIR",
        description = "TLS between the nodes and on their HTTP ports: the folder 'tasklane certs DIR --hosts ...' made, "
            + "at this path on every host (each node takes its host's subfolder); given to every node.")
    String tlsDir;

    @Override
    public Integer call() {
      HostsFile hosts = HostsFile.read(hostsFile);
      if (Files.exists(state)) {
        throw new TasklaneCli.UserError("a cluster is recorded in " + state + " already; run 'tasklane cluster down' first");
      }
      RemoteShell shell = new RemoteShell(ssh);
      ReleaseArchive release = archive != null ? ReleaseArchive.of(archive) : ReleaseArchive.besideUnpacked(Path.of(localHome()));
      String home;
      if (release != null) {
        if (remoteHome != null) {
          throw new TasklaneCli.UserError("--remote-home is for running from the same folder on every host; "
              + "with an archive (" + release.file() + ") the nodes run from --install-dir");
        }
        RemoteInstall install = new RemoteInstall(shell, release, installDir);
        hosts.all().forEach(install::ensureOn);
        home = install.home();
      } else {
        home = remoteHome != null ? remoteHome : localHome();
        System.err.println("cluster: no release archive (--archive); running bin/tasklane in " + home + " on every host");
      }
      List<ClusterState.Entry> started = new ArrayList<>();
      try {
        List<String> sched = new ArrayList<>(List.of("scheduler", "--host", hosts.scheduler(), "--port", "" + port,
            "--api-port", "" + apiPort));
        if (hosts.dashboard() != null) {
          sched.add("--no-dashboard");
        } else {
          sched.addAll(List.of("--dashboard-port", "" + dashboardPort));
        }
        started.add(start(shell, home, "scheduler", hosts.scheduler(), withShared(sched, true)));
        String seed = hosts.scheduler() + ":" + port;
        int i = 0;
        for (String w : hosts.workers()) {
          i++;
          List<String> worker = new ArrayList<>(List.of("worker", "--scheduler", seed, "--host", w,
              "--nthreads", "" + nthreads, "--nworkers", "" + hosts.nworkers().get(i - 1), "--name", "worker-" + i + "@" + w));
          if (noNanny) {
            worker.add("--no-nanny");
          }
          started.add(start(shell, home, "worker", w, withShared(worker, false)));
        }
        if (hosts.dashboard() != null) {
          started.add(start(shell, home, "dashboard", hosts.dashboard(), withShared(List.of("dashboard", "--scheduler", seed,
              "--host", hosts.dashboard(), "--dashboard-port", "" + dashboardPort), true)));
        }
      } finally {
        new ClusterState(ssh, home, started).write(state);
      }
      String dashHost = hosts.dashboard() != null ? hosts.dashboard() : hosts.scheduler();
      String scheme = tlsDir != null ? "https" : "http";
      System.out.println("cluster up: scheduler on " + hosts.scheduler() + ", " + hosts.workers().size()
          + " workers; client API at " + scheme + "://" + hosts.scheduler() + ":" + apiPort + "/api/v1/ ; dashboard at "
          + scheme + "://" + dashHost + ":" + dashboardPort + "/status ; state in " + state);
      return 0;
    }

    /** The options every node shares: the cluster's name, its TLS folder, and the auth file for the nodes that serve HTTP. */
    private List<String> withShared(List<String> args, boolean servesHttp) {
      List<String> all = new ArrayList<>(args);
      if (clusterName != null) {
        all.addAll(List.of("--cluster-name", clusterName));
      }
      if (tlsDir != null) {
        all.addAll(List.of("--tls-dir", tlsDir));
      }
      if (authFile != null && servesHttp) {
        all.addAll(List.of("--auth-file", authFile));
      }
      return all;
    }

    private ClusterState.Entry start(RemoteShell shell, String home, String role, String host, List<String> args) {
      String log = ".tasklane/logs/" + role + "-" + host + ".log";
      // separate statements: "a && b & echo $!" would background the whole list, not just the node
      StringBuilder cmd = new StringBuilder("cd ").append(RemoteShell.quotePath(home)).append(" || exit 1; mkdir -p .tasklane/logs; ");
      if (remoteJava != null) {
        cmd.append("TASKLANE_JAVA=").append(RemoteShell.quote(remoteJava)).append(' ');
      }
      if (javaOpts != null) {
        cmd.append("TASKLANE_JAVA_OPTS=").append(RemoteShell.quote(javaOpts)).append(' ');
      }
      cmd.append("nohup bin/tasklane");
      for (String a : args) {
        cmd.append(' ').append(RemoteShell.quote(a));
      }
      cmd.append(" > ").append(log).append(" 2>&1 < /dev/null & echo $!");
      RemoteShell.Result r = shell.run(host, cmd.toString(), 60);
      String[] lines = r.output().split("\n");
      String last = lines[lines.length - 1].trim();
      if (r.exitCode() != 0 || !last.matches("\\d+")) {
        throw new TasklaneCli.UserError("could not start the " + role + " on " + host + " (exit " + r.exitCode() + "): "
            + r.output().replace('\n', ' '));
      }
      System.err.println("cluster: started the " + role + " on " + host + " (pid " + last + ", log " + home + "/" + log + ")");
      return new ClusterState.Entry(role, host, Long.parseLong(last), log);
    }

    private static String localHome() {
      String h = System.getenv("TASKLANE_HOME");
      return h != null ? h : Path.of("").toAbsolutePath().toString();
    }
  }

  @Command(name = "down", mixinStandardHelpOptions = true, description = "Stop every process 'cluster up' started.")
  static final class Down implements Callable<Integer> {
    @Option(names = "--state", defaultValue = DEFAULT_STATE, description = "The record 'cluster up' wrote (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--ssh", description = "The ssh command (default: the one 'cluster up' used).")
    String ssh;

    @Override
    public Integer call() throws Exception {
      ClusterState s = ClusterState.read(state);
      RemoteShell shell = new RemoteShell(ssh != null ? ssh : s.ssh());
      List<ClusterState.Entry> entries = new ArrayList<>(s.processes());
      java.util.Collections.reverse(entries); // dashboards and workers first, the scheduler last
      int failures = 0;
      for (ClusterState.Entry e : entries) {
        // SIGTERM, up to 20 s for a clean leave, then SIGKILL; to a worker's child too (the
        // process recorded is its nanny, which stops its child on SIGTERM but not on SIGKILL)
        String cmd = "kids=$(pgrep -P " + e.pid() + " 2>/dev/null); kill " + e.pid() + " 2>/dev/null; "
            + "for i in $(seq 1 40); do kill -0 " + e.pid() + " 2>/dev/null || exit 0; sleep 0.5; done; "
            + "kill -9 " + e.pid() + " $kids 2>/dev/null; exit 0";
        RemoteShell.Result r = shell.run(e.host(), cmd, 60);
        if (r.exitCode() == 0) {
          System.err.println("cluster: stopped the " + e.role() + " on " + e.host() + " (pid " + e.pid() + ")");
        } else {
          failures++;
          System.err.println("cluster: could not stop the " + e.role() + " on " + e.host() + ": " + r.output());
        }
      }
      if (failures == 0) {
        Files.deleteIfExists(state);
        return 0;
      }
      return TasklaneCli.EXIT_FAILURE;
    }
  }

  @Command(name = "status", mixinStandardHelpOptions = true, description = "Show what 'cluster up' started and whether it still runs.")
  static final class Status implements Callable<Integer> {
    @Option(names = "--state", defaultValue = DEFAULT_STATE, description = "The record 'cluster up' wrote (default: ${DEFAULT-VALUE}).")
    Path state;

    @Option(names = "--ssh", description = "The ssh command (default: the one 'cluster up' used).")
    String ssh;

    @Override
    public Integer call() {
      ClusterState s = ClusterState.read(state);
      RemoteShell shell = new RemoteShell(ssh != null ? ssh : s.ssh());
      int running = 0;
      System.out.printf("%-10s %-24s %-8s %s%n", "ROLE", "HOST", "PID", "STATE");
      for (ClusterState.Entry e : s.processes()) {
        RemoteShell.Result r = shell.run(e.host(), "kill -0 " + e.pid() + " 2>/dev/null && echo running || echo stopped", 30);
        String st = r.exitCode() == 0 ? r.output() : "unknown (" + r.output().replace('\n', ' ') + ")";
        if (st.equals("running")) {
          running++;
        }
        System.out.printf("%-10s %-24s %-8d %s%n", e.role(), e.host(), e.pid(), st);
      }
      return running == s.processes().size() ? 0 : TasklaneCli.EXIT_FAILURE;
    }
  }
}
