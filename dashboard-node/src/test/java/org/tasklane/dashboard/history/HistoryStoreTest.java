package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryStoreTest {
  @TempDir Path dir;

  private String writeRun(int i) throws IOException {
    String graphId = "graph" + i;
    List<HistoryRecord> records = TestingRuns.everyKind(graphId).stream()
        .map(r -> r instanceof HistoryRecord.RunStarted s
            ? new HistoryRecord.RunStarted(s.timeMillis(), new org.tasklane.protocol.DashboardProtocol.GraphEvent(
                graphId, "run " + i, "running", TestingRuns.T0 + i * 1000L, 0, 10, 0, List.of()), "inc1", false)
            : r)
        .toList();
    String id = RunIds.of(TestingRuns.T0 + i * 1000L, graphId);
    TestingRuns.write(dir.resolve(id + RunFileFormat.EXTENSION), records);
    return id;
  }

  @Test
  void listsRunsNewestFirstAndSkipsUnreadableFiles() throws IOException {
    String a = writeRun(1);
    String b = writeRun(2);
    Path newer = dir.resolve(RunIds.of(TestingRuns.T0 + 9000, "future") + RunFileFormat.EXTENSION);
    Files.write(newer, new byte[] {'T', 'L', 'R', 'N', 0, 9, 0, 0});
    Files.writeString(dir.resolve("notes.txt"), "not a run");
    HistoryStore s = new HistoryStore(dir, 100, 1L << 30, true);
    s.scan();
    assertEquals(List.of(b, a), s.list().stream().map(RunInfo::id).toList());
    assertEquals("graph2", s.info(b).orElseThrow().graphId());
  }

  @Test
  void badIdsOpenNothing() throws IOException {
    writeRun(1);
    HistoryStore s = new HistoryStore(dir, 100, 1L << 30, true);
    s.scan();
    for (String bad : List.of("../etc/passwd", "..", "/etc/passwd", "20270115-080000-000-a/../../x", "",
        "20270115-080000-000-a%2F..", "20270115-080000-000-nosuchrun", "x".repeat(500))) {
      assertTrue(s.open(bad).isEmpty(), bad);
      assertTrue(s.info(bad).isEmpty(), bad);
    }
  }

  @Test
  void aLinkOutOfTheFolderIsNotOpened() throws IOException {
    String id = writeRun(1);
    Path outside = Files.createTempDirectory("outside");
    Path target = outside.resolve("secret.tlrun");
    Files.move(dir.resolve(id + RunFileFormat.EXTENSION), target);
    Files.createSymbolicLink(dir.resolve(id + RunFileFormat.EXTENSION), target);
    HistoryStore s = new HistoryStore(dir, 100, 1L << 30, true);
    s.scan();
    assertTrue(s.open(id).isEmpty());
    assertTrue(s.list().isEmpty(), "links are not listed");
  }

  @Test
  void retentionDeletesTheOldestPastMaxRuns() throws IOException {
    for (int i = 1; i <= 5; i++) {
      writeRun(i);
    }
    HistoryStore s = new HistoryStore(dir, 3, 1L << 30, false);
    s.scan();
    assertEquals(List.of("graph5", "graph4", "graph3"), s.list().stream().map(RunInfo::graphId).toList());
    try (var files = Files.list(dir)) {
      assertEquals(3, files.count());
    }
  }

  @Test
  void retentionDeletesTheOldestPastMaxBytes() throws IOException {
    for (int i = 1; i <= 5; i++) {
      writeRun(i);
    }
    long one = Files.size(dir.resolve(RunIds.of(TestingRuns.T0 + 1000, "graph1") + RunFileFormat.EXTENSION));
    HistoryStore s = new HistoryStore(dir, 100, one * 2 + 10, false);
    s.scan();
    assertEquals(List.of("graph5", "graph4"), s.list().stream().map(RunInfo::graphId).toList());
  }

  @Test
  void aReadOnlyStoreDeletesNothing() throws IOException {
    for (int i = 1; i <= 3; i++) {
      writeRun(i);
    }
    HistoryStore s = new HistoryStore(dir, 1, 1, true);
    s.scan();
    assertEquals(3, s.list().size());
  }

  @Test
  void aSecondWriterOfTheFolderIsRefusedAndAnUnwritableOneGivesOneLine() throws Exception {
    try (HistoryFolder first = HistoryFolder.open(dir.resolve("h"))) {
      HistoryFolder.InUseException e = assertThrows(HistoryFolder.InUseException.class,
          () -> HistoryFolder.open(dir.resolve("h")));
      assertTrue(e.getMessage().contains("--no-history"), e.getMessage());
      assertEquals(first.dir(), dir.resolve("h").toAbsolutePath());
    }
    HistoryFolder.open(dir.resolve("h")).close(); // free again
    Path file = Files.writeString(dir.resolve("plain-file"), "x");
    IOException e = assertThrows(IOException.class, () -> HistoryFolder.open(file.resolve("sub")));
    assertFalse(e.getMessage().contains("\n"));
    History none = History.open(HistoryWriterTest.settings(file.resolve("sub"), 10));
    assertTrue(none.store().isEmpty(), "no history, and no exception");
    none.close();
  }

  @Test
  void runIdsAreSafe() {
    assertTrue(RunIds.valid(RunIds.of(TestingRuns.T0, "Xk3_q9ZbT0aLr8mN2pQw1A")));
    assertTrue(RunIds.valid(RunIds.of(TestingRuns.T0, "../../etc")));
    assertFalse(RunIds.of(TestingRuns.T0, "../../etc").contains("/"));
  }
}
