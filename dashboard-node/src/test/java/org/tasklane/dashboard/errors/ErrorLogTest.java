package org.tasklane.dashboard.errors;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;

/** Grouping, counts, times, traces and the bounds of the errors page's log. */
class ErrorLogTest {
  static final long T0 = 1_700_000_000_000_000L;

  static TaskEvent erred(long id, String key, String worker, long stopMillis, String error, String trace) {
    return new TaskEvent(id, key, key.replaceAll("-\\d+$", ""), "g-1", worker, "exec-0", T0, T0 + stopMillis * 1000,
        "erred", 0, error, List.of(), List.of(), trace);
  }

  static String trace(String type, String message) {
    return type + ": " + message + "\n\tat my.Job.run(Job.java:7)\n\tat java.base/java.lang.Thread.run(Thread.java:840)\n";
  }

  @Test
  void twoExceptionTypesAreTwoGroupsWithCountsTimesWorkersAndTraces() {
    ErrorLog log = new ErrorLog();
    for (int i = 0; i < 5; i++) {
      String msg = "row " + i + " is bad";
      log.add(erred(i, "parse-" + i, "w" + (i % 2), 10 + i, "IllegalArgumentException: " + msg,
          i < 3 ? trace("java.lang.IllegalArgumentException", msg) : null));
    }
    log.add(erred(10, "load-0", "w1", 100, "IOException: disk <b>full</b>", trace("java.io.IOException", "disk <b>full</b>")));
    log.add(new TaskEvent(11, "ok-0", "ok", "g-1", "w1", "exec-0", T0, T0, "memory", 8, null, List.of()));

    ErrorView.Errors v = log.view();
    assertEquals(6, v.erred());
    assertEquals(2, v.groups().size());
    ErrorView.Group io = v.groups().get(0); // the most recent first
    assertEquals("java.io.IOException", io.type());
    assertEquals("disk <b>full</b>", io.message());
    assertEquals(1, io.count());
    assertEquals(List.of(trace("java.io.IOException", "disk <b>full</b>")), io.traces());

    ErrorView.Group iae = v.groups().get(1);
    assertEquals("java.lang.IllegalArgumentException", iae.type());
    assertEquals("row 0 is bad", iae.message());
    assertEquals("row # is bad", iae.pattern());
    assertEquals(5, iae.count());
    assertEquals(T0 / 1000 + 10, iae.first().longValue());
    assertEquals(T0 / 1000 + 14, iae.last().longValue());
    assertEquals(List.of("w0", "w1"), iae.workers());
    assertEquals(List.of("parse"), iae.taskGroups());
    assertEquals(3, iae.traces().size(), "three traces that differ in their message");
    assertEquals("parse-4", iae.examples().get(0).key(), "newest example first");
    assertEquals(-1, iae.examples().get(0).trace(), "it came without a trace");
    assertEquals(2, iae.examples().get(2).trace());
  }

  @Test
  void boundedGroupsExamplesTracesAndNames() {
    ErrorLog log = new ErrorLog();
    for (int i = 0; i < ErrorLog.MAX_GROUPS + 5; i++) {
      log.add(erred(i, "t-" + i, "w", i, "E" + (char) ('A' + i % 26) + "x" + "y".repeat(i / 26) + "Exception: no", null));
    }
    ErrorView.Errors v = log.view();
    assertEquals(ErrorLog.MAX_GROUPS, v.groups().size());
    assertEquals(5, v.droppedGroups());
    assertEquals("t-" + (ErrorLog.MAX_GROUPS + 4), v.groups().get(0).examples().get(0).key());

    ErrorLog one = new ErrorLog();
    for (int i = 0; i < 50; i++) {
      one.add(erred(i, "k-" + i, "w" + i, i, "RuntimeException: boom", trace("java.lang.RuntimeException", "boom")
          .replace("Job.java:7", "Job.java:" + i)));
    }
    ErrorView.Group g = one.view().groups().get(0);
    assertEquals(50, g.count());
    assertEquals(ErrorLog.MAX_EXAMPLES, g.examples().size());
    assertEquals("k-49", g.examples().get(0).key());
    assertEquals(ErrorLog.MAX_TRACES, g.traces().size());
    assertEquals(ErrorLog.MAX_NAMES, g.workers().size());
    assertEquals(30, g.moreWorkers());
  }

  @Test
  void aTasksErrorIsFoundInTheLogOrAmongTheRecentRecords() {
    ErrorLog log = new ErrorLog();
    String t = trace("java.lang.IllegalStateException", "nope");
    TaskEvent first = erred(1, "a-1", "w", 1, "IllegalStateException: nope", t);
    log.add(first);
    for (int i = 2; i < 20; i++) {
      log.add(erred(i, "a-" + i, "w", i, "IllegalStateException: nope", null));
    }
    ErrorView.TaskError own = log.find("g-1", "a-1", List.of(first));
    assertNotNull(own, "not an example any more, but among the recent records");
    assertTrue(own.ownTrace());
    assertEquals(t, own.trace());
    assertEquals(19, own.group().count());

    ErrorView.TaskError borrowed = log.find("g-1", "a-19", List.of());
    assertFalse(borrowed.ownTrace());
    assertEquals(t, borrowed.trace(), "the group's trace stands in for one that did not come");
    assertNull(log.find("g-1", "nope", List.of()));
    assertNull(log.find("g-2", "a-19", List.of()));
  }
}
