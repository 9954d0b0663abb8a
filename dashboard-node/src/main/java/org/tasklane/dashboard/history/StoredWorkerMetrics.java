package org.tasklane.dashboard.history;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.DashboardProtocol.WorkerFigures;

/**
 * Reads a {@link DashboardProtocol.WorkerMetrics} from a run file in either shape: the one with
 * its figures in one {@code figures} record (format 2 on), or the one before (format 1), where the
 * 16 figures were fields of the message itself next to its identity. A frame may hold either
 * whatever its file's header says (a run file begun by an older dashboard and continued by a newer
 * one), so the shape is told by the record itself: {@code figures} present or not.
 */
final class StoredWorkerMetrics extends StdDeserializer<DashboardProtocol.WorkerMetrics> {

  /** Decodes the current shape (this deserializer is not registered on it: no recursion). */
  private static final ObjectMapper PLAIN = CBORMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  StoredWorkerMetrics() {
    super(DashboardProtocol.WorkerMetrics.class);
  }

  /** The module that reads both shapes, for the run files' mapper. */
  static SimpleModule module() {
    return new SimpleModule("stored-worker-metrics").addDeserializer(DashboardProtocol.WorkerMetrics.class,
        new StoredWorkerMetrics());
  }

  @Override
  public DashboardProtocol.WorkerMetrics deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
    JsonNode n = p.readValueAsTree();
    if (n == null || !n.isObject()) {
      throw new IOException("a worker's metrics are not a record");
    }
    return n.has("figures") ? PLAIN.treeToValue(n, DashboardProtocol.WorkerMetrics.class) : fromFormat1(n);
  }

  /** The format-1 shape: {@code worker, ..., nthreads, executing, ..., diskWriteBytesPerSec, memory}. */
  static DashboardProtocol.WorkerMetrics fromFormat1(JsonNode n) throws IOException {
    JsonNode memory = n.get("memory");
    WorkerFigures figures = new WorkerFigures(
        new WorkerFigures.Tasks(n.path("executing").asInt(), n.path("queued").asInt(), n.path("heldResults").asInt(),
            n.path("heldBytes").asLong(), n.path("tasksCompleted").asLong()),
        new WorkerFigures.Transfers(n.path("transfersIn").asLong(), n.path("bytesIn").asLong(),
            n.path("transfersOut").asLong(), n.path("bytesOut").asLong()),
        new WorkerFigures.Process(n.path("cpuPercent").asDouble(), n.path("rssBytes").asLong(),
            n.path("memoryLimitBytes").asLong()),
        WorkerFigures.Host.ofRates(n.path("netInBytesPerSec").asDouble(), n.path("netOutBytesPerSec").asDouble(),
            n.path("diskReadBytesPerSec").asDouble(), n.path("diskWriteBytesPerSec").asDouble()),
        memory == null || memory.isNull() ? null : PLAIN.treeToValue(memory, DashboardProtocol.WorkerMemory.class));
    return new DashboardProtocol.WorkerMetrics(text(n, "worker"), text(n, "incarnation"), n.path("seq").asLong(),
        n.path("timeMillis").asLong(), text(n, "host"), text(n, "address"), n.path("nthreads").asInt(), figures);
  }

  private static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
