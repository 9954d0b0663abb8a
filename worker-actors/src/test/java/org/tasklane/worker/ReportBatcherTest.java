package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskReport;

/** When a worker's reports leave: on a hand-driven clock, so no test waits or times anything. */
class ReportBatcherTest {
  private static final Duration WINDOW = Duration.ofMillis(2);
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final ReportBatcher batcher = new ReportBatcher(WINDOW, now::get);

  private static TaskReport ok(long id) {
    return new TaskReport(id, TaskReport.Outcome.OK, 8, 0, 1, "lane-0", List.of(), null, List.of(), null);
  }

  private void advanceMicros(long micros) {
    now.addAndGet(micros * 1000);
  }

  @Test
  void aLoneReportAfterAQuietSpellLeavesAtOnceEvenIfTheWorkerIsBusy() {
    assertTrue(batcher.add(ok(1), false), "the first report ever has nothing to wait for");
    assertEquals(List.of(List.of(ok(1))), batcher.take());
    advanceMicros(2_000);
    assertTrue(batcher.add(ok(2), false), "a window after the last message: no wait");
  }

  @Test
  void reportsWithinTheWindowOfTheLastMessageWaitAndTheFirstAfterItSendsThemAll() {
    assertTrue(batcher.add(ok(1), false));
    batcher.take();
    advanceMicros(300);
    assertFalse(batcher.add(ok(2), false), "the last message left 0.3 ms ago: wait for others");
    advanceMicros(1_000);
    assertFalse(batcher.add(ok(3), false));
    advanceMicros(700);
    assertTrue(batcher.add(ok(4), false), "the window has passed: the batch closes on this report, not on a timer");
    assertEquals(List.of(List.of(ok(2), ok(3), ok(4))), batcher.take());
    assertTrue(batcher.isEmpty());
  }

  @Test
  void anIdleWorkerSendsAtOnceWhateverTheWindow() {
    batcher.add(ok(1), false);
    batcher.take();
    advanceMicros(100);
    assertFalse(batcher.add(ok(2), false));
    assertTrue(batcher.add(ok(3), true), "nothing more is coming: waiting would only delay these");
  }

  @Test
  void theBackstopTimerFindsThemDueOnceTheWindowHasPassed() {
    batcher.add(ok(1), false);
    batcher.take();
    advanceMicros(100);
    assertFalse(batcher.add(ok(2), false));
    assertFalse(batcher.isDue(false));
    advanceMicros(1_900);
    assertTrue(batcher.isDue(false));
  }

  @Test
  void aFullBatchIsDueAtOnceAndLargeOnesAreSplitIntoMessages() {
    batcher.add(ok(0), false);
    batcher.take();
    boolean due = false;
    for (int i = 1; i <= ReportBatcher.MAX_REPORTS_PER_MESSAGE; i++) {
      due = batcher.add(ok(i), false);
      assertEquals(i == ReportBatcher.MAX_REPORTS_PER_MESSAGE, due, "report " + i);
    }
    assertTrue(due);
    for (int i = 0; i < 10; i++) {
      batcher.add(ok(10_000 + i), false);
    }
    List<List<TaskReport>> messages = batcher.take();
    assertEquals(2, messages.size());
    assertEquals(ReportBatcher.MAX_REPORTS_PER_MESSAGE, messages.get(0).size());
    assertEquals(10, messages.get(1).size());
  }

  @Test
  void messagesStayUnderTheirByteBudget() {
    String longError = "x".repeat(20_000); // about 60 KB estimated per report
    for (int i = 0; i < 5; i++) {
      batcher.add(new TaskReport(i, TaskReport.Outcome.ERRED, 0, 0, 1, "lane-0", List.of(), longError, List.of(), null),
          false);
    }
    List<List<TaskReport>> messages = batcher.take();
    assertEquals(List.of(2, 2, 1), messages.stream().map(List::size).toList());
    assertTrue(batcher.take().isEmpty(), "nothing is left pending");
  }
}
