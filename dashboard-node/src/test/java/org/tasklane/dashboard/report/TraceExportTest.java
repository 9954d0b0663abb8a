package org.tasklane.dashboard.report;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.report.Runs.moved;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

public class TraceExportTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Two workers, a fetched input, a retried task, an erred one, odd keys, and a transfer from a task not recorded. */
  public static Runs sample() {
    Runs runs = new Runs();
    runs.task(1, "load-\"0\"</script>", "w1", "t0", 0, 1_000, List.of());
    runs.task(2, "load-1", "w2", "t1", 0, 1_200, List.of());
    runs.task(3, "load-1", "w2", "t0", 1_300, 1_400, List.of()); // recomputed (a second run of another id)
    runs.task(4, "sum", "w2", "t0", 2_000, 2_500, List.of(1L, 2L), moved(1, "load-\"0\"</script>", "w1", 64, 1_100, 1_900));
    runs.erred(5, "boom-<b>x</b>", "w1", "t1", 100, 300, "it \"failed\" <badly>\u2028");
    runs.task(6, "late", "w1", "t0", 3_000, 3_100, List.of(99L), moved(99, "gone", "w3", 8, 2_600, 2_900),
        moved(2, "load-1", "w2", 16, 2_700, 2_950));
    return runs;
  }

  static JsonNode trace(RunIndex index) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TraceExport(index).write(out);
    return JSON.readTree(out.toString(StandardCharsets.UTF_8)); // valid JSON, or this throws
  }

  /** Every rule of the trace test, on any trace; returns {task slices, transfer slices}. */
  public static long[] checkRules(JsonNode trace) {
    assertEquals("ms", trace.get("displayTimeUnit").asText());
    Map<Long, JsonNode> starts = new HashMap<>();
    Map<Long, JsonNode> ends = new HashMap<>();
    Set<String> named = new HashSet<>();
    Set<String> used = new HashSet<>();
    long tasks = 0;
    long transfers = 0;
    for (JsonNode e : trace.get("traceEvents")) {
      String ph = e.get("ph").asText();
      switch (ph) {
        case "X" -> {
          for (String f : List.of("ph", "ts", "dur", "pid", "tid", "name")) {
            assertTrue(e.hasNonNull(f), "slice without " + f + ": " + e);
          }
          assertTrue(e.get("ts").isIntegralNumber() && e.get("ts").asLong() >= 0, "ts in whole µs: " + e);
          assertTrue(e.get("dur").isIntegralNumber() && e.get("dur").asLong() >= 0, "dur in whole µs: " + e);
          used.add(e.get("pid").asInt() + "/" + e.get("tid").asInt());
          if (e.get("cat").asText().equals("transfer")) {
            transfers++;
          } else {
            tasks++;
          }
        }
        case "s" -> assertNull(starts.put(e.get("id").asLong(), e), "flow id used twice");
        case "f" -> {
          assertEquals("e", e.get("bp").asText());
          assertNull(ends.put(e.get("id").asLong(), e), "flow id ended twice");
        }
        case "M" -> {
          if (e.get("name").asText().equals("thread_name")) {
            named.add(e.get("pid").asInt() + "/" + e.get("tid").asInt());
          }
          assertFalse(e.get("args").get(e.get("name").asText().endsWith("_name") ? "name" : "sort_index").isMissingNode());
        }
        default -> fail("unexpected event " + e);
      }
    }
    assertEquals(starts.keySet(), ends.keySet(), "every flow start has its end");
    for (var s : starts.entrySet()) {
      JsonNode f = ends.get(s.getKey());
      assertEquals(s.getValue().get("cat"), f.get("cat"));
      assertTrue(s.getValue().get("ts").asLong() <= f.get("ts").asLong(), "arrows go forward in time");
    }
    assertTrue(named.containsAll(used), "every track has a name: " + used + " vs " + named);
    return new long[] {tasks, transfers};
  }

  @Test
  void followsEveryRuleOfTheTraceTest() throws Exception {
    RunIndex index = sample().index();
    JsonNode trace = trace(index);
    long[] counts = checkRules(trace);
    assertEquals(index.runs().size(), counts[0]);
    assertEquals(index.transferCount(), counts[1]);
    JsonNode other = trace.get("otherData");
    assertEquals(3, other.get("transfers").asLong());
    assertEquals(2, other.get("flows").asLong());
    assertEquals(1, other.get("transfersWithoutProducer").asLong(), "task 99 is not in the records");
    assertEquals(Runs.T0, other.get("originMicros").asLong());
  }

  @Test
  void keysAndErrorsComeBackExactly() throws Exception {
    JsonNode trace = trace(sample().index());
    Set<String> names = new HashSet<>();
    String error = null;
    for (JsonNode e : trace.get("traceEvents")) {
      if (e.get("ph").asText().equals("X")) {
        names.add(e.get("name").asText());
        if (e.get("args").has("error")) {
          error = e.get("args").get("error").asText();
        }
      }
    }
    assertTrue(names.contains("load-\"0\"</script>"));
    assertTrue(names.contains("boom-<b>x</b>"));
    assertEquals("it \"failed\" <badly>\u2028", error);
  }

  @Test
  void flowsStartOnTheProducingSliceAndEndOnTheReceivingOne() throws Exception {
    JsonNode trace = trace(sample().index());
    Map<String, Integer> pid = new HashMap<>();
    for (JsonNode e : trace.get("traceEvents")) {
      if (e.get("name").asText().equals("process_name")) {
        pid.put(e.get("args").get("name").asText(), e.get("pid").asInt());
      }
    }
    JsonNode s = null;
    JsonNode f = null;
    for (JsonNode e : trace.get("traceEvents")) {
      if (e.get("id") != null && e.get("name").asText().startsWith("load-\"0\"")) {
        if (e.get("ph").asText().equals("s")) {
          s = e;
        } else {
          f = e;
        }
      }
    }
    assertNotNull(s);
    assertEquals(pid.get("w1"), s.get("pid").asInt());
    assertEquals(999, s.get("ts").asLong(), "just inside the end of load-0's slice (0..1000)");
    assertEquals(pid.get("w2"), f.get("pid").asInt());
    assertEquals(2_000, f.get("ts").asLong(), "the start of sum's slice");
  }

  @Test
  void overlappingTransfersGetTracksOfTheirOwn() {
    Runs runs = new Runs();
    runs.task(1, "a", "w1", "t0", 0, 100, List.of());
    runs.task(2, "b", "w1", "t1", 0, 100, List.of());
    runs.task(3, "c", "w2", "t0", 500, 600, List.of(1L, 2L), moved(1, "a", "w1", 1, 150, 400),
        moved(2, "b", "w1", 1, 200, 450));
    runs.task(4, "d", "w2", "t1", 900, 950, List.of(1L), moved(1, "a", "w1", 1, 460, 800));
    List<TraceExport.TransferSlice> slices = new TraceExport(runs.index()).transferSlices();
    assertEquals(List.of(0, 1, 0), slices.stream().map(TraceExport.TransferSlice::lane).toList());
  }

  @Test
  void naturalOrder() {
    assertTrue(TraceExport.natural("worker-2", "worker-10") < 0);
    assertTrue(TraceExport.natural("w01", "w1") != 0);
    assertEquals(0, TraceExport.natural("w1", "w1"));
  }
}
