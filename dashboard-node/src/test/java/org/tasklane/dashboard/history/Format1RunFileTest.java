package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.DashboardProtocol.WorkerFigures;

/**
 * A run recorded before a worker's figures were one record still opens: {@code format1-workers.tlrun}
 * was written by the dashboard of format 1 (its RunFileAppender, two workers' flat metrics, one
 * with memory figures, in a Workers record and a Checkpoint).
 */
class Format1RunFileTest {
  @TempDir Path dir;

  private Path format1File() throws IOException {
    Path f = dir.resolve("old.tlrun");
    try (InputStream in = Format1RunFileTest.class.getResourceAsStream("/history/format1-workers.tlrun")) {
      Files.copy(in, f);
    }
    return f;
  }

  @Test
  void workersOfAFormat1FileReadIntoTheirFigures() throws IOException {
    List<HistoryRecord> records;
    try (RunFileReader r = RunFileReader.open(format1File(), "old", true, false)) {
      records = TestingRuns.readAll(r);
    }
    assertEquals(3, records.size(), records::toString);
    HistoryRecord.Workers workers = (HistoryRecord.Workers) records.get(1);
    DashboardProtocol.WorkerMetrics one = workers.metrics().get(0);
    assertEquals("worker-1", one.worker());
    assertEquals("10.0.0.2", one.host());
    assertEquals(2, one.nthreads());
    assertEquals(new WorkerFigures(new WorkerFigures.Tasks(1, 3, 10, 4096, 70),
        new WorkerFigures.Transfers(5, 500, 6, 600), new WorkerFigures.Process(87.5, 300_000_000L, 8_000_000_000L),
        new WorkerFigures.Host(1234, 2345, 7, 4096), DashboardProtocol.WorkerMemory.NONE), one.figures());
    DashboardProtocol.WorkerMemory memory = workers.metrics().get(1).figures().memory();
    assertEquals(900_000_000L, memory.spilledBytes());
    assertEquals(0.8, memory.pause());
    assertTrue(memory.paused());
    HistoryRecord.Checkpoint checkpoint = (HistoryRecord.Checkpoint) records.get(2);
    assertEquals(workers.metrics(), checkpoint.workers(), "the checkpoint's copy reads the same");
  }

  @Test
  void aFileOfTheCurrentFormatReadsBackEqual() throws IOException {
    List<HistoryRecord> records;
    try (RunFileReader r = RunFileReader.open(format1File(), "old", true, false)) {
      records = TestingRuns.readAll(r);
    }
    Path again = dir.resolve("new.tlrun");
    TestingRuns.write(again, records);
    try (RunFileReader r = RunFileReader.open(again, "new", true, false)) {
      assertEquals(records, TestingRuns.readAll(r));
    }
  }
}
