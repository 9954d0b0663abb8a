package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TaskFailedException;
import org.tasklane.client.TaskFuture;
import org.tasklane.client.Tasklane;
import org.tasklane.protocol.api.GraphStatus;

/**
 * A user function that calls {@code Runtime.getRuntime().halt(1)} (shipped in a jar by the typed
 * client) on a scheduler and three workers: the task errs after three worker deaths, the cluster
 * goes on, and the scheduler is the same process at the end. With nannies every death costs one
 * worker restart; without them the workers are gone and a graph waits until one joins.
 */
class PoisonTaskSystemTest {
  private static final Pattern DIED = Pattern.compile("worker died while running (\\S+) 3 times \\(last: [^)]+\\)");

  @Test
  void withNanniesThePoisonTaskErrsAndEveryWorkerComesBack() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("poison-nanny", 0, 1, "--allow-code-upload");
        Tasklane tl = Tasklane.connect("http://127.0.0.1:" + cluster.apiPort())) {
      for (int i = 1; i <= 3; i++) {
        cluster.startWorker("worker-" + i, 1, true);
      }
      cluster.awaitWorkers(3);
      long schedulerPid = cluster.processes().get("scheduler").pid();

      TaskFuture<Integer> poison = tl.submit(PoisonFunctions::halt, 1);
      // another graph meanwhile: it completes, on workers that die and come back around it
      String other = cluster.client().submit(DemoGraphs.tree(50));
      TaskFuture<Integer> typed = tl.submit(PoisonFunctions::twice, 21);

      TaskFailedException failed = failure(poison);
      assertTrue(DIED.matcher(failed.error()).matches(), failed.error());
      assertNull(failed.remoteType(), "a dead worker throws nothing: " + failed.remoteType());

      assertEquals(42, typed.get(3, TimeUnit.MINUTES));
      GraphStatus status = cluster.client().awaitDone(other, Duration.ofMinutes(3));
      assertEquals("done", status.state());
      assertEquals(0, status.erred());

      // each death was one restart by a nanny, and the workers are all back
      int restarts = 0;
      for (int i = 1; i <= 3; i++) {
        restarts += count(Files.readString(cluster.log("worker-" + i)), "nanny: worker started (pid ");
      }
      assertTrue(restarts >= 3 + 3, "3 starts and at least 3 restarts, saw " + restarts + " starts");
      cluster.awaitWorkers(3);
      assertSameScheduler(cluster, schedulerPid);
    }
  }

  @Test
  void withoutNanniesTheWorkersAreGoneAndTheSchedulerWaitsForNewOnes() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("poison-bare", 3, 1, "--allow-code-upload");
        Tasklane tl = Tasklane.connect("http://127.0.0.1:" + cluster.apiPort())) {
      long schedulerPid = cluster.processes().get("scheduler").pid();
      TaskFailedException failed = failure(tl.submit(PoisonFunctions::halt, 1));
      assertTrue(DIED.matcher(failed.error()).matches(), failed.error());
      for (int i = 1; i <= 3; i++) {
        Process w = cluster.processes().get("worker-" + i);
        assertTrue(w.waitFor(1, TimeUnit.MINUTES), "worker-" + i + " is dead");
      }
      LocalCluster.await(Duration.ofMinutes(1), "no worker left", () -> cluster.client().workers().size() == 0);

      // a graph submitted now waits for workers, and the scheduler stands
      String waiting = cluster.client().submit(DemoGraphs.tree(20));
      GraphStatus meanwhile = cluster.client().awaitDone(waiting, Duration.ofSeconds(3));
      assertEquals("running", meanwhile.state());
      assertSameScheduler(cluster, schedulerPid);

      cluster.startWorker("worker-4", 1);
      assertEquals("done", cluster.client().awaitDone(waiting, Duration.ofMinutes(2)).state());
      assertSameScheduler(cluster, schedulerPid);
    }
  }

  private static TaskFailedException failure(TaskFuture<?> future) throws Exception {
    ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(4, TimeUnit.MINUTES));
    return assertInstanceOf(TaskFailedException.class, e.getCause());
  }

  private static void assertSameScheduler(LocalCluster cluster, long pid) {
    Process scheduler = cluster.processes().get("scheduler");
    assertEquals(pid, scheduler.pid());
    assertTrue(scheduler.isAlive(), "the scheduler is alive");
    cluster.client().graphs(); // its API answers: this throws if it does not
  }

  private static int count(String text, String what) {
    Matcher m = Pattern.compile(Pattern.quote(what)).matcher(text);
    int n = 0;
    while (m.find()) {
      n++;
    }
    return n;
  }
}
