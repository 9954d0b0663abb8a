package org.tasklane.testkit;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.Graph;
import org.tasklane.client.Ref;
import org.tasklane.client.TaskFailedException;
import org.tasklane.client.TaskFuture;
import org.tasklane.client.Tasklane;

/** The typed client end to end, on a scheduler and two workers in this JVM. */
class LocalTasklaneTest {
  static LocalTasklane cluster;
  static Tasklane tl;

  @BeforeAll
  static void start() {
    cluster = LocalTasklane.start(2);
    tl = cluster.client();
  }

  @AfterAll
  static void stop() {
    if (tl != null) {
      tl.close();
    }
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void oneTaskComesBackTyped() throws Exception {
    assertEquals(49, tl.submit(Functions::square, 7).get(60, SECONDS));
    assertArrayEquals(new byte[] {3, 2, 1}, tl.submit(Functions::reverse, new byte[] {1, 2, 3}).get(60, SECONDS));
  }

  @Test
  void aGraphPassesRecordsFromTaskToTask() throws Exception {
    Graph g = Graph.named("word-count");
    List<Ref<Functions.Words>> counts = new ArrayList<>();
    counts.add(g.call(Functions::count, "a", "the cat and the hat"));
    counts.add(g.call(Functions::count, "b", "The end"));
    Ref<Map<String, Long>> total = g.call(Functions::merge, counts);
    Map<String, Long> result = tl.run(g, total).get(60, SECONDS);
    assertEquals(3L, result.get("the"));
    assertEquals(1L, result.get("end"));
    assertEquals("Functions.merge", total.group());
  }

  @Test
  void mapThenAsCompletedYieldsEveryResult() throws Exception {
    List<TaskFuture<Integer>> futures = tl.map(Functions::square, List.of(1, 2, 3, 4, 5));
    List<Integer> seen = new ArrayList<>();
    for (TaskFuture<Integer> f : Tasklane.asCompleted(futures)) {
      seen.add(f.get());
    }
    seen.sort(null);
    assertEquals(List.of(1, 4, 9, 16, 25), seen);
    assertEquals(25, futures.get(4).get());
  }

  @Test
  void asCompletedYieldsAResultWhileASlowerTaskOfTheSameMapStillRuns() throws Exception {
    List<TaskFuture<Integer>> futures = tl.map(Functions::sleepy, List.of(3, 0));
    TaskFuture<Integer> first = Tasklane.asCompleted(futures).iterator().next();
    assertEquals(0, first.get());
    assertFalse(futures.get(0).isDone(), "the 3 s task is still running when the quick one is taken");
    assertEquals(3, futures.get(0).get(60, SECONDS));
  }

  @Test
  void aRemoteExceptionArrivesWithItsTypeMessageAndTrace() {
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> tl.submit(Functions::refuse, 3).get(60, SECONDS));
    TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
    assertEquals("java.lang.IllegalStateException", failed.remoteType());
    assertEquals("refused 3", failed.remoteMessage());
    assertTrue(failed.remoteStackTrace().contains("at org.tasklane.testkit.Functions.refuse"), failed.remoteStackTrace());
    assertTrue(failed.remoteStackTrace().contains("Caused by: java.lang.ArithmeticException: inner cause"),
        failed.remoteStackTrace());
  }

  @Test
  void retriesRunAFailingTaskAgainAndATimeoutInterruptsIt() throws Exception {
    Graph g = Graph.named("retries");
    Ref<Integer> flaky = g.call(Functions::flaky, 5).retries(2);
    assertEquals(5, tl.run(g, flaky).get(60, SECONDS));

    Graph slow = Graph.named("timeout");
    Ref<Integer> sleepy = slow.call(Functions::sleepy, 30).timeout(Duration.ofSeconds(1));
    ExecutionException e = assertThrows(ExecutionException.class, () -> tl.run(slow, sleepy).get(60, SECONDS));
    TaskFailedException failed = assertInstanceOf(TaskFailedException.class, e.getCause());
    assertTrue(failed.error().contains("timed out after 1s"), failed.error());
  }
}
