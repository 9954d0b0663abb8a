package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.protocol.DashboardProtocol;

class RunFileTest {
  @TempDir Path dir;

  @Test
  void everyRecordKindReadsBackEqual() throws IOException {
    List<HistoryRecord> written = TestingRuns.everyKind("g1");
    Path f = dir.resolve("r.tlrun");
    TestingRuns.write(f, written);
    try (RunFileReader r = RunFileReader.open(f, "r", true, false)) {
      assertEquals(written, TestingRuns.readAll(r));
      RunInfo info = r.info();
      assertEquals("g1", info.graphId());
      assertEquals("name of g1", info.name());
      assertEquals("done", info.state());
      assertEquals(10, info.tasks());
      assertEquals(1, info.erred());
      assertEquals(11, info.recordedTasks());
      assertTrue(info.partial(), "a gap makes the run partial");
      assertEquals("the scheduler left out 12 task records", info.partialReason());
      assertEquals(Files.size(f), info.bytes());
    }
  }

  @Test
  void aCompleteRunIsNotPartialAndListsTheSummarysWorkers() throws IOException {
    List<HistoryRecord> all = new ArrayList<>(TestingRuns.everyKind("g1"));
    all.removeIf(x -> x instanceof HistoryRecord.Gap);
    Path f = dir.resolve("r.tlrun");
    try (RunFileAppender a = new RunFileAppender(f, new RecordCodec())) {
      for (HistoryRecord x : all) {
        if (x instanceof HistoryRecord.RunFinished) {
          a.appendSummary(new RunSummary(List.of("w1", "w2")), x.timeMillis());
        }
        a.append(x, x.timeMillis());
      }
    }
    try (RunFileReader r = RunFileReader.open(f, "r", true, false)) {
      assertFalse(r.info().partial(), r.info().partialReason());
      assertEquals("", r.info().partialReason());
      assertEquals(List.of("w1", "w2"), r.info().workers());
      assertEquals(all, TestingRuns.readAll(r), "the summary is not a record");
    }
  }

  @Test
  void forEachUpToStartsAtTheLatestCheckpointBeforeTheTime() throws IOException {
    List<HistoryRecord> written = TestingRuns.everyKind("g1");
    Path f = dir.resolve("r.tlrun");
    TestingRuns.write(f, written);
    try (RunFileReader r = RunFileReader.open(f, "r", true, false)) {
      List<HistoryRecord> early = new ArrayList<>();
      r.forEachUpTo(TestingRuns.T0 + 150, early::add);
      assertEquals(written.subList(0, 2), early);
      List<HistoryRecord> late = new ArrayList<>();
      r.forEachUpTo(TestingRuns.T0 + 2500, late::add);
      assertEquals(List.of(written.get(0), written.get(5)), late, "RunStarted, then the checkpoint");
      List<HistoryRecord> end = new ArrayList<>();
      r.forEachUpTo(Long.MAX_VALUE, end::add);
      assertEquals(List.of(written.get(0), written.get(5), written.get(6)), end);
    }
  }

  @Test
  void forEachTaskBetweenReturnsOnlyOverlappingTasks() throws IOException {
    Path f = dir.resolve("r.tlrun");
    List<HistoryRecord> records = new ArrayList<>(TestingRuns.everyKind("g1").subList(0, 1));
    long base = TestingRuns.T0 * 1000;
    for (int frame = 0; frame < 5; frame++) {
      List<DashboardProtocol.TaskEvent> ts = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        long id = frame * 10 + i + 1;
        ts.add(TestingRuns.task(id, "g1", base + id * 1000, base + id * 1000 + 500));
      }
      records.add(new HistoryRecord.Tasks(TestingRuns.T0 + frame, ts));
    }
    TestingRuns.write(f, records);
    try (RunFileReader r = RunFileReader.open(f, "r", true, false)) {
      List<Long> ids = new ArrayList<>();
      r.forEachTaskBetween(base + 12_400, base + 14_000, t -> ids.add(t.taskId()));
      assertEquals(List.of(12L, 13L, 14L), ids);
    }
  }

  @Test
  void aTornLastFrameIsSkippedAtEveryByte() throws IOException {
    List<HistoryRecord> written = TestingRuns.everyKind("g1");
    Path whole = dir.resolve("whole.tlrun");
    TestingRuns.write(whole, written);
    byte[] bytes = Files.readAllBytes(whole);
    Path withoutLast = dir.resolve("head.tlrun");
    TestingRuns.write(withoutLast, written.subList(0, written.size() - 1));
    long lastFrameAt = Files.size(withoutLast);
    for (long cut = lastFrameAt; cut < bytes.length; cut++) {
      Path f = dir.resolve("cut.tlrun");
      Files.write(f, java.util.Arrays.copyOf(bytes, (int) cut));
      for (boolean verify : new boolean[] {true, false}) {
        try (RunFileReader r = RunFileReader.open(f, "cut", verify, false)) {
          assertEquals(written.subList(0, written.size() - 1), TestingRuns.readAll(r), "cut at " + cut);
          RunInfo info = r.info();
          assertTrue(info.partial());
          assertEquals("running", info.state());
          if (cut > lastFrameAt) {
            assertTrue(info.partialReason().startsWith("cut short at byte " + lastFrameAt + ": a torn frame"),
                info.partialReason());
          }
          assertTrue(info.partialReason().contains("the dashboard stopped during the run"), info.partialReason());
        }
      }
    }
  }

  @Test
  void aCorruptByteInTheMiddleEndsTheFileBeforeItsFrame() throws IOException {
    List<HistoryRecord> written = TestingRuns.everyKind("g1");
    Path f = dir.resolve("r.tlrun");
    TestingRuns.write(f, written.subList(0, 3));
    long tasksFrameEnd = Files.size(f);
    Files.delete(f);
    TestingRuns.write(f, written);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(tasksFrameEnd - 7); // inside the Tasks frame's payload
      int b = raf.read();
      raf.seek(tasksFrameEnd - 7);
      raf.write(b ^ 0x5a);
    }
    for (boolean verify : new boolean[] {true, false}) {
      try (RunFileReader r = RunFileReader.open(f, "r", verify, false)) {
        assertEquals(written.subList(0, 2), TestingRuns.readAll(r), "verify " + verify);
        assertTrue(r.info().partial());
        assertTrue(r.info().partialReason().contains("checksum does not match"), r.info().partialReason());
        assertEquals("running", r.info().state(), "what follows the corrupt frame is not read");
      }
    }
  }

  @Test
  void anImpossibleLengthEndsTheFile() throws IOException {
    List<HistoryRecord> written = TestingRuns.everyKind("g1");
    Path f = dir.resolve("r.tlrun");
    TestingRuns.write(f, written.subList(0, 1));
    long at = Files.size(f);
    Files.delete(f);
    TestingRuns.write(f, written);
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(at);
      raf.writeInt(-5);
    }
    try (RunFileReader r = RunFileReader.open(f, "r", false, false)) {
      assertEquals(written.subList(0, 1), TestingRuns.readAll(r));
      assertTrue(r.info().partialReason().startsWith("cut short at byte " + at + ": an impossible frame length (-5)"),
          r.info().partialReason());
    }
  }

  @Test
  void aNewerFormatIsRefusedInOneLine() throws IOException {
    Path f = dir.resolve("r.tlrun");
    TestingRuns.write(f, TestingRuns.everyKind("g1"));
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "rw")) {
      raf.seek(4);
      raf.writeShort(RunFileFormat.VERSION + 1);
    }
    IOException e = assertThrows(RunFileReader.UnreadableRunFileException.class,
        () -> RunFileReader.open(f, "r", true, false));
    assertEquals("run r is in history format " + (RunFileFormat.VERSION + 1) + ", newer than this Tasklane reads ("
        + RunFileFormat.VERSION + "): open it with a newer Tasklane", e.getMessage());
  }

  @Test
  void notARunFileIsRefusedInOneLine() throws IOException {
    Path f = dir.resolve("r.tlrun");
    Files.write(f, "hello, world".getBytes());
    IOException e = assertThrows(RunFileReader.UnreadableRunFileException.class,
        () -> RunFileReader.open(f, "r", true, false));
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void anEmptyRunIsPartial() throws IOException {
    Path f = dir.resolve("r.tlrun");
    Files.write(f, RunFileFormat.header());
    try (RunFileReader r = RunFileReader.open(f, "r", true, false)) {
      assertTrue(r.info().partial());
      assertEquals("the run has no records", r.info().partialReason());
      assertEquals(List.of(), TestingRuns.readAll(r));
    }
  }

  @Test
  void aLiveRunIsNotPartialForItsUnflushedEnd() throws IOException {
    List<HistoryRecord> written = TestingRuns.everyKind("g1").subList(0, 3);
    Path f = dir.resolve("r.tlrun");
    TestingRuns.write(f, written);
    byte[] bytes = Files.readAllBytes(f);
    Files.write(f, java.util.Arrays.copyOf(bytes, bytes.length - 3));
    try (RunFileReader r = RunFileReader.open(f, "r", true, true)) {
      assertFalse(r.info().partial(), r.info().partialReason());
      assertEquals("running", r.info().state());
    }
  }

  @Test
  void payloadsAreDeflatedWhenItPays() throws IOException {
    RecordCodec codec = new RecordCodec();
    List<DashboardProtocol.TaskEvent> ts = new ArrayList<>();
    for (int i = 1; i <= 1000; i++) {
      ts.add(TestingRuns.task(i, "g1", 1L << 50, (1L << 50) + 10));
    }
    RecordCodec.Encoded e = codec.encode(new HistoryRecord.Tasks(1, ts));
    assertEquals(RunFileFormat.FLAG_DEFLATED, e.flags());
    assertEquals(1000, e.count());
    assertEquals(new HistoryRecord.Tasks(1, ts), codec.decode(e.type(), true, java.util.Arrays.copyOf(e.payload(), e.length()), e.length()));
  }

  @Test
  void aLargeRecordThenSmallOnesEncodeThroughTheReusedBuffers() throws IOException {
    RecordCodec codec = new RecordCodec();
    List<DashboardProtocol.TaskEvent> many = new ArrayList<>();
    for (int i = 1; i <= 20_000; i++) { // a snapshot's window: past the buffers' keep limit
      many.add(TestingRuns.task(i, "g1-" + "x".repeat(i % 97), 1L << 50, (1L << 50) + i));
    }
    RecordCodec.Encoded big = codec.encode(new HistoryRecord.Tasks(1, many));
    assertTrue(big.length() > RecordCodec.KEEP_BUFFER_BYTES / 4, "a large record: " + big.length());
    assertEquals(new HistoryRecord.Tasks(1, many), codec.decode(big.type(), big.flags() == RunFileFormat.FLAG_DEFLATED,
        java.util.Arrays.copyOf(big.payload(), big.length()), big.length()));
    for (int n : new int[] {1, 1000, 1, 5}) {
      List<DashboardProtocol.TaskEvent> ts = many.subList(0, n);
      RecordCodec.Encoded e = codec.encode(new HistoryRecord.Tasks(2, ts));
      assertEquals(new HistoryRecord.Tasks(2, ts), codec.decode(e.type(), e.flags() == RunFileFormat.FLAG_DEFLATED,
          java.util.Arrays.copyOf(e.payload(), e.length()), e.length()));
    }
  }
}
