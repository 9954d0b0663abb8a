package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class SchedulerSettingsTest {

  @Test
  void maxTasksIsANumberOrScalesWithTheHeap() {
    assertEquals(2_000_000, SchedulerSettings.maxTasks("2_000_000"));
    assertEquals(Runtime.getRuntime().maxMemory() / SchedulerSettings.HEAP_BYTES_PER_TASK,
        SchedulerSettings.maxTasks("auto"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerSettings.maxTasks("lots"));
    assertTrue(e.getMessage().contains("tasklane.scheduler.max-tasks") && e.getMessage().contains("lots"));
    assertThrows(IllegalArgumentException.class, () -> SchedulerSettings.maxTasks("0"));
  }

  @Test
  void theDefaultsLoad() {
    SchedulerSettings s = SchedulerSettings.fromConfig(ConfigFactory.load());
    assertEquals(1000, s.maxRunningGraphs());
    assertTrue(s.maxTasks() >= 1000);
    assertEquals(3, s.policy().allowedFailures());
  }

  @Test
  void theDashboardFeedsPendingBoundIsReadAndMustBePositive() {
    assertEquals(200_000, SchedulerSettings.fromConfig(ConfigFactory.load()).dashboardFeedMaxPendingTasks());
    SchedulerSettings s = SchedulerSettings.fromConfig(ConfigFactory.parseString(
        "tasklane.scheduler.dashboard-feed.max-pending-tasks = 5000").withFallback(ConfigFactory.load()));
    assertEquals(5000, s.dashboardFeedMaxPendingTasks());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerSettings.fromConfig(
        ConfigFactory.parseString("tasklane.scheduler.dashboard-feed.max-pending-tasks = 0")
            .withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains("tasklane.scheduler.dashboard-feed.max-pending-tasks"), e.getMessage());
  }

  @Test
  void allowedFailuresIsReadAndMustBePositive() {
    SchedulerSettings s = SchedulerSettings.fromConfig(
        ConfigFactory.parseString("tasklane.scheduler.allowed-failures = 5").withFallback(ConfigFactory.load()));
    assertEquals(5, s.policy().allowedFailures());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerSettings.fromConfig(
        ConfigFactory.parseString("tasklane.scheduler.allowed-failures = 0").withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains("tasklane.scheduler.allowed-failures"), e.getMessage());
  }

  @Test
  void theTableChecksAreOffByDefaultAndReadFromTheirSettings() {
    SchedulerSettings off = SchedulerSettings.fromConfig(ConfigFactory.load());
    assertEquals(TableSettings.DEFAULT, off.table());
    SchedulerSettings on = SchedulerSettings.fromConfig(ConfigFactory.parseString(
        "tasklane.scheduler { validate = on, validate-tasks-per-event = 100, transition-log = 50 }")
        .withFallback(ConfigFactory.load()));
    assertEquals(new TableSettings(true, 100, 50), on.table());
    assertTrue(on.table().validateNow(1, 100), "up to 100 tasks: after every event");
    assertTrue(!on.table().validateNow(1, 101) && on.table().validateNow(2, 101), "more: after every 2nd");
    assertTrue(!off.table().validateNow(1_000, 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SchedulerSettings.fromConfig(
        ConfigFactory.parseString("tasklane.scheduler.transition-log = -1").withFallback(ConfigFactory.load())));
    assertEquals("tasklane.scheduler.transition-log must be between 0 and 10000000, got -1", e.getMessage());
  }
}
