package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * What a run file costs: bytes per task of an inc graph, and how long a million-task run takes to
 * open and to seek to its middle. Prints the figures (the README quotes them); the bounds are loose
 * so that a busy machine does not fail the build.
 */
class RunFileSizeTest {
  @TempDir Path dir;

  /** A run as the writer records an inc graph at 30,000 tasks/s: a Tasks and a Progress frame per 50 ms batch. */
  private static long writeIncRun(Path f, int tasks) throws IOException {
    String graphId = "Xk3_q9ZbT0aLr8mN2pQw1A";
    List<String> workers = List.of("127.0.0.1:41234", "127.0.0.1:41235");
    long t0 = TestingRuns.T0;
    long micros = t0 * 1000;
    int perBatch = 1500;
    try (RunFileAppender a = new RunFileAppender(f)) {
      GroupProgress g = new GroupProgress("inc", tasks, 0, 0, 0, 0, tasks);
      a.append(new HistoryRecord.RunStarted(t0, new DashboardProtocol.GraphEvent(graphId, "inc", "running", t0, 0,
          tasks, 0, List.of(g)), "incarnation-1", false));
      long time = t0;
      long lastCheckpoint = t0;
      for (int done = 0; done < tasks; ) {
        List<DashboardProtocol.TaskEvent> batch = new ArrayList<>(perBatch);
        for (int i = 0; i < perBatch && done < tasks; i++, done++) {
          String worker = workers.get(done % 2);
          long start = micros + done * 33L;
          batch.add(new DashboardProtocol.TaskEvent(done + 1, "inc-" + done, "inc", graphId, worker,
              "tasklane-task-" + (done % 4), start, start + 20 + (done % 7), "memory", 28, null, List.of(),
              List.of()));
        }
        time += 50;
        a.append(new HistoryRecord.Tasks(time, batch));
        GroupProgress now = new GroupProgress("inc", tasks, done, 0, 0, 4, tasks - done - 4);
        a.append(new HistoryRecord.Progress(time, new DashboardProtocol.GraphEvent(graphId, "inc", "running", t0, 0,
            tasks, 0, List.of(now))));
        if (time - lastCheckpoint >= 2000) {
          a.append(new HistoryRecord.Checkpoint(time, List.of(now), List.of(TestingRuns.metrics("w1", time)), done));
          lastCheckpoint = time;
        }
      }
      a.append(new HistoryRecord.RunFinished(time + 10, new DashboardProtocol.GraphEvent(graphId, "inc", "done", t0,
          time, tasks, 0, List.of(new GroupProgress("inc", tasks, tasks, 0, 0, 0, 0)))));
      return time;
    }
  }

  @Test
  void anIncGraphOf100000TasksCostsFewBytesPerTask() throws IOException {
    Path f = dir.resolve("inc.tlrun");
    long t = System.nanoTime();
    writeIncRun(f, 100_000);
    long writeMs = (System.nanoTime() - t) / 1_000_000;
    double perTask = Files.size(f) / 100_000.0;
    System.out.printf("history: inc graph of 100,000 tasks: %d bytes, %.1f bytes per task, written in %d ms%n",
        Files.size(f), perTask, writeMs);
    assertTrue(perTask < 40, "bytes per task: " + perTask);
    try (RunFileReader r = RunFileReader.open(f, "inc", true, false)) {
      assertEquals(100_000, r.info().recordedTasks());
      assertFalse(r.info().partial(), r.info().partialReason());
    }
  }

  @Test
  void aMillionTaskRunOpensAndSeeksToItsMiddleQuickly() throws IOException {
    Path f = dir.resolve("big.tlrun");
    long end = writeIncRun(f, 1_000_000);
    long middle = (TestingRuns.T0 + end) / 2;
    long t = System.nanoTime();
    long[] seen = new long[2];
    try (RunFileReader r = RunFileReader.open(f, "big", false, false)) {
      long indexed = System.nanoTime();
      r.forEachUpTo(middle, x -> {
        seen[0]++;
        if (x instanceof HistoryRecord.Tasks ts) {
          seen[1] += ts.tasks().size();
        }
      });
      long sought = System.nanoTime();
      System.out.printf("history: 1,000,000-task run (%d bytes): indexed in %d ms, forEachUpTo(middle) in %d ms "
          + "(%d records, %d tasks)%n", Files.size(f), (indexed - t) / 1_000_000, (sought - indexed) / 1_000_000,
          seen[0], seen[1]);
      assertEquals(1_000_000, r.info().recordedTasks());
      assertTrue(seen[0] > 2 && seen[0] < 200, "only the records after the checkpoint: " + seen[0]);
      assertTrue((sought - t) / 1_000_000 < 5_000, "open and seek took " + (sought - t) / 1_000_000 + " ms");
    }
    t = System.nanoTime();
    try (RunFileReader r = RunFileReader.open(f, "big", true, false)) {
      System.out.printf("history: the same run, every CRC checked: opened in %d ms%n", (System.nanoTime() - t) / 1_000_000);
      assertFalse(r.info().partial());
    }
  }
}
