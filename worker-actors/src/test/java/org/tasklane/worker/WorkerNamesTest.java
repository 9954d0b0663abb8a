package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerNamesTest {

  @Test
  void oneWorkerKeepsItsNameSeveralAreNumberedFromOne() {
    assertEquals(List.of("W"), WorkerNames.names("W", 1));
    assertEquals(List.of("W-1", "W-2", "W-3"), WorkerNames.names("W", 3));
    assertEquals(List.of("10.0.0.5:40001-1", "10.0.0.5:40001-2"), WorkerNames.names("10.0.0.5:40001", 2));
    assertEquals(250, new java.util.HashSet<>(WorkerNames.names("h:1", 250)).size(), "all distinct");
  }

  @Test
  void actorsAreWorkerForOneAndWorkerIForSeveral() {
    assertEquals("worker", WorkerNames.actorName(1, 1));
    assertEquals("worker-1", WorkerNames.actorName(1, 2));
    assertEquals("worker-250", WorkerNames.actorName(250, 250));
  }

  @Test
  void aBadCountIsOneLine() {
    assertEquals("--nworkers must be from 1 to 1000, got 0",
        assertThrows(IllegalArgumentException.class, () -> WorkerNames.names("W", 0)).getMessage());
    assertEquals("--nworkers must be from 1 to 1000, got 1001",
        assertThrows(IllegalArgumentException.class, () -> WorkerNames.check(1001)).getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> new WorkerSettings("", "", "", 1, Duration.ofSeconds(1), 1, -2));
  }
}
