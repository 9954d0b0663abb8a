package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Workers die one after another, close together, while graphs run and the other workers are alive
 * to see them go: the scheduler stays, the same process, and goes on. Two waves of SIGKILLs:
 *
 * <ol>
 *   <li>three workers within a second, two left to observe it;
 *   <li>a chain: a worker, then, once the others have marked it unreachable and before it is downed,
 *       two that had marked it (dead observers of a dead node: what Pekko's split-brain resolver took
 *       for "indirectly connected" nodes, and then downed every node for, the scheduler included).
 * </ol>
 */
class WorkerDeathsSystemTest {
  /** The pause between two kills of a burst: a spacing, not a wait for anything. */
  static final Duration BETWEEN_KILLS = Duration.ofMillis(300);

  @Test
  void workersKilledCloseTogetherNeverTakeTheSchedulerWithThem() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("worker-deaths", 5, 1)) {
      Process scheduler = cluster.processes().get("scheduler");
      long pid = scheduler.pid();
      Path schedulerLog = cluster.log("scheduler");

      // graphs run throughout, one after another
      AtomicBoolean stop = new AtomicBoolean();
      List<GraphStatus> finished = Collections.synchronizedList(new ArrayList<>());
      List<Throwable> clientFailures = Collections.synchronizedList(new ArrayList<>());
      List<String> killed = new ArrayList<>();
      Thread client = new Thread(() -> {
        try {
          while (!stop.get()) {
            String id = cluster.client().submit(DemoGraphs.tree(150, 0.01));
            finished.add(cluster.client().awaitDone(id, Duration.ofMinutes(3)));
          }
        } catch (Throwable t) {
          clientFailures.add(t);
        }
      }, "graphs");
      client.start();
      try {
        LocalCluster.await(Duration.ofSeconds(60), "a first graph done", () -> !finished.isEmpty());

        // wave 1: a burst
        killed.addAll(killCloseTogether(cluster, "worker-1", "worker-2", "worker-3"));
        awaitWorkers(cluster, List.of("worker-4", "worker-5"));
        int afterFirstWave = finished.size();
        LocalCluster.await(Duration.ofSeconds(120), "a graph done after the first wave",
            () -> schedulerStands(schedulerLog) && finished.size() > afterFirstWave);

        // wave 2: a chain, its dead observers dying before the node they observed is downed
        for (String w : List.of("worker-6", "worker-7", "worker-8")) {
          cluster.startWorker(w, 1);
        }
        awaitWorkers(cluster, List.of("worker-4", "worker-5", "worker-6", "worker-7", "worker-8"));
        String address4 = addressOf(cluster, "worker-4");
        killed.add(address4);
        cluster.kill("worker-4");
        LocalCluster.await(Duration.ofSeconds(60), "the scheduler marked worker-4 unreachable",
            () -> read(schedulerLog).contains("Marking node as UNREACHABLE [Member(pekko://tasklane@" + address4 + ","));
        // the other workers' failure detectors mark it within a tick of the scheduler's (1 s); the
        // scheduler downs it 7 s after its own mark: kill two of them in between
        Thread.sleep(2000); // a spacing between deaths, not a wait for a condition
        killed.addAll(killCloseTogether(cluster, "worker-6", "worker-7"));
        awaitWorkers(cluster, List.of("worker-5", "worker-8"));
        int afterSecondWave = finished.size();
        LocalCluster.await(Duration.ofSeconds(120), "a graph done after the second wave",
            () -> schedulerStands(schedulerLog) && finished.size() > afterSecondWave);
      } finally {
        stop.set(true);
        client.join(Duration.ofMinutes(3).toMillis());
      }

      // the scheduler is the same process, alive, and answers
      assertSame(scheduler, cluster.processes().get("scheduler"));
      assertTrue(scheduler.isAlive(), "the scheduler exited; see " + schedulerLog);
      assertEquals(pid, scheduler.pid());
      assertEquals(2, cluster.client().workers().size());
      for (String w : List.of("worker-5", "worker-8")) {
        assertTrue(cluster.processes().get(w).isAlive(), w + " exited");
      }
      assertTrue(schedulerStands(schedulerLog));
      // the last ones killed are downed 7 s after the scheduler marks them unreachable, which can be
      // after the next graph is done (it stops assigning to them at once): wait for every down
      java.util.function.Supplier<List<String>> downs =
          () -> read(schedulerLog).lines().filter(l -> l.contains("Downing pekko://")).toList();
      LocalCluster.within(Duration.ofSeconds(60), () -> killed.stream().allMatch(address -> downs.get().stream()
          .anyMatch(l -> l.contains("Downing pekko://tasklane@" + address + " "))));
      for (String address : killed) {
        assertTrue(downs.get().stream().anyMatch(l -> l.contains("Downing pekko://tasklane@" + address + " ")),
            () -> "the scheduler did not down " + address + " within 60 s: " + downs.get());
      }
      System.out.printf("the scheduler downed %d nodes (%d were killed)%n", downs.get().size(), killed.size());

      // every graph ran to its end; the cluster goes on with a new one
      assertEquals(List.of(), clientFailures);
      for (GraphStatus s : finished) {
        assertEquals("done", s.state(), s::toString);
      }
      System.out.printf("%d graphs ran through the deaths, %d tasks erred in all%n",
          finished.size(), finished.stream().mapToInt(GraphStatus::erred).sum());
      String id = cluster.client().submit(DemoGraphs.tree(200, 0));
      GraphStatus last = cluster.client().awaitDone(id, Duration.ofMinutes(2));
      assertEquals("done", last.state(), last::toString);
      assertEquals(0, last.erred(), () -> "errors: " + last.errors());
      assertEquals(DemoGraphs.treeSum(200), cluster.client().results(id).results().get("total").asLong());
    }
  }

  /** What the cluster logs on the scheduler when it downs the scheduler; the first is Pekko's split-brain resolver's. */
  static final List<String> SCHEDULER_DOWNED =
      List.of("downing all", "including myself", "Shutting down myself", "this member has been downed");

  /** True, or an AssertionError quoting the scheduler's log where it says it was downed. */
  static boolean schedulerStands(Path schedulerLog) {
    for (String line : read(schedulerLog).lines().toList()) {
      for (String phrase : SCHEDULER_DOWNED) {
        if (line.contains(phrase)) {
          throw new AssertionError("the scheduler was downed: "
              + line.substring(0, Math.min(300, line.length())) + " ... (see " + schedulerLog + ")");
        }
      }
    }
    return true;
  }

  /** SIGKILLs the workers one after another, {@link #BETWEEN_KILLS} apart; returns their addresses. */
  static List<String> killCloseTogether(LocalCluster cluster, String... workers) throws InterruptedException {
    List<String> addresses = new ArrayList<>();
    for (String w : workers) {
      addresses.add(addressOf(cluster, w));
    }
    for (int i = 0; i < workers.length; i++) {
      if (i > 0) {
        Thread.sleep(BETWEEN_KILLS.toMillis()); // a spacing between deaths, not a wait for a condition
      }
      cluster.kill(workers[i]);
    }
    return addresses;
  }

  /** Waits until exactly these workers are registered with the scheduler. */
  static void awaitWorkers(LocalCluster cluster, List<String> names) {
    LocalCluster.await(Duration.ofSeconds(120), "the workers are " + names, () -> {
      try {
        List<String> registered = new ArrayList<>();
        for (JsonNode w : cluster.client().workers()) {
          registered.add(w.get("name").asText());
        }
        Collections.sort(registered);
        return registered.equals(names);
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  /** A registered worker's cluster address, {@code host:port}. */
  static String addressOf(LocalCluster cluster, String name) {
    for (JsonNode w : cluster.client().workers()) {
      if (w.get("name").asText().equals(name)) {
        return w.get("address").asText();
      }
    }
    throw new AssertionError("no worker " + name);
  }

  /** The scheduler's log of this run (logs of earlier runs are appended to, not replaced). */
  static String read(Path log) {
    try {
      String all = Files.readString(log, StandardCharsets.UTF_8);
      int start = all.lastIndexOf("Scheduler started (incarnation");
      return start < 0 ? all : all.substring(all.lastIndexOf('\n', start) + 1);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
