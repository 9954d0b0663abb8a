package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.history.SimulatedRun.T0;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.DashboardView;
import org.tasklane.protocol.DashboardProtocol;

/** The tasks page's windows of a recorded run: few tasks one by one, many summarised, counts that add up. */
class TaskDetailTest {
  /** 30,000 tasks, 100 per 50 ms: 15 s on 2 workers of 2 threads. */
  static final SimulatedRun RUN = new SimulatedRun(30_000, 100, 2000, List.of());

  static long overlapping(List<DashboardProtocol.TaskEvent> tasks, long from, long to) {
    return tasks.stream().filter(t -> t.stopMicros() >= from && t.startMicros() <= to).count();
  }

  static long transfers(List<DashboardProtocol.TaskEvent> tasks, long from, long to) {
    return tasks.stream().filter(t -> t.stopMicros() >= from && t.startMicros() <= to)
        .flatMap(t -> t.transfers().stream()).filter(x -> x.stopMicros() >= from && x.startMicros() <= to).count();
  }

  @Test
  void theWholeRunIsASummaryWhoseCountsAddUpToItsTasks() {
    ListRecording r = RUN.recording();
    List<DashboardProtocol.TaskEvent> all = r.tasks();
    long from = T0 * 1000 - 1_000_000;
    long to = RUN.end * 1000 + 1_000_000;
    TaskDetail.Window w = TaskDetail.of(r, from, to, 1200);
    assertEquals("summary", w.detail());
    assertEquals(30_001, w.total());
    assertEquals(List.of(), w.tasks());
    assertEquals(4, w.rows().size(), "one row per worker thread");
    assertEquals((to - from) / 1200.0 / 1000, w.bucket(), 1e-9, "a bucket a pixel");
    long counted = 0;
    long transfers = 0;
    for (TaskDetail.Row row : w.rows()) {
      counted += Arrays.stream(row.count()).sum();
      transfers += Arrays.stream(row.transferCount()).sum();
      for (double b : row.busy()) {
        assertTrue(b >= 0 && b <= 1, "busy " + b);
      }
      for (int g : row.group()) {
        assertTrue(g >= 0 && g < w.groups().size());
      }
      assertEquals(row.index().length, row.busy().length);
    }
    assertEquals(w.total(), counted, "every task counted once");
    assertEquals(transfers(all, from, to), transfers);
    assertEquals(w.transfers(), transfers);
    assertEquals(List.of("load", "total"), w.groups());
  }

  @Test
  void aNarrowWindowGivesItsTasksOneByOne() {
    ListRecording r = RUN.recording();
    List<DashboardProtocol.TaskEvent> all = r.tasks();
    DashboardProtocol.TaskEvent one = all.get(12_345);
    long from = one.startMicros() + 10;
    long to = one.startMicros() + 20;
    TaskDetail.Window w = TaskDetail.of(r, from, to, 800);
    assertEquals("tasks", w.detail());
    assertEquals(overlapping(all, from, to), w.total());
    assertEquals(w.total(), w.tasks().size());
    assertTrue(w.tasks().stream().anyMatch(t -> t.key().equals(one.key())), "the task under the window is there");
    assertEquals(List.of(), w.rows());
    assertEquals(DashboardView.millis(from), w.from());

    // a window of about 20,000 tasks is still one by one; one more is not
    long mid = all.get(15_000).stopMicros();
    TaskDetail.Window big = TaskDetail.of(r, mid - 3_000_000, mid + 3_000_000, 800);
    assertEquals(overlapping(all, mid - 3_000_000, mid + 3_000_000), big.total());
    assertEquals(big.total() <= TaskDetail.MAX_TASKS ? "tasks" : "summary", big.detail());
  }

  @Test
  void manyThreadsGetWiderBucketsRatherThanMoreThanTheLimit() {
    long from = T0 * 1000;
    java.util.ArrayList<HistoryRecord> records = new java.util.ArrayList<>(RUN.records.subList(0, 1));
    java.util.ArrayList<DashboardProtocol.TaskEvent> tasks = new java.util.ArrayList<>();
    for (int i = 0; i < 25_000; i++) {
      tasks.add(new DashboardProtocol.TaskEvent(i, "k-" + i, "k", "g", "w" + (i % 500), "t" + (i / 500 % 10),
          from + i * 10L, from + i * 10L + 5, i % 7 == 0 ? "erred" : "memory", 1, null, List.of()));
    }
    records.add(new HistoryRecord.Tasks(T0 + 1, tasks));
    ListRecording r = new ListRecording(RUN.recording().info(), records);
    TaskDetail.Window w = TaskDetail.of(r, from, from + 250_000, 10_000);
    assertEquals("summary", w.detail());
    assertEquals(5000, w.rows().size());
    assertTrue(w.bucket() * 1000 >= 250_000.0 / 200 - 1e-6, "at most 200 buckets a row: " + w.bucket());
    assertEquals(25_000, w.rows().stream().mapToLong(row -> Arrays.stream(row.count()).sum()).sum());
    assertTrue(w.rows().stream().anyMatch(row -> Arrays.stream(row.group()).anyMatch(g -> g == -1)),
        "erred tasks show as erred");
  }

  @Test
  void badWindowsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> TaskDetail.of(RUN.recording(), 10, 5, 100));
    assertThrows(IllegalArgumentException.class, () -> TaskDetail.of(RUN.recording(), 0, 5, 0));
    assertThrows(IllegalArgumentException.class, () -> TaskDetail.of(RUN.recording(), 0, 5, TaskDetail.MAX_WIDTH + 1));
  }
}
