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
}
