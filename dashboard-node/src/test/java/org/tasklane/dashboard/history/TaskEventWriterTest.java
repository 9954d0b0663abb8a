package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.Transfer;

/** The hand-written task record writer gives Jackson's own bytes, for every shape a record takes. */
class TaskEventWriterTest {
  static final CBORMapper JACKSON = new CBORMapper();
  static final CBORMapper WRITER = CBORMapper.builder().addModule(TaskEventWriter.module()).build();

  @Test
  void writesTheBytesJacksonWrites() throws Exception {
    Random random = new Random(13);
    List<TaskEvent> events = new ArrayList<>();
    events.add(new TaskEvent(0L, "", "", "", "", "", 0L, 0L, "memory", 0L, null, List.of(), List.of()));
    events.add(new TaskEvent(Long.MAX_VALUE, "ключ-🙂", "группа", "g", "w", "t", Long.MIN_VALUE, -1L, "erred", -5L,
        "<b>boom</b>\n\tat x", List.of(new Transfer(-1L, null, null, 0L, 1L, 2L)), List.of(Long.MIN_VALUE, 0L),
        "java.lang.E: x\n\tat a.B.c(B.java:1)\n" + "é".repeat(5000)));
    for (int i = 0; i < 500; i++) {
      List<Transfer> transfers = new ArrayList<>();
      for (int k = random.nextInt(3); k > 0; k--) {
        transfers.add(new Transfer(random.nextLong(), "k" + random.nextInt(), "10.0.0.1:" + random.nextInt(65536),
            random.nextInt(1 << 30), random.nextLong(), random.nextLong()));
      }
      List<Long> deps = new ArrayList<>();
      for (int k = random.nextInt(4); k > 0; k--) {
        deps.add((long) random.nextInt(1 << random.nextInt(31)));
      }
      boolean erred = random.nextInt(5) == 0;
      events.add(new TaskEvent(random.nextInt(1 << random.nextInt(31)), "inc-" + random.nextInt(), "inc",
          "graph-" + i, "127.0.0.1:" + random.nextInt(65536), "tasklane-exec-" + random.nextInt(4),
          random.nextLong(), random.nextLong(), erred ? "erred" : "memory", random.nextInt(1 << random.nextInt(31)),
          erred ? "E: " + "x".repeat(random.nextInt(300)) : null, transfers, deps,
          erred && random.nextBoolean() ? "trace " + i : null));
    }
    for (TaskEvent e : events) {
      assertArrayEquals(JACKSON.writeValueAsBytes(e), WRITER.writeValueAsBytes(e), e::toString);
    }
    HistoryRecord.Tasks record = new HistoryRecord.Tasks(7L, events);
    byte[] written = WRITER.writeValueAsBytes(record);
    assertArrayEquals(JACKSON.writeValueAsBytes(record), written);
    assertEquals(record, JACKSON.readValue(written, HistoryRecord.Tasks.class));
  }
}
