package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.client.TasklaneException;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * The scheduler is killed (SIGKILL) while a graph runs and clients wait on it: the clients end with
 * one clear line; every worker and the standalone dashboard says so in one line and keeps its
 * process; a scheduler started again on the same address gets them back without restarting them,
 * a new graph runs on them, the dashboard shows the new scheduler's state, and the new scheduler
 * says clearly that it does not know the lost graph.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SchedulerRestartSystemTest {
  static final String NAME = "scheduler-restart";

  @Test
  void workersAndDashboardOutliveTheSchedulerAndJoinItsSuccessorWhileClientsGetAClearError() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(NAME, 2, 1, "--no-dashboard")) {
      int dashboardPort = LocalCluster.freePort();
      cluster.start("dashboard", "dashboard", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
          "--dashboard-port", "" + dashboardPort, "--dashboard-address", "127.0.0.1");
      String dashboard = "http://127.0.0.1:" + dashboardPort + "/";
      LocalCluster.await(Duration.ofSeconds(90), "the dashboard follows the scheduler", () -> connected(dashboard));

      // a graph that takes a while (its tasks sleep: two cores are shared by five JVMs), and two
      // clients waiting on it: bin/tasklane submit --wait, and the Java client's awaitDone
      int leaves = 3000;
      Path graphFile = cluster.logs().resolve("napping-tree.json");
      Files.write(graphFile, new ObjectMapper().writeValueAsBytes(nappingTree(leaves, 0.05)));
      Path cliErr = cluster.logs().resolve("submit-wait.err");
      Process cli = cluster.builder("submit-wait", "submit", graphFile.toString(),
              "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--wait")
          .redirectErrorStream(false)
          .redirectOutput(ProcessBuilder.Redirect.to(cluster.logs().resolve("submit-wait.out").toFile()))
          .redirectError(ProcessBuilder.Redirect.to(cliErr.toFile()))
          .start();
      try {
        killAndRestartTheScheduler(cluster, dashboard, cli, cliErr, leaves);
      } finally {
        if (cli.isAlive()) {
          cli.destroyForcibly();
          cli.waitFor(10, TimeUnit.SECONDS);
        }
      }
    }
  }

  private static void killAndRestartTheScheduler(LocalCluster cluster, String dashboard, Process cli, Path cliErr,
      int leaves) throws Exception {
    List<String> nodes = List.of("worker-1", "worker-2", "dashboard");
    Map<String, Process> before = new LinkedHashMap<>();
    nodes.forEach(n -> before.put(n, cluster.processes().get(n)));
    LocalCluster.await(Duration.ofSeconds(90), "the CLI's graph is running", () -> cluster.client().graphs().size() == 1);
    String cliGraph = cluster.client().graphs().get(0).id();
    String javaGraph = cluster.client().submit(nappingTree(leaves, 0.05));
    TasklaneClient waiter = new TasklaneClient(URI.create("http://127.0.0.1:" + cluster.apiPort() + "/"));
    CompletableFuture<GraphStatus> javaWait =
        CompletableFuture.supplyAsync(() -> waiter.awaitDone(javaGraph, Duration.ofMinutes(4)));
    LocalCluster.await(Duration.ofSeconds(60), "tasks done", () -> cluster.client().status(cliGraph).done() > 20);

    Map<String, Long> logMark = new LinkedHashMap<>();
    for (String n : nodes) {
      logMark.put(n, Files.size(log(cluster, n)));
    }
    cluster.kill("scheduler");
    long killedAt = System.nanoTime();

    // the clients: one clear line each, no hang
    assertTrue(cli.waitFor(60, TimeUnit.SECONDS), "submit --wait still waits a minute after the scheduler died");
    String errText = Files.readString(cliErr, StandardCharsets.UTF_8);
    assertEquals(1, cli.exitValue(), errText);
    List<String> err = errText.lines().filter(l -> !l.isBlank()).toList();
    String last = err.get(err.size() - 1);
    assertTrue(last.startsWith("submit: lost contact with the scheduler at http://127.0.0.1:" + cluster.apiPort()
        + "/ while waiting for graph " + cliGraph + " ("), errText);
    assertTrue(last.endsWith("submit it again"), errText);
    assertFalse(errText.contains("Exception"), errText);
    Throwable javaFailure = failureOf(javaWait);
    assertTrue(javaFailure instanceof TasklaneException, javaFailure::toString);
    assertTrue(javaFailure.getMessage().startsWith("lost contact with the scheduler at http://127.0.0.1:"
        + cluster.apiPort() + "/ while waiting for graph " + javaGraph), javaFailure::toString);
    System.out.printf("clients ended %.1f s after the kill: %s%n", (System.nanoTime() - killedAt) / 1e9, last);

    // every worker and the dashboard: exactly one line saying so, and the process keeps running
    String gone = "lost the scheduler at 127.0.0.1:" + cluster.port()
        + " (it stopped, or the network to it failed); waiting for a scheduler to come back at that address";
    for (String n : nodes) {
      LocalCluster.await(Duration.ofSeconds(90), n + " says it lost the scheduler",
          () -> linesSince(cluster, n, logMark.get(n)).stream().anyMatch(l -> l.contains(gone)));
    }
    System.out.printf("the nodes said so %.1f s after the kill%n", (System.nanoTime() - killedAt) / 1e9);
    for (String n : nodes) {
      List<String> lines = linesSince(cluster, n, logMark.get(n));
      assertEquals(1, lines.stream().filter(l -> l.contains("lost the scheduler")).count(), () -> n + ": " + lines);
      assertEquals(List.of(), lines.stream().filter(SchedulerRestartSystemTest::alarming).toList(), () -> n + ": " + lines);
      assertTrue(before.get(n).isAlive(), n + " exited");
    }

    // a new scheduler on the same address: the same processes join it and work for it
    cluster.startScheduler();
    cluster.awaitWorkers(2);
    for (String n : nodes) {
      assertSame(before.get(n), cluster.processes().get(n));
      assertTrue(before.get(n).isAlive(), n + " exited");
    }
    // it does not know the lost graphs, and says why that may be
    TasklaneException unknown = assertThrows(TasklaneException.class, () -> cluster.client().status(cliGraph));
    assertEquals(404, unknown.status());
    assertTrue(unknown.getMessage().startsWith("no graph " + cliGraph + " on this scheduler"), unknown::getMessage);
    assertTrue(unknown.getMessage().contains("lost when the scheduler restarted; submit it again"), unknown::getMessage);

    int newLeaves = 200;
    String id = cluster.client().submit(nappingTree(newLeaves, 0.02));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(2));
    assertEquals("done", status.state(), status::toString);
    assertEquals(0, status.erred(), status::toString);
    assertEquals(DemoGraphs.treeSum(newLeaves), cluster.client().results(id).results().get("total").asLong());
    for (JsonNode w : cluster.client().workers()) {
      assertTrue(w.at("/figures/tasks/completed").asLong() > 0, () -> "a worker did nothing for the new scheduler: " + w);
    }

    // the dashboard shows the new scheduler's state: the new graph's counts, nothing of the lost ones
    Map<String, Integer> expected = new LinkedHashMap<>();
    for (GroupProgress g : status.groups()) {
      expected.put(g.name() + " " + g.total(), g.memory() + g.released());
    }
    LocalCluster.await(Duration.ofSeconds(60), "the dashboard shows the new scheduler's counts " + expected,
        () -> connected(dashboard) && expected.equals(groups(dashboard)));
    for (String n : nodes) {
      assertTrue(linesSince(cluster, n, logMark.get(n)).stream().anyMatch(l -> l.contains("answers again; joining")),
          n + " did not say it joined again");
    }
  }

  /** A tree sum whose leaves sleep (value i + 1, as {@link DemoGraphs#tree}: the total is its treeSum). */
  static GraphSpec nappingTree(int leaves, double seconds) {
    GraphSpec tree = DemoGraphs.tree(leaves);
    JsonNodeFactory json = JsonNodeFactory.instance;
    return new GraphSpec("napping-" + leaves, tree.tasks().stream()
        .map(t -> t.fn().equals("inc")
            ? new TaskSpec(t.key(), "sleep", List.of(json.numberNode(seconds), json.numberNode(t.args().get(0).asLong() + 1)),
                null)
            : t)
        .toList(), tree.want());
  }

  static Path log(LocalCluster cluster, String node) {
    return cluster.logs().resolve(node + ".log");
  }

  /** The lines a node logged since its log had {@code mark} bytes. */
  static List<String> linesSince(LocalCluster cluster, String node, long mark) {
    try (RandomAccessFile f = new RandomAccessFile(log(cluster, node).toFile(), "r")) {
      byte[] b = new byte[(int) Math.max(0, f.length() - mark)];
      f.seek(mark);
      f.readFully(b);
      return new String(b, StandardCharsets.UTF_8).lines().filter(l -> !l.isBlank()).toList();
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  /** A warning, an error or a stack trace: what a node must not print when the scheduler dies. */
  static boolean alarming(String line) {
    return line.contains(" WARN ") || line.contains(" ERROR ") || line.startsWith("\tat ")
        || line.contains("Exception");
  }

  static boolean connected(String dashboard) {
    JsonNode st = LocalCluster.getJson(dashboard + "api/v1/status.json");
    return st != null && st.get("connected").asBoolean();
  }

  /** The dashboard's groups: "NAME TOTAL" to how many are done. */
  static Map<String, Integer> groups(String dashboard) {
    Map<String, Integer> out = new LinkedHashMap<>();
    JsonNode groups = LocalCluster.getJson(dashboard + "api/v1/groups.json");
    if (groups != null) {
      groups.forEach(g -> out.put(g.get("name").asText() + " " + g.get("total").asInt(),
          g.get("memory").asInt() + g.get("released").asInt()));
    }
    return out;
  }

  /** How a client's wait ended: it must end, within a minute of the kill, with an exception (returned). */
  static Throwable failureOf(CompletableFuture<?> f) throws Exception {
    try {
      Object value = f.get(60, TimeUnit.SECONDS);
      throw new AssertionError("the wait ended without an error: " + value);
    } catch (java.util.concurrent.ExecutionException e) {
      return e.getCause();
    }
  }
}
