package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;

/**
 * {@code bin/tasklane} as a user runs it: help, bad options, ports in use, unreachable schedulers,
 * bad graph files (each a non-zero exit and one line on stderr, never a stack trace), and
 * {@code submit} against a real cluster.
 */
class CliSystemTest {
  static final String LOGS = "cli";
  static final Duration QUICK = Duration.ofSeconds(60);
  static final ObjectMapper JSON = new ObjectMapper();

  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("cli", 1, 1);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  // ------------------------------------------------------------------ help

  @Test
  void helpOfEveryCommandExitsZeroAndListsItsOptions() throws Exception {
    assertHelp("help-tasklane", List.of("--help"), "Usage: tasklane", "local", "scheduler", "worker", "submit");
    assertHelp("help-local", List.of("local", "--help"), "Usage: tasklane local", "--workers", "--nthreads", "--demo",
        "--api-port", "--max-graph-bytes");
    assertHelp("help-scheduler", List.of("scheduler", "--help"), "Usage: tasklane scheduler", "--host", "--port",
        "--api-port", "--max-graph-bytes", "--config");
    assertHelp("help-worker", List.of("worker", "--help"), "Usage: tasklane worker", "--scheduler", "--nthreads",
        "--join-timeout", "--name");
    assertHelp("help-submit", List.of("submit", "--help"), "Usage: tasklane submit", "GRAPH", "--scheduler", "--wait",
        "--timeout", "demo:");
  }

  static void assertHelp(String label, List<String> args, String... mentions) throws Exception {
    CliRun r = CliRun.run(LOGS, label, QUICK, args.toArray(new String[0]));
    assertEquals(0, r.exit(), r::describe);
    for (String m : mentions) {
      assertTrue(r.out().contains(m), () -> "help mentions " + m + ": " + r.describe());
    }
    assertNoStackTrace(r);
  }

  // ------------------------------------------------------------------ bad options: exit 2, one line

  @Test
  void unknownOptionIsOneLineNamingItAndExitCode2() throws Exception {
    CliRun r = CliRun.run(LOGS, "unknown-option", QUICK, "worker", "--bogus");
    assertEquals(2, r.exit(), r::describe);
    assertOneLineError(r, "--bogus");
  }

  @Test
  void unknownOptionBesideValidOnesAndUnknownCommandAreOneLineAndExitCode2() throws Exception {
    CliRun r = CliRun.run(LOGS, "unknown-option-2", QUICK, "worker", "--scheduler", "127.0.0.1:1", "--bogus");
    assertEquals(2, r.exit(), r::describe);
    assertOneLineError(r, "--bogus", "tasklane worker --help");

    CliRun command = CliRun.run(LOGS, "unknown-command", QUICK, "bogus");
    assertEquals(2, command.exit(), command::describe);
    assertOneLineError(command, "bogus", "tasklane --help");
  }

  @Test
  void badOptionValueIsOneLineAndExitCode2() throws Exception {
    CliRun r = CliRun.run(LOGS, "bad-port-value", QUICK, "scheduler", "--port", "abc");
    assertEquals(2, r.exit(), r::describe);
    assertOneLineError(r, "--port", "abc");

    CliRun size = CliRun.run(LOGS, "bad-graph-size", QUICK, "scheduler", "--max-graph-bytes", "lots");
    assertEquals(2, size.exit(), size::describe);
    assertOneLineError(size, "--max-graph-bytes", "lots");
  }

  // ------------------------------------------------------------------ failures to start: exit 1, one line

  @Test
  void clusterPortInUseIsOneLineNamingPortOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      CliRun r = CliRun.run(LOGS, "port-in-use", QUICK, "scheduler", "--host", "127.0.0.1", "--port", "" + port,
          "--api-port", "" + LocalCluster.freePort(), "--no-dashboard");
      assertEquals(1, r.exit(), r::describe);
      assertOneLineError(r, "port " + port, "in use", "--port");
    }
  }

  @Test
  void schedulerOnPortZeroIsOneLine() throws Exception {
    // before, it started, then tried for a minute to join itself at port 0 and gave up
    CliRun r = CliRun.run(LOGS, "port-zero", QUICK, "scheduler", "--host", "127.0.0.1", "--port", "0",
        "--api-port", "" + LocalCluster.freePort(), "--no-dashboard");
    assertEquals(1, r.exit(), r::describe);
    assertOneLineError(r, "--port 0", "fixed one");
  }

  @Test
  void apiPortInUseIsOneLineNamingApiPortOption() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int apiPort = taken.getLocalPort();
      CliRun r = CliRun.run(LOGS, "api-port-in-use", QUICK, "scheduler", "--host", "127.0.0.1",
          "--port", "" + LocalCluster.freePort(), "--api-port", "" + apiPort, "--no-dashboard");
      assertEquals(1, r.exit(), r::describe);
      assertOneLineError(r, "port " + apiPort, "in use", "--api-port");
    }
  }

  @Test
  void workerThatCannotReachTheSchedulerSaysWhereItTriedAndExits1() throws Exception {
    int nobody = LocalCluster.freePort();
    CliRun r = CliRun.run(LOGS, "worker-unreachable", QUICK, "worker", "--scheduler", "127.0.0.1:" + nobody,
        "--host", "127.0.0.1", "--join-timeout", "3s");
    assertEquals(1, r.exit(), r::describe);
    assertNoStackTrace(r);
    List<String> lines = r.errLines();
    assertFalse(lines.isEmpty(), r::describe);
    String last = lines.get(lines.size() - 1);
    assertTrue(last.startsWith("worker: cannot reach the scheduler at 127.0.0.1:" + nobody), r::describe);
    assertTrue(last.contains("--scheduler"), r::describe);
  }

  @Test
  void workerWithAnotherClusterNameNeverJoinsAndSaysSoInOneLine() throws Exception {
    var run = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return CliRun.run(LOGS, "worker-other-cluster", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
            "--host", "127.0.0.1", "--cluster-name", "other", "--name", "intruder", "--join-timeout", "5s");
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    });
    // while it tries, and after it gave up, the scheduler lists only its own worker
    do {
      JsonNode workers = cluster.client().workers();
      assertEquals(1, workers.size(), workers::toString);
      assertFalse(workers.toString().contains("intruder"), workers::toString);
    } while (!waitFor(run, Duration.ofMillis(250)));
    CliRun r = run.join();
    assertEquals(1, r.exit(), r::describe);
    assertNoStackTrace(r);
    List<String> lines = r.errLines();
    assertEquals(1, lines.size(), r::describe);
    assertTrue(lines.get(0).startsWith("worker: could not join the cluster at [pekko://other@127.0.0.1:" + cluster.port()
        + "]: no scheduler of a cluster named 'other' answered"), r::describe);
    assertTrue(lines.get(0).contains("check --cluster-name"), r::describe);

    CliRun bad = CliRun.run(LOGS, "worker-bad-cluster-name", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--cluster-name", "no spaces");
    assertEquals(1, bad.exit(), bad::describe);
    assertOneLineError(bad, "--cluster-name", "'no spaces'");
  }

  /** Whether {@code f} completes within {@code d}. */
  static boolean waitFor(java.util.concurrent.CompletableFuture<?> f, Duration d) {
    try {
      f.get(d.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (Exception e) {
      return true; // join() reports it
    }
  }

  @Test
  void submitToAnUnreachableApiIsOneLineAndExits1() throws Exception {
    int nobody = LocalCluster.freePort();
    CliRun r = CliRun.run(LOGS, "submit-unreachable", QUICK, "submit", "demo:tree:5", "--scheduler",
        "127.0.0.1:" + nobody);
    assertEquals(1, r.exit(), r::describe);
    assertOneLineError(r, "submit: cannot reach the scheduler API at http://127.0.0.1:" + nobody);
    assertEquals("", r.out(), r::describe);
  }

  @Test
  void submitOfAMissingFileIsOneLineAndExits1() throws Exception {
    CliRun r = CliRun.run(LOGS, "submit-no-file", QUICK, "submit", "no-such-file.json", "--scheduler",
        "127.0.0.1:" + cluster.apiPort());
    assertEquals(1, r.exit(), r::describe);
    assertOneLineError(r, "no such file: no-such-file.json");
  }

  @Test
  void submitOfAGraphWithACycleIsRejectedBeforeContactingAnyScheduler() throws Exception {
    Path file = Files.createTempFile("cycle", ".json");
    try (ServerSocketChannel fakeApi = ServerSocketChannel.open()) {
      Files.writeString(file, "{\"tasks\": ["
          + "{\"key\": \"x\", \"fn\": \"inc\", \"args\": [{\"ref\": \"y\"}]},"
          + "{\"key\": \"y\", \"fn\": \"inc\", \"args\": [{\"ref\": \"x\"}]}]}");
      fakeApi.bind(new InetSocketAddress("127.0.0.1", 0));
      fakeApi.configureBlocking(false);
      int port = ((InetSocketAddress) fakeApi.getLocalAddress()).getPort();
      CliRun r = CliRun.run(LOGS, "submit-cycle", QUICK, "submit", file.toString(), "--scheduler", "127.0.0.1:" + port);
      assertEquals(1, r.exit(), r::describe);
      assertOneLineError(r, "cycle: x -> y -> x (2 keys");
      assertNull(fakeApi.accept(), "submit did not connect to the scheduler");
    } finally {
      Files.deleteIfExists(file);
    }
  }

  // ------------------------------------------------------------------ submit to a real cluster

  @Test
  void submitWaitPrintsTheResultsAsJsonAndProgressOnStderr() throws Exception {
    CliRun r = CliRun.run(LOGS, "submit-tree-wait", Duration.ofMinutes(2), "submit", "demo:tree:100", "--scheduler",
        "127.0.0.1:" + cluster.apiPort(), "--wait");
    assertEquals(0, r.exit(), r::describe);
    JsonNode out = parse(r);
    assertEquals(DemoGraphs.treeSum(100), out.path("results").path("total").asLong(), r::describe);
    assertEquals(0, out.path("errors").size(), r::describe);
    assertTrue(r.err().contains("submitted graph " + out.path("id").asText()), r::describe);
    int tasks = DemoGraphs.tree(100).tasks().size();
    assertTrue(r.err().contains("done: " + tasks + " of " + tasks + " tasks done, 0 erred"), r::describe);
    assertNoStackTrace(r);
    // without --keep the results are dropped once printed
    String id = out.path("id").asText();
    LocalCluster.await(Duration.ofSeconds(10), "graph " + id + " forgotten",
        () -> cluster.client().graphs().stream().noneMatch(g -> g.id().equals(id)));
  }

  @Test
  void submitWithoutWaitPrintsOnlyTheGraphId() throws Exception {
    CliRun r = CliRun.run(LOGS, "submit-tree", QUICK, "submit", "demo:tree:20", "--scheduler",
        "127.0.0.1:" + cluster.apiPort());
    assertEquals(0, r.exit(), r::describe);
    String id = r.out().strip();
    assertTrue(id.matches("[A-Za-z0-9_-]{22}"), r::describe);
    assertEquals(id + "\n", r.out(), "nothing but the id on stdout");
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(1));
    assertEquals("done", status.state(), status::toString);
    assertEquals(DemoGraphs.treeSum(20), cluster.client().results(id).results().get("total").asLong());
    cluster.client().forget(id);
  }

  @Test
  void submitWaitOfAGraphWithErrorsExits1AndStillPrintsTheResults() throws Exception {
    CliRun r = CliRun.run(LOGS, "submit-mixed-wait", Duration.ofMinutes(2), "submit", "demo:mixed", "--scheduler",
        "127.0.0.1:" + cluster.apiPort(), "--wait");
    assertEquals(1, r.exit(), r::describe);
    JsonNode out = parse(r);
    assertTrue(out.path("results").path("total").isNumber(), r::describe);
    JsonNode errors = out.path("errors");
    assertEquals("dependency flaky-0 failed", errors.path("after-flaky-0").asText(), r::describe);
    assertEquals("dependency flaky-1 failed", errors.path("after-flaky-1").asText(), r::describe);
    assertEquals(2, errors.size(), () -> "only wanted keys are reported: " + r.describe());
    assertTrue(r.err().contains("4 erred"), () -> "the progress shows the erred tasks: " + r.describe());
    assertNoStackTrace(r);
  }

  @Test
  void submitOfAGraphFileOver8MiBButUnderTheDefaultLimitIsAccepted() throws Exception {
    // a small graph padded with JSON whitespace: 9 MiB to send, little to parse or run. Over
    // Pekko HTTP's default max-content-length (8m), under the scheduler's default 64MiB.
    String graph = JSON.writeValueAsString(DemoGraphs.tree(10));
    Path file = Files.createTempFile("padded", ".json");
    try {
      Files.writeString(file, graph.substring(0, graph.length() - 1) + " ".repeat(9 << 20) + "}");
      CliRun r = CliRun.run(LOGS, "submit-9mib-wait", Duration.ofMinutes(2), "submit", file.toString(),
          "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--wait");
      assertEquals(0, r.exit(), r::describe);
      assertEquals(DemoGraphs.treeSum(10), parse(r).path("results").path("total").asLong(), r::describe);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  // ------------------------------------------------------------------ helpers

  static JsonNode parse(CliRun r) {
    try {
      return JSON.readTree(r.out());
    } catch (Exception e) {
      throw new AssertionError("stdout is not one JSON document: " + r.describe(), e);
    }
  }

  /** Exactly one line on stderr, holding every part, and no stack trace anywhere. */
  static void assertOneLineError(CliRun r, String... parts) {
    assertNoStackTrace(r);
    assertEquals(1, r.errLines().size(), () -> "one line on stderr: " + r.describe());
    for (String p : parts) {
      assertTrue(r.errLines().get(0).contains(p), () -> "the error names " + p + ": " + r.describe());
    }
  }

  /**
   * The command printed no Java stack trace of its own. A task's remote trace may be in the printed
   * results ({@code "traces"}: JSON strings, their line breaks escaped), which is data, not a crash.
   */
  static void assertNoStackTrace(CliRun r) {
    assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), () -> "no stack trace: " + r.describe());
    for (String line : r.out().split("\n")) {
      assertFalse(line.startsWith("\tat ") || line.startsWith("Exception in thread") || line.startsWith("Caused by:"),
          () -> "no stack trace: " + r.describe());
    }
  }
}
