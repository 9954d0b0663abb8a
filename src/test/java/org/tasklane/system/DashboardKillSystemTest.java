package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;
import org.tasklane.system.browser.HeadlessChromium;

/**
 * A standalone dashboard killed (SIGKILL) while a graph runs: the scheduler keeps completing tasks,
 * a worker started while the dead dashboard is still a cluster member joins and gets tasks, the
 * dead node is downed and removed, and a dashboard started again on the same port shows the
 * scheduler's counts. A browser that had the status page open says it is disconnected and, after
 * the restart, is live again with the right counts, without a reload.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DashboardKillSystemTest {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final double PAGE_WAIT_MS = 120_000;

  @Test
  void aKilledDashboardHoldsNothingUpAndARestartedOneShowsTheSchedulersCounts() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("dashboard-kill", 2, 2, "--no-dashboard")) {
      int httpPort = LocalCluster.freePort();
      int clusterPort = LocalCluster.freePort(); // fixed, to find the dashboard in the scheduler's log
      String[] dashboardArgs = {"dashboard", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0.1",
          "--port", "" + clusterPort, "--dashboard-port", "" + httpPort, "--dashboard-address", "127.0.0.1"};
      cluster.start("dashboard", dashboardArgs);
      String base = "http://127.0.0.1:" + httpPort + "/";
      LocalCluster.await(Duration.ofSeconds(90), "the dashboard follows the scheduler",
          () -> SchedulerRestartSystemTest.connected(base));

      HeadlessChromium chromium = null;
      try {
        HeadlessChromium.Recorded recorded = new HeadlessChromium.Recorded();
        Page page = null;
        if (Files.isExecutable(CHROMIUM)) {
          chromium = HeadlessChromium.launch(CHROMIUM);
          page = chromium.newPage(recorded);
          page.navigate(base + "status");
          waitFor(page, "() => document.getElementById('connection').textContent === 'live'");
        } else {
          System.out.println("chromium is not installed (apt-get install -y chromium): the browser part is skipped");
        }

        // a graph long enough to run through the whole test; its tasks sleep, so that seven JVMs
        // and a browser on two cores still get CPU
        int leaves = 6000;
        String id = cluster.client().submit(SchedulerRestartSystemTest.nappingTree(leaves, 0.05));
        LocalCluster.await(Duration.ofSeconds(90), "tasks done", () -> cluster.client().status(id).done() > 100);
        Sample a = Sample.of(cluster, id);
        LocalCluster.await(Duration.ofSeconds(90), "more tasks done", () -> cluster.client().status(id).done() > a.done + 300);
        Sample b = Sample.of(cluster, id);
        System.out.printf("throughput with the dashboard up: %.0f tasks/s (%d tasks in %.1f s)%n", b.rate(a),
            b.done - a.done, (b.nanos - a.nanos) / 1e9);

        Path schedulerLog = cluster.logs().resolve("scheduler.log");
        long logMark = Files.size(schedulerLog);
        cluster.kill("dashboard");
        Sample killed = Sample.of(cluster, id);

        // the page says it is not live any more, its numbers dimmed
        if (page != null) {
          waitFor(page, "() => document.getElementById('connection').textContent !== 'live'"
              + " && document.body.classList.contains('stale')");
        }

        // while the dead dashboard is still a member, a new worker joins and gets tasks
        // (every node logs this when a member is removed: its address is quarantined for good)
        java.util.function.Predicate<String> removed = l -> l.contains("Association to [pekko://tasklane@127.0.0.1:"
            + clusterPort + "]") && l.contains("irrecoverably failed");
        cluster.startWorker("worker-3", 2);
        LocalCluster.await(Duration.ofSeconds(90), "worker-3 registered and ran tasks", () -> completedBy(cluster, "worker-3") > 0);
        Sample joined = Sample.of(cluster, id);
        boolean stillListed = linesSince(schedulerLog, logMark).stream().noneMatch(removed);
        System.out.printf("worker-3 ran tasks %.1f s after the kill, %s%n", (joined.nanos - killed.nanos) / 1e9,
            stillListed ? "while the dead dashboard was still a cluster member"
                : "after the dead dashboard had been removed (this machine was slow to start a JVM)");
        System.out.printf("throughput from the kill until then (mostly the first two workers): %.0f tasks/s%n",
            joined.rate(killed));

        // the dead dashboard is downed (by the scheduler) and removed, without any help
        LocalCluster.await(Duration.ofSeconds(60), "the scheduler removed the dead dashboard",
            () -> linesSince(schedulerLog, logMark).stream().anyMatch(removed));
        System.out.printf("the dead dashboard was removed %.1f s after the kill%n", (System.nanoTime() - killed.nanos) / 1e9);

        // the scheduler kept completing tasks all the while
        Sample restarting = Sample.of(cluster, id);
        assertTrue(restarting.done > killed.done, () -> "no task completed while the dashboard was dead: " + killed.done);
        System.out.printf("throughput while the dashboard was dead: %.0f tasks/s (%d tasks in %.1f s; worker-3 joined)%n",
            restarting.rate(killed), restarting.done - killed.done, (restarting.nanos - killed.nanos) / 1e9);

        // a dashboard started again on the same ports catches up
        long restartedAt = System.nanoTime();
        cluster.start("dashboard", dashboardArgs);
        LocalCluster.await(Duration.ofSeconds(90), "the restarted dashboard follows the scheduler",
            () -> SchedulerRestartSystemTest.connected(base));
        System.out.printf("the restarted dashboard followed the scheduler %.1f s after its start%n",
            (System.nanoTime() - restartedAt) / 1e9);
        if (page != null) {
          waitFor(page, "() => document.getElementById('connection').textContent === 'live'"
              + " && !document.body.classList.contains('stale')");
          System.out.printf("the open page was live again %.1f s after the dashboard's start%n",
              (System.nanoTime() - restartedAt) / 1e9);
        }
        GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(4));
        assertEquals("done", status.state(), status::toString);
        assertEquals(0, status.erred(), status::toString);
        assertEquals(DemoGraphs.treeSum(leaves), cluster.client().results(id).results().get("total").asLong());
        LocalCluster.await(Duration.ofSeconds(30), "the dashboard's counts equal the scheduler's",
            () -> sameCounts(status, LocalCluster.getJson(base + "api/v1/groups.json")));

        // a graph submitted after the restart reaches the page live
        int n = 40;
        String after = cluster.client().submit(afterRestart(n));
        assertEquals("done", cluster.client().awaitDone(after, Duration.ofMinutes(2)).state());
        if (page != null) {
          for (GroupProgress g : status.groups()) {
            waitFor(page, ROW_DONE, List.of(g.name(), g.memory() + g.released()));
          }
          waitFor(page, ROW_DONE, List.of("after-restart", n));
          assertEquals("live", page.evaluate("() => document.getElementById('connection').textContent"));
          assertEquals(List.of(), recorded.problems());
        }
      } finally {
        if (chromium != null) {
          chromium.close();
        }
      }
    }
  }

  /** A status page's group row shows this many done (in memory or released). */
  static final String ROW_DONE = "([g, n]) => { const row = document.querySelector('[data-group=\"' + g + '\"]');"
      + " if (!row) return false; const m = row.querySelector('.seg-memory'), r = row.querySelector('.seg-released');"
      + " return Number(m.getAttribute('data-count')) + Number(r.getAttribute('data-count')) === n; }";

  static void waitFor(Page page, String js) {
    waitFor(page, js, null);
  }

  static void waitFor(Page page, String js, Object arg) {
    page.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(PAGE_WAIT_MS).setPollingInterval(100));
  }

  /** A graph's done count at a moment. */
  record Sample(long nanos, int done) {
    static Sample of(LocalCluster cluster, String id) {
      return new Sample(System.nanoTime(), cluster.client().status(id).done());
    }

    double rate(Sample earlier) {
      return (done - earlier.done) / ((nanos - earlier.nanos) / 1e9);
    }
  }

  static long completedBy(LocalCluster cluster, String worker) {
    try {
      for (JsonNode w : cluster.client().workers()) {
        if (w.get("name").asText().equals(worker)) {
          return w.at("/figures/tasks/completed").asLong();
        }
      }
    } catch (RuntimeException e) {
      // not answering this time
    }
    return 0;
  }

  /** The dashboard's groups have the scheduler's counts, group by group. */
  static boolean sameCounts(GraphStatus status, JsonNode dashboardGroups) {
    if (dashboardGroups == null) {
      return false;
    }
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    dashboardGroups.forEach(g -> byName.put(g.get("name").asText(), g));
    for (GroupProgress s : status.groups()) {
      JsonNode g = byName.get(s.name());
      if (g == null || g.get("total").asInt() != s.total() || g.get("memory").asInt() != s.memory()
          || g.get("released").asInt() != s.released() || g.get("erred").asInt() != s.erred()) {
        return false;
      }
    }
    return true;
  }

  /** {@code n} tasks of a group no other graph here has. */
  static GraphSpec afterRestart(int n) {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(new TaskSpec("after-restart-" + i, "inc", List.of(JsonNodeFactory.instance.numberNode(i)), null));
    }
    return new GraphSpec("after-restart", tasks, null);
  }

  static List<String> linesSince(Path log, long mark) {
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(log.toFile(), "r")) {
      byte[] bytes = new byte[(int) Math.max(0, f.length() - mark)];
      f.seek(mark);
      f.readFully(bytes);
      return new String(bytes, java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }
}
