package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol.GraphEvent;
import org.tasklane.protocol.DashboardProtocol.GroupEdge;
import org.tasklane.protocol.api.GroupProgress;

/**
 * A graph's group edges ride in its run's RunStarted record: run files written before they existed
 * still read (no edges), and the records after the first leave them out.
 */
class GraphEventFormatTest {
  static final CBORMapper CBOR = new CBORMapper();
  static final GroupProgress LOAD = new GroupProgress("load", 2, 1, 0, 0, 1, 0);

  @Test
  void aRunStartedWrittenBeforeEdgesExistedStillReads() throws Exception {
    Map<String, Object> graph = new LinkedHashMap<>();
    graph.put("graphId", "g-1");
    graph.put("name", "old");
    graph.put("state", "running");
    graph.put("submittedMillis", 5L);
    graph.put("finishedMillis", 0L);
    graph.put("tasks", 2);
    graph.put("erred", 0);
    graph.put("groups", List.of(LOAD));
    Map<String, Object> record = new LinkedHashMap<>();
    record.put("timeMillis", 6L);
    record.put("graph", graph);
    record.put("incarnation", "inc-1");
    record.put("joinedLate", false);
    byte[] old = CBOR.writeValueAsBytes(record);
    HistoryRecord r = new RecordCodec().decode(RunFileFormat.RUN_STARTED, false, old, old.length);
    GraphEvent g = ((HistoryRecord.RunStarted) r).graph();
    assertEquals(List.of(LOAD), g.groups());
    assertEquals(List.of(), g.edges());
    assertFalse(g.edgesTruncated());
  }

  @Test
  void aRunStartedKeepsItsEdgesAndWithoutEdgesDropsThem() throws Exception {
    GraphEvent g = new GraphEvent("g-1", "<b>x</b>", "running", 5L, 0L, 2, 0, List.of(LOAD),
        List.of(new GroupEdge("load", "total"), new GroupEdge("total", "<i>report</i>")), true);
    RecordCodec codec = new RecordCodec();
    RecordCodec.Encoded e = codec.encode(new HistoryRecord.RunStarted(6L, g, "inc-1", false));
    byte[] payload = java.util.Arrays.copyOf(e.payload(), e.length());
    HistoryRecord back = codec.decode(e.type(), (e.flags() & RunFileFormat.FLAG_DEFLATED) != 0, payload, e.length());
    assertEquals(g, ((HistoryRecord.RunStarted) back).graph());
    GraphEvent plain = g.withoutEdges();
    assertEquals(List.of(), plain.edges());
    assertFalse(plain.edgesTruncated());
    assertEquals(g.groups(), plain.groups());
    assertSame(plain, plain.withoutEdges());
  }
}
