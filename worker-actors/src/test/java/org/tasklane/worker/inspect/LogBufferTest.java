package org.tasklane.worker.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.WorkerProtocol;

class LogBufferTest {

  private static void add(LogBuffer b, String message) {
    b.add(1_700_000_000_000L, "INFO", "org.example.L", "main", null, message);
  }

  @Test
  void keepsTheLastLinesOldestFirstAndCountsTheDropped() {
    LogBuffer b = new LogBuffer(3, 1 << 20);
    for (int i = 1; i <= 5; i++) {
      add(b, "line " + i);
    }
    assertEquals(List.of("line 3", "line 4", "line 5"), b.last(10).stream().map(WorkerProtocol.LogLine::message).toList());
    assertEquals(List.of(3L, 4L, 5L), b.last(10).stream().map(WorkerProtocol.LogLine::seq).toList());
    assertEquals(List.of("line 5"), b.last(1).stream().map(WorkerProtocol.LogLine::message).toList());
    assertEquals(List.of(), b.last(0));
    assertEquals(2, b.dropped());
    assertEquals(5, b.lastSeq());
    assertEquals(List.of(4L, 5L), b.last(10, 3).stream().map(WorkerProtocol.LogLine::seq).toList());
    assertEquals(List.of(5L), b.last(1, 3).stream().map(WorkerProtocol.LogLine::seq).toList());
    assertEquals(List.of(), b.last(10, 5));
    assertEquals(3, b.last(10, 1).size(), "lines after one it dropped: all it has");
  }

  @Test
  void staysWithinItsCharacters() {
    LogBuffer b = new LogBuffer(1000, 2048);
    for (int i = 0; i < 100; i++) {
      add(b, "x".repeat(100) + i);
    }
    assertTrue(b.chars() <= 2048, "chars " + b.chars());
    assertTrue(b.size() >= 10 && b.size() < 20, "size " + b.size());
    assertEquals(100 - b.size(), b.dropped());
    assertTrue(b.last(1).get(0).message().endsWith("99"));
  }

  @Test
  void cutsALongLineAndKeepsItEvenIfItAloneIsOverTheBound() {
    LogBuffer b = new LogBuffer(10, 1024);
    add(b, "y".repeat(LogBuffer.MAX_LINE_CHARS * 2));
    assertEquals(1, b.size());
    String m = b.last(1).get(0).message();
    assertTrue(m.startsWith("y".repeat(LogBuffer.MAX_LINE_CHARS) + "… (" + LogBuffer.MAX_LINE_CHARS + " more characters)"),
        m.substring(LogBuffer.MAX_LINE_CHARS - 5));
    add(b, "short");
    assertEquals(List.of("short"), b.last(10).stream().map(WorkerProtocol.LogLine::message).toList());
  }

  @Test
  void keepsEveryField() {
    LogBuffer b = new LogBuffer(10, 4096);
    b.add(5L, "WARN", "org.example.Task", "exec-0", "load-3", "<b>hi</b>");
    assertEquals(new WorkerProtocol.LogLine(1, 5L, "WARN", "org.example.Task", "exec-0", "load-3", "<b>hi</b>"),
        b.last(1).get(0));
  }
}
