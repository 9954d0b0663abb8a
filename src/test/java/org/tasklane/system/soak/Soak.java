package org.tasklane.system.soak;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;
import org.tasklane.system.LocalCluster;
import org.tasklane.system.WorkerChurn;

/**
 * Everything at once, for a set time: graphs with known answers run while workers are killed,
 * stopped and started, the dashboard is killed and started again, browsers watch it (some never
 * reading), and bad graphs are sent to the API. Then the one table of {@link SoakReport}.
 *
 * <p>{@code bench/soak --minutes N [--seed S] [--sse N]} runs it from the command line;
 * {@code SoakSystemTest} runs a short one in CI with a fixed seed.
 */
public final class Soak {

  /**
   * @param duration how long the faults and the load go on
   * @param seed the seed of every random choice
   * @param workers how many workers run at the start (churn keeps at least one)
   * @param sseReaders browsers that read every event
   * @param sseStallers browsers that never read
   * @param dashboardEvery how often the dashboard is killed and started again
   */
  public record Options(Duration duration, long seed, int workers, int sseReaders, int sseStallers,
      Duration dashboardEvery) {}

  private static final Duration CONNECT = Duration.ofSeconds(60);

  public static void main(String[] args) throws Exception {
    double minutes = 10;
    long seed = 42;
    int sse = 100;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--minutes" -> minutes = Double.parseDouble(args[++i]);
        case "--seed" -> seed = Long.parseLong(args[++i]);
        case "--sse" -> sse = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException(
            "unknown option " + args[i] + "; usage: bench/soak [--minutes N] [--seed S] [--sse READERS]");
      }
    }
    Options o = new Options(Duration.ofSeconds(Math.round(minutes * 60)), seed, 3, sse, Math.max(1, sse / 10),
        Duration.ofSeconds(60));
    SoakReport report = run(o);
    System.out.print(report.table());
    System.exit(report.problems().isEmpty() ? 0 : 1);
  }

  public static SoakReport run(Options o) throws Exception {
    SoakReport report = new SoakReport();
    report.seed = o.seed();
    report.sseClients = o.sseReaders();
    report.sseStallers = o.sseStallers();
    Random random = new Random(o.seed());
    try (LocalCluster cluster = LocalCluster.start("soak", o.workers(), 2, "--no-dashboard")) {
      DashboardNode dashboard = new DashboardNode(cluster, LocalCluster.freePort());
      dashboard.start();
      if (!LocalCluster.within(CONNECT, dashboard::isConnected)) {
        throw new IllegalStateException("the dashboard did not connect; see " + cluster.logs());
      }
      HeapWatch heaps = new HeapWatch(cluster::processes, name -> name.startsWith("worker") ? "workers" : name);
      List<GraphLoad> loads = List.of(new GraphLoad(cluster.client(), random.nextLong()),
          new GraphLoad(cluster.client(), random.nextLong()));
      BadInputs bad = new BadInputs(cluster.client().base(), random.nextLong());
      WorkerChurn churn = new WorkerChurn(cluster, new Random(random.nextLong()));
      List<Thread> threads = new ArrayList<>();
      long started = System.nanoTime();
      Thread watching = started(heaps, "soak-heaps");
      try (SseCrowd crowd = new SseCrowd("127.0.0.1", dashboard.port())) {
        crowd.start(o.sseReaders(), o.sseStallers());
        for (GraphLoad load : loads) {
          threads.add(started(load, "soak-load"));
        }
        threads.add(started(bad, "soak-bad-inputs"));
        Thread churning = started(() -> churn.run(o.duration()), "soak-churn");

        // the dashboard dies and comes back, in this thread: once per dashboardEvery of the
        // duration (at least once), however long each comeback takes
        long deadline = started + o.duration().toNanos();
        for (long n = dashboardRestarts(o); n > 0; n--) {
          Thread.sleep(o.dashboardEvery().toMillis());
          dashboard.kill();
          report.dashboardRestarts++;
          dashboard.start();
          if (LocalCluster.within(CONNECT, dashboard::isConnected)) {
            report.dashboardRestartsSurvived++;
          }
        }
        Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        churning.join();
        loads.forEach(GraphLoad::stop);
        bad.stop();
        for (Thread t : threads) {
          t.join(Duration.ofMinutes(6).toMillis());
        }
        report.seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();

        // the end: a last graph runs, and the dashboard shows the scheduler's counts for it
        finalCheck(cluster, dashboard, report);
        LocalCluster.within(Duration.ofSeconds(30), () -> crowd.connected.get() >= o.sseReaders());
        report.sseHeldAtEnd = crowd.connected.get();
        report.sseEvents = crowd.events.get();
        report.sseReconnects = crowd.reconnects.get();
      }
      heaps.stop();
      watching.interrupt();
      report.heaps.putAll(heaps.finish());
      for (GraphLoad load : loads) {
        report.graphsSubmitted += load.submitted.get();
        report.graphsCompleted += load.completed.get();
        report.graphsCorrect += load.correct.get();
        if (!load.lastProblem.isEmpty()) {
          report.lastGraphProblem = load.lastProblem;
        }
      }
      report.badInputsTried = bad.tried.get();
      report.badInputsRejectedCleanly = bad.rejectedCleanly.get();
      report.badInputsValid = bad.valid.get();
      report.lastUncleanAnswer = bad.lastUnclean;
      report.workerKills = churn.kills();
      report.workerGracefulStops = churn.gracefulStops();
      report.workerStarts = churn.starts();
      report.resultsHandedOff = churn.handedOff();
    }
    return report;
  }

  /** How many times the dashboard is killed and started again in a run. */
  static long dashboardRestarts(Options o) {
    return Math.max(1, o.duration().toMillis() / o.dashboardEvery().toMillis());
  }

  private static void finalCheck(LocalCluster cluster, DashboardNode dashboard, SoakReport report) {
    int leaves = 300;
    String id = cluster.client().submit(DemoGraphs.tree(leaves));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(5));
    JsonNode total = cluster.client().results(id).results().get("total");
    report.clusterHealthyAtEnd = "done".equals(status.state()) && total != null
        && total.asLong() == DemoGraphs.treeSum(leaves);
    Map<String, List<Integer>> expected = schedulerGroups(cluster);
    report.countsMatchAtEnd = LocalCluster.within(Duration.ofSeconds(30), () -> expected.equals(dashboardGroups(dashboard)));
    report.countsAtEnd = "scheduler " + expected + ", dashboard " + dashboardGroups(dashboard);
  }

  /** Per group name, over the graphs the scheduler holds: total, memory, released, erred. */
  private static Map<String, List<Integer>> schedulerGroups(LocalCluster cluster) {
    Map<String, List<Integer>> out = new TreeMap<>();
    cluster.client().graphs().forEach(summary -> {
      for (GroupProgress g : cluster.client().status(summary.id()).groups()) {
        out.merge(g.name(), List.of(g.total(), g.memory(), g.released(), g.erred()), Soak::add);
      }
    });
    return out;
  }

  /** The same, as the dashboard shows it. */
  private static Map<String, List<Integer>> dashboardGroups(DashboardNode dashboard) {
    Map<String, List<Integer>> out = new TreeMap<>();
    JsonNode groups = dashboard.get("api/v1/groups.json");
    if (groups != null) {
      groups.forEach(g -> out.put(g.get("name").asText(), List.of(g.get("total").asInt(), g.get("memory").asInt(),
          g.get("released").asInt(), g.get("erred").asInt())));
    }
    return out;
  }

  private static List<Integer> add(List<Integer> a, List<Integer> b) {
    List<Integer> sum = new ArrayList<>(a.size());
    for (int i = 0; i < a.size(); i++) {
      sum.add(a.get(i) + b.get(i));
    }
    return sum;
  }

  private static Thread started(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }
}
