package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;

/**
 * A task record's trace is its last array element: run files written before it existed (13
 * elements) still read, with no trace, and a record without a trace costs one byte more.
 */
class TaskEventFormatTest {
  static final CBORMapper CBOR = new CBORMapper();

  @Test
  void recordsWithoutTheTraceElementStillRead() throws Exception {
    byte[] old = CBOR.writeValueAsBytes(Arrays.asList(7L, "inc-7", "inc", "g-1", "w1", "exec-0", 1L, 2L, "erred", 0L,
        "boom", List.of(), List.of(3L)));
    TaskEvent e = CBOR.readValue(old, TaskEvent.class);
    assertEquals("boom", e.error());
    assertEquals(List.of(3L), e.deps());
    assertNull(e.trace());
  }

  @Test
  void aRecordWithoutATraceCostsOneByteMoreAndOneWithItKeepsIt() throws Exception {
    TaskEvent plain = new TaskEvent(7L, "inc-7", "inc", "g-1", "w1", "exec-0", 1L, 2L, "memory", 8L, null, List.of(),
        List.of());
    byte[] now = CBOR.writeValueAsBytes(plain);
    // an indefinite-length array: ..., null (0xf6, the absent trace), break (0xff)
    assertEquals((byte) 0xf6, now[now.length - 2]);
    assertEquals((byte) 0xff, now[now.length - 1]);
    assertEquals(plain, CBOR.readValue(now, TaskEvent.class));
    TaskEvent traced = new TaskEvent(8L, "f-8", "f", "g-1", "w1", "exec-0", 1L, 2L, "erred", 0L, "E: x", List.of(),
        List.of(), "java.lang.E: x\n\tat a.B.c(B.java:1)\n");
    assertEquals(traced, CBOR.readValue(CBOR.writeValueAsBytes(traced), TaskEvent.class));
  }
}
