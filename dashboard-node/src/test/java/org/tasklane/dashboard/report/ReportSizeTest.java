package org.tasklane.dashboard.report;

import org.tasklane.dashboard.TestingMetrics;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.history.HistoryRecord;
import org.tasklane.dashboard.history.RunInfo;
import org.tasklane.protocol.DashboardProtocol;

/**
 * What a report and a trace weigh for inc graphs of 10,000 and 100,000 tasks (two workers of four
 * threads, 30,000 tasks/s, metrics twice a second). Prints the figures (the README and the bench
 * quote them); writes the files under target/report-size/ for a look in a browser. Loose bounds.
 */
class ReportSizeTest {

  static RunIndex incRun(int tasks) {
    long t0 = Runs.T0 / 1000;
    long micros = Runs.T0;
    List<HistoryRecord> records = new ArrayList<>();
    records.add(new HistoryRecord.RunStarted(t0, new DashboardProtocol.GraphEvent("g-inc", "inc", "running", t0, 0,
        tasks, 0, List.of()), "i", false));
    List<String> workers = List.of("127.0.0.1:41234", "127.0.0.1:41235");
    int perBatch = 1500;
    long time = t0;
    for (int done = 0; done < tasks; ) {
      List<DashboardProtocol.TaskEvent> batch = new ArrayList<>();
      for (int i = 0; i < perBatch && done < tasks; i++, done++) {
        long start = micros + done * 33L;
        batch.add(new DashboardProtocol.TaskEvent(done + 1, "inc-" + done, "inc", "g-inc", workers.get(done % 2),
            "tasklane-task-" + (done % 4), start, start + 20 + (done % 7), "memory", 28, null, List.of(), List.of()));
      }
      time += 50;
      records.add(new HistoryRecord.Tasks(time, batch));
      if (time % 500 == 0) {
        for (String w : workers) {
          records.add(new HistoryRecord.Workers(time, List.of(TestingMetrics.flat(w, "i", 1, time,
              "127.0.0.1", "pekko://x@" + w, 4, 3, 10, 100, 2800, 0, 0, 0, 0, done / 2, 180.5, 300_000_000L,
              8_000_000_000L, 0, 0, 0, 0))));
        }
      }
    }
    RunInfo info = new RunInfo("inc-" + tasks, "g-inc", "inc", "done", t0, time, tasks, 0, tasks, workers, false, "", 0);
    return RunIndex.of(info, records::forEach);
  }

  @Test
  void heldBytesPerTaskRun() {
    Runtime rt = Runtime.getRuntime();
    System.gc();
    long before = rt.totalMemory() - rt.freeMemory();
    RunIndex run = incRun(100_000);
    System.gc();
    long after = rt.totalMemory() - rt.freeMemory();
    double perRun = (after - before) / (double) run.runs().size();
    System.out.printf("report: a run read for export holds about %.0f bytes per task run (estimate used: %d)%n", perRun,
        RunIndex.HELD_BYTES_PER_RUN);
    assertTrue(perRun < RunIndex.HELD_BYTES_PER_RUN, "the estimate the export routes use is an upper bound: " + perRun);
  }

  @Test
  void reportAndTraceSizes() throws IOException {
    Path dir = Path.of("target", "report-size");
    Files.createDirectories(dir);
    for (int tasks : new int[] {10_000, 100_000}) {
      RunIndex run = incRun(tasks);
      Path report = dir.resolve("inc-" + tasks + ".html");
      long t = System.nanoTime();
      try (OutputStream out = Files.newOutputStream(report)) {
        RunReport.write(run, out);
      }
      long reportMs = (System.nanoTime() - t) / 1_000_000;
      Path trace = dir.resolve("inc-" + tasks + ".trace.json");
      t = System.nanoTime();
      try (OutputStream out = Files.newOutputStream(trace)) {
        new TraceExport(run).write(out);
      }
      long traceMs = (System.nanoTime() - t) / 1_000_000;
      long r = Files.size(report);
      long x = Files.size(trace);
      System.out.printf("report: inc graph of %,d tasks: report.html %,d bytes (%.1f per task, written in %d ms), "
          + "trace.json %,d bytes (%.1f per task, %d ms)%n", tasks, r, r / (double) tasks, reportMs, x, x / (double) tasks,
          traceMs);
      assertTrue(r / (double) tasks < 100, "report bytes per task");
      assertTrue(x / (double) tasks < 250, "trace bytes per task");
    }
  }
}
