package org.tasklane.dashboard.history;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import java.io.IOException;
import java.util.List;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Transfer;

/**
 * Writes a task record of the run history field by field: the same bytes as Jackson's own
 * serializer of the {@link DashboardProtocol.TaskEvent} record (an array in its property order,
 * transfers as arrays), without reading each field through reflection. Every task record of the
 * cluster is written here, on the scheduler's host when the dashboard is embedded; reading stays
 * with Jackson's deserializer. {@code TaskEventWriterTest} holds the two to the same bytes.
 */
final class TaskEventWriter extends StdSerializer<DashboardProtocol.TaskEvent> {
  TaskEventWriter() {
    super(DashboardProtocol.TaskEvent.class);
  }

  /** The module that puts this writer in place of Jackson's for task records. */
  static SimpleModule module() {
    return new SimpleModule("tasklane-task-event-writer").addSerializer(DashboardProtocol.TaskEvent.class,
        new TaskEventWriter());
  }

  @Override
  public void serialize(DashboardProtocol.TaskEvent e, JsonGenerator g, SerializerProvider provider)
      throws IOException {
    g.writeStartArray(e);
    g.writeNumber(e.taskId());
    writeText(g, e.key());
    writeText(g, e.group());
    writeText(g, e.graphId());
    writeText(g, e.worker());
    writeText(g, e.thread());
    g.writeNumber(e.startMicros());
    g.writeNumber(e.stopMicros());
    writeText(g, e.status());
    g.writeNumber(e.nbytes());
    writeText(g, e.error());
    // by index: an iterator per record would be garbage per task
    List<Transfer> transfers = e.transfers();
    g.writeStartArray(transfers, transfers.size());
    for (int i = 0; i < transfers.size(); i++) {
      Transfer t = transfers.get(i);
      g.writeStartArray(t);
      g.writeNumber(t.taskId());
      writeText(g, t.key());
      writeText(g, t.peer());
      g.writeNumber(t.bytes());
      g.writeNumber(t.startMicros());
      g.writeNumber(t.stopMicros());
      g.writeEndArray();
    }
    g.writeEndArray();
    List<Long> deps = e.deps();
    g.writeStartArray(deps, deps.size());
    for (int i = 0; i < deps.size(); i++) {
      g.writeNumber(deps.get(i));
    }
    g.writeEndArray();
    writeText(g, e.trace());
    g.writeEndArray();
  }

  private static void writeText(JsonGenerator g, String s) throws IOException {
    if (s == null) {
      g.writeNull();
    } else {
      g.writeString(s);
    }
  }
}
