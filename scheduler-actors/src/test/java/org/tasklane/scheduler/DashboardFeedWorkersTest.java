package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.WorkerInfo;

/**
 * The workers list in the feed's batches: built and sent only when it goes out, at most once per
 * interval while only the workers' figures change, at the next tick when a worker joins, leaves,
 * retires or pauses.
 */
class DashboardFeedWorkersTest {
  private static final long SECOND = 1_000_000_000L;
  private final TaskTable table = new TaskTable(TablePolicy.DEFAULT, TableSettings.CHECKED);
  private final TaskTableDriver d = new TaskTableDriver(table);
  private int summariesBuilt;
  private final DashboardFeed feed = new DashboardFeed("inc-1", name -> {
    summariesBuilt++;
    return new WorkerInfo(name, "host-" + name, "host-" + name + ":1", 1, FUNCTIONS, 1);
  }, name -> 0, 200_000, Duration.ofSeconds(1));

  DashboardFeedWorkersTest() {
    table.observe(feed);
  }

  private DashboardProtocol.SchedulerEvents last(long nowNanos) {
    List<DashboardProtocol.SchedulerEvents> batches = feed.nextBatches(table, nowNanos);
    return batches.isEmpty() ? null : batches.get(batches.size() - 1);
  }

  @Test
  void figuresGoAtMostOncePerIntervalAndMembershipAtOnce() {
    for (int i = 0; i < 100; i++) {
      d.addWorker("w" + i, 1);
    }
    DashboardProtocol.SchedulerEvents first = last(10 * SECOND);
    assertTrue(first.workersChanged());
    assertEquals(100, first.workers().size());
    assertEquals(100, summariesBuilt);

    d.submit(graph(root("a"), root("b"), root("c")));
    DashboardProtocol.SchedulerEvents busy = last(10 * SECOND + SECOND / 20);
    assertNotNull(busy, "the groups changed");
    assertFalse(busy.workersChanged(), "only figures changed, 50 ms after the last list");
    assertEquals(List.of(), busy.workers());
    assertEquals(100, summariesBuilt, "no summary built for a tick that sends none");

    d.ok("w0", "a", 8);
    DashboardProtocol.SchedulerEvents later = last(11 * SECOND);
    assertTrue(later.workersChanged(), "a second later the figures go");
    assertEquals(1, later.workers().stream().filter(w -> w.name().equals("w0")).findFirst().orElseThrow().heldResults());
    assertNull(last(11 * SECOND + 1), "nothing changed since");

    d.table.handle(new Event.WorkerPaused("w5", true));
    DashboardProtocol.SchedulerEvents paused = last(11 * SECOND + 2);
    assertTrue(paused.workersChanged(), "a pause goes at the next tick");
    d.removeWorker("w99");
    DashboardProtocol.SchedulerEvents left = last(11 * SECOND + 3);
    assertTrue(left.workersChanged(), "a worker that left goes at the next tick");
    assertEquals(99, left.workers().size());
  }
}
