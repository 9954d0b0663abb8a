package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneException;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * Workers come and go while graphs run: with a fixed seed, a {@link WorkerChurn} SIGKILLs workers,
 * stops them gracefully and starts new ones while two clients submit graphs with known answers.
 * Every graph completes with the right result, a graceful stop handed results off, and at the end
 * the dashboard's counts equal the scheduler's for every graph (each graph's groups have names of
 * their own, so the dashboard's cluster-wide groups are per graph).
 */
class WorkerChurnSystemTest {
  static final long SEED = 20_261_128L;
  static final Duration CHURN = Duration.ofSeconds(20);

  /** A graph submitted, and what its wanted results must be. */
  record Submitted(String id, String kind, long total, List<String> erredWanted) {}

  /** The graph with every group renamed {@code PREFIX-GROUP}. */
  static GraphSpec ownGroups(GraphSpec spec, String prefix) {
    List<TaskSpec> tasks = new ArrayList<>(spec.tasks().size());
    for (TaskSpec t : spec.tasks()) {
      tasks.add(new TaskSpec(t.key(), t.fn(), t.args(), prefix + "-" + t.groupName()));
    }
    return new GraphSpec(spec.name(), tasks, spec.want());
  }

  /** {@link DemoGraphs#mixed}'s total: the 16 payload lengths plus the 24 pair sums of slowinc(i) = i + 1. */
  static long mixedTotal() {
    long total = 0;
    for (int i = 0; i < 16; i++) {
      total += 100_000 + 10_000 * i;
    }
    for (int i = 0; i < 48; i++) {
      total += i + 1;
    }
    return total;
  }

  /** Submits graphs one after another, each once the last is done, until stopped. */
  static final class Client implements Runnable {
    final LocalCluster cluster;
    final Random random;
    final AtomicBoolean stop;
    final List<Submitted> submitted;
    final AtomicInteger seq;

    Client(LocalCluster cluster, long seed, AtomicBoolean stop, List<Submitted> submitted, AtomicInteger seq) {
      this.cluster = cluster;
      this.random = new Random(seed);
      this.stop = stop;
      this.submitted = submitted;
      this.seq = seq;
    }

    @Override
    public void run() {
      while (!stop.get()) {
        int n = seq.incrementAndGet();
        String id;
        if (random.nextInt(4) == 0) {
          id = cluster.client().submit(ownGroups(DemoGraphs.mixed(n), "g" + n));
          submitted.add(new Submitted(id, "mixed", mixedTotal(), List.of("after-flaky-0", "after-flaky-1")));
        } else {
          int leaves = 50 + random.nextInt(200);
          id = cluster.client().submit(ownGroups(DemoGraphs.tree(leaves, random.nextBoolean() ? 0.005 : 0), "g" + n));
          submitted.add(new Submitted(id, "tree-" + leaves, DemoGraphs.treeSum(leaves), List.of()));
        }
        // one graph at a time per client: the churn meets graphs in every phase
        cluster.client().awaitDone(id, Duration.ofMinutes(3));
      }
    }
  }

  /** The graph's wanted results once they can be read (a lost holder means they are computed again). */
  static GraphResults resultsOf(LocalCluster cluster, String id) {
    GraphResults[] out = new GraphResults[1];
    LocalCluster.await(Duration.ofMinutes(3), "the results of graph " + id, () -> {
      GraphStatus s = cluster.client().awaitDone(id, Duration.ofSeconds(10));
      if (!s.isFinished()) {
        return false;
      }
      try {
        GraphResults r = cluster.client().results(id);
        if (r.results().containsKey("total")) {
          out[0] = r;
          return true;
        }
      } catch (TasklaneException e) {
        if (e.status() != 409) { // 409: running again, a result was lost
          throw e;
        }
      }
      return false;
    });
    return out[0];
  }

  /** Every group the dashboard shows: name to [total, memory, released, erred, processing, waiting]. */
  static Map<String, List<Integer>> dashboardGroups(LocalCluster cluster) {
    Map<String, List<Integer>> out = new TreeMap<>();
    JsonNode groups = GracefulStopSystemTest.dashboard(cluster, "api/v1/groups.json");
    if (groups != null) {
      for (JsonNode g : groups) {
        out.put(g.get("name").asText(), List.of(g.get("total").asInt(), g.get("memory").asInt(),
            g.get("released").asInt(), g.get("erred").asInt(), g.get("processing").asInt(), g.get("waiting").asInt()));
      }
    }
    return out;
  }

  /** The same from the scheduler's client API, graph by graph. */
  static Map<String, List<Integer>> schedulerGroups(LocalCluster cluster, List<Submitted> graphs) {
    Map<String, List<Integer>> out = new TreeMap<>();
    for (Submitted s : graphs) {
      for (GroupProgress g : cluster.client().status(s.id()).groups()) {
        out.put(g.name(), List.of(g.total(), g.memory(), g.released(), g.erred(), g.processing(), g.waiting()));
      }
    }
    return out;
  }

  @Test
  void everyGraphCompletesRightWhileWorkersAreKilledStoppedAndStarted() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("worker-churn", 3, 1)) {
      Random random = new Random(SEED);
      List<Submitted> submitted = Collections.synchronizedList(new ArrayList<>());
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger seq = new AtomicInteger();
      List<Thread> clients = new ArrayList<>();
      for (int i = 0; i < 2; i++) {
        Thread t = new Thread(new Client(cluster, random.nextLong(), stop, submitted, seq), "client-" + i);
        t.setDaemon(true);
        clients.add(t);
      }
      List<Throwable> clientErrors = Collections.synchronizedList(new ArrayList<>());
      clients.forEach(t -> {
        t.setUncaughtExceptionHandler((th, e) -> clientErrors.add(e));
        t.start();
      });

      WorkerChurn churn = new WorkerChurn(cluster, 1, new Random(random.nextLong()));
      WorkerChurn.Counts counts = churn.run(CHURN);
      stop.set(true);
      for (Thread t : clients) {
        t.join(Duration.ofMinutes(4).toMillis());
        assertFalse(t.isAlive(), t.getName() + " is still waiting for its last graph");
      }
      assertEquals(List.of(), clientErrors);

      // what the churn did: a kill, a graceful stop that handed results off
      String did = counts + "; retirements: " + churn.retireLines();
      assertTrue(counts.kills() >= 1, did);
      assertTrue(counts.gracefulStops() >= 1, did);
      assertTrue(counts.starts() >= 1, did);
      assertTrue(counts.handOffs() >= 1 && counts.handedResults() > 0, did);

      // every graph: done, with the right results
      List<Submitted> graphs = new ArrayList<>(submitted);
      assertTrue(graphs.size() >= 4, "graphs submitted: " + graphs.size());
      int handedOff = 0;
      for (Submitted s : graphs) {
        GraphResults r = resultsOf(cluster, s.id());
        assertEquals(s.total(), r.results().get("total").asLong(), () -> s + ": " + r);
        assertEquals(s.erredWanted(), new ArrayList<>(new TreeMap<>(r.errors()).keySet()), () -> s + ": " + r);
        GraphStatus status = cluster.client().status(s.id());
        assertEquals("done", status.state(), () -> s + ": " + status);
        assertEquals(s.erredWanted().isEmpty() ? 0 : 4, status.erred(), () -> s + ": " + status);
        handedOff += status.handedOff();
      }
      assertTrue(handedOff > 0, "results handed off, as the scheduler counted them: " + handedOff + "; " + did);

      // the dashboard's counts are the scheduler's, graph by graph
      Map<String, List<Integer>> expected = schedulerGroups(cluster, graphs);
      LocalCluster.await(Duration.ofSeconds(30), "the dashboard's groups to equal the scheduler's " + expected,
          () -> expected.equals(dashboardGroups(cluster)));
      assertEquals(expected, schedulerGroups(cluster, graphs), "nothing changed meanwhile");
    }
  }
}
