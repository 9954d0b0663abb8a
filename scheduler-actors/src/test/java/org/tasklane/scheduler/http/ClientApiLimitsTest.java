package org.tasklane.scheduler.http;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphValidator;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;

/** The client API's limits: tasks per graph from the scheduler's heap, and result reads within Artery's frame. */
class ClientApiLimitsTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aGraphMayHaveAsManyTasksAsTheSchedulerHoldsAtMostAMillion() {
    assertSame(GraphValidator.Limits.DEFAULTS, ClientApiRoutes.graphLimits(3_000_000, 6L << 30));
    assertSame(GraphValidator.Limits.DEFAULTS, ClientApiRoutes.graphLimits(1_000_000, 2L << 30));
    GraphValidator.Limits small = ClientApiRoutes.graphLimits(196_608, 384L << 20);
    assertEquals(196_608, small.maxTasks());
    assertEquals(GraphValidator.Limits.DEFAULTS.maxKeyLength(), small.maxKeyLength());
    String advice = small.tooManyTasksAdvice();
    assertTrue(advice.contains("tasklane.scheduler.max-tasks") && advice.contains("384 MiB")
        && advice.contains("TASKLANE_JAVA_OPTS=-Xmx2g") && advice.contains("split"), advice);
  }

  @Test
  void resultsAreReadInRequestsThatFitInOneMessage() {
    ActorRef<WorkerProtocol.DataCommand> one = testKit.<WorkerProtocol.DataCommand>createTestProbe().ref();
    ActorRef<WorkerProtocol.DataCommand> two = testKit.<WorkerProtocol.DataCommand>createTestProbe().ref();
    long mib = 1 << 20;
    List<SchedulerProtocol.Location> locations = List.of(
        new SchedulerProtocol.Location(1, List.of(one), 5 * mib),
        new SchedulerProtocol.Location(2, List.of(one), 5 * mib), // 10 MiB with the first: a request of its own
        new SchedulerProtocol.Location(3, List.of(two), 1024),
        new SchedulerProtocol.Location(4, List.of(one), 30 * mib), // over the budget alone: alone
        new SchedulerProtocol.Location(5, List.of(one)), // size unknown: alone
        new SchedulerProtocol.Location(6, List.of(two, one), 2 * mib), // from its first holder
        new SchedulerProtocol.Location(7, List.of(), 1)); // nobody holds it: not asked
    List<Map.Entry<ActorRef<WorkerProtocol.DataCommand>, List<Long>>> batches =
        ClientApiRoutes.fetchBatches(locations);
    assertEquals(List.of(
        Map.entry(one, List.of(1L)), Map.entry(one, List.of(2L)), Map.entry(one, List.of(4L)),
        Map.entry(one, List.of(5L)), Map.entry(two, List.of(3L, 6L))), batches);

    List<SchedulerProtocol.Location> many = new ArrayList<>();
    for (long id = 0; id < 2500; id++) {
      many.add(new SchedulerProtocol.Location(id, List.of(two), 8));
    }
    List<Integer> sizes = ClientApiRoutes.fetchBatches(many).stream().map(e -> e.getValue().size()).toList();
    assertEquals(List.of(1000, 1000, 500), sizes);
  }
}
