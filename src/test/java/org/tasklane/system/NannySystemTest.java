package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;

/**
 * A worker under its nanny ({@code bin/tasklane worker} without {@code --no-nanny}): SIGKILL to
 * the worker costs one restart, not the worker; SIGTERM to the nanny stops both; a worker that
 * cannot run says so once and is not started again.
 */
class NannySystemTest {
  static final String LOGS = "nanny";
  static final Duration QUICK = Duration.ofSeconds(60);
  static final Pattern STARTED = Pattern.compile("nanny: worker started \\(pid (\\d+)\\)");

  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start(LOGS, 0, 1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** What a log holds after its first {@code from} bytes (logs are appended to, run after run). */
  static String logSince(Path log, long from) {
    try {
      byte[] all = Files.readAllBytes(log);
      return new String(all, (int) from, all.length - (int) from, java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The pids of the workers a nanny started, in order, from its log lines after the first {@code from} bytes. */
  static List<Long> childPids(Path log, long from) {
    List<Long> pids = new ArrayList<>();
    Matcher m = STARTED.matcher(logSince(log, from));
    while (m.find()) {
      pids.add(Long.parseLong(m.group(1)));
    }
    return pids;
  }

  /** The registered worker with this pid, or null. */
  static JsonNode workerWithPid(long pid) {
    for (JsonNode w : cluster.client().workers()) {
      if (w.path("pid").asLong() == pid) {
        return w;
      }
    }
    return null;
  }

  /** True if a worker with this pid is registered with the scheduler. */
  static boolean registered(long pid) {
    return workerWithPid(pid) != null;
  }

  @Test
  void aKilledWorkerIsStartedAgainByItsNannyAndSigtermToTheNannyStopsBoth() throws Exception {
    Path log = cluster.log("nannied");
    long from = Files.exists(log) ? Files.size(log) : 0;
    Process nanny = cluster.startWorker("nannied", 1, true);
    LocalCluster.await(Duration.ofSeconds(90), "the nanny's worker registered",
        () -> childPids(log, from).size() == 1 && registered(childPids(log, from).get(0)));
    long first = childPids(log, from).get(0);
    ProcessHandle firstChild = ProcessHandle.of(first).orElseThrow();
    assertEquals(nanny.pid(), firstChild.parent().map(ProcessHandle::pid).orElse(-1L),
        "the worker that registered is the nanny's child, not the nanny");

    String firstAddress = workerWithPid(first).path("address").asText();
    Path schedulerLog = cluster.log("scheduler");
    long schedulerMark = Files.size(schedulerLog);

    firstChild.destroyForcibly(); // SIGKILL, as the kernel's OOM killer or a task's Runtime.halt ends it
    firstChild.onExit().get(30, TimeUnit.SECONDS);
    LocalCluster.await(Duration.ofSeconds(90), "a new worker registered in the killed one's place",
        () -> childPids(log, from).size() == 2 && registered(childPids(log, from).get(1)));
    long second = childPids(log, from).get(1);
    assertTrue(nanny.isAlive(), "the nanny lives on");
    String text = logSince(log, from);
    assertTrue(text.contains("nanny: worker (pid " + first + ") exited with code 137 after "),
        () -> "the restart line in " + log);
    assertTrue(text.matches("(?s).*\\(pid " + first + "\\) exited with code 137 after [0-9.]+ s \\(killed\\); "
        + "restarting it in 1 s \\(restart 1\\)\n.*"), () -> "the restart line in " + log);

    LocalCluster.await(Duration.ofSeconds(60), "the killed worker left the worker list",
        () -> cluster.client().workers().size() == 1);
    String id = cluster.client().submit(DemoGraphs.tree(100));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(2));
    assertEquals("done", status.state(), () -> "state: " + status);
    assertEquals(DemoGraphs.treeSum(100), cluster.client().results(id).results().get("total").asLong());
    cluster.client().forget(id);

    // stop the new worker only once the killed one is out of the cluster (every node logs this when
    // a member is removed): a worker that saw the dead one unreachable and then stops while that one
    // is still a member can make Pekko's split-brain resolver down every node, the scheduler too
    // ("SBR double DownIndirectlyConnected decision, downing all instead"); not what this test is about
    LocalCluster.await(Duration.ofSeconds(90), "the scheduler removed the killed worker",
        () -> logSince(schedulerLog, schedulerMark).lines().anyMatch(
            l -> l.contains("Association to [pekko://tasklane@" + firstAddress + "]") && l.contains("irrecoverably failed")));

    ProcessHandle secondChild = ProcessHandle.of(second).orElseThrow();
    nanny.destroy(); // SIGTERM to the nanny: it stops its worker gracefully, then exits with its code
    assertTrue(nanny.waitFor(90, TimeUnit.SECONDS), "the nanny exits after SIGTERM");
    int code = nanny.exitValue();
    assertTrue(code == 0 || code == 143, "the worker's code for a graceful stop: " + code);
    assertFalse(secondChild.isAlive(), "the nanny's worker is gone with it, no orphan");
    assertEquals(2, childPids(log, from).size(), "no worker started after SIGTERM");
    assertTrue(logSince(log, from).contains("nanny: stopping the worker (pid " + second + ")"),
        () -> "the stop line in " + log);
    LocalCluster.await(Duration.ofSeconds(30), "the worker list is empty", () -> cluster.client().workers().isEmpty());
  }

  @Test
  void aWorkerThatCannotJoinTheClusterSaysSoOnceAndIsNotStartedAgain() throws Exception {
    CliRun r = CliRun.run(LOGS, "other-cluster", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--host", "127.0.0.1", "--nthreads", "1", "--cluster-name", "other", "--join-timeout", "3s");
    assertEquals(1, r.exit(), r::describe);
    CliSystemTest.assertNoStackTrace(r);
    assertEquals(1, r.errLines().size(), r::describe);
    assertTrue(r.errLines().get(0).startsWith("worker: could not join the cluster at "), r::describe);
    assertEquals(1, STARTED.matcher(r.out()).results().count(), () -> "started once: " + r.describe());
    assertFalse(r.out().contains("restarting") || r.err().contains("restarting"), r::describe);
  }

  @Test
  void badOptionsAreOneLineFromTheNannyAndStartNoWorker() throws Exception {
    CliRun unknown = CliRun.run(LOGS, "unknown-option", QUICK, "worker", "--scheduler", "127.0.0.1:1", "--bogus");
    assertEquals(2, unknown.exit(), unknown::describe);
    CliSystemTest.assertOneLineError(unknown, "--bogus");

    CliRun threads = CliRun.run(LOGS, "bad-nthreads", QUICK, "worker", "--scheduler", "127.0.0.1:1", "--nthreads", "-1");
    assertEquals(1, threads.exit(), threads::describe);
    CliSystemTest.assertOneLineError(threads, "--nthreads");

    CliRun restarts = CliRun.run(LOGS, "bad-max-restarts", QUICK, "worker", "--scheduler", "127.0.0.1:1",
        "--max-restarts", "-1");
    assertEquals(1, restarts.exit(), restarts::describe);
    CliSystemTest.assertOneLineError(restarts, "--max-restarts");

    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      CliRun port = CliRun.run(LOGS, "port-in-use", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
          "--host", "127.0.0.1", "--port", "" + taken.getLocalPort());
      assertEquals(1, port.exit(), port::describe);
      CliSystemTest.assertOneLineError(port, "port " + taken.getLocalPort(), "in use");
    }
    for (CliRun r : List.of(unknown, threads, restarts)) {
      assertFalse(STARTED.matcher(r.out()).find(), () -> "no worker started: " + r.describe());
    }
  }

  @Test
  void helpShowsTheNannyOptionsButNotTheChildFlag() throws Exception {
    CliRun r = CliRun.run(LOGS, "help-worker", QUICK, "worker", "--help");
    assertEquals(0, r.exit(), r::describe);
    for (String option : List.of("--no-nanny", "--max-restarts", "--restart-window")) {
      assertTrue(r.out().contains(option), () -> option + " in " + r.describe());
    }
    assertFalse(r.out().contains("--nanny-child"), r::describe);
    CliRun local = CliRun.run(LOGS, "help-local", QUICK, "local", "--help");
    assertTrue(local.out().contains("--no-nanny"), local::describe);
  }
}
