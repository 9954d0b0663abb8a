package org.tasklane.dashboard.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.Transfer;

/**
 * A run as a Chrome trace-event file (the JSON object format that Perfetto and chrome://tracing
 * open), written as a stream: one process per worker, one thread per worker thread, an {@code X}
 * slice per task run (name the key, category the group), and per transfer an {@code X} slice on a
 * "transfers" track of the receiving worker plus a flow arrow ({@code s} on the producing task's
 * slice, {@code f} bound to the receiving task's slice). Times are microseconds from the run's
 * origin ({@code otherData.originMicros}, epoch microseconds).
 *
 * <p>A transfer whose producing task is not in the records (a partial run) gets its slice but no
 * flow, so every flow start has its end; {@code otherData.transfersWithoutProducer} counts them.
 */
public final class TraceExport {
  /** Transfer tracks are numbered from here so they sort after the worker's threads. */
  static final int TRANSFER_TID_BASE = 100_000;
  /** Concurrent transfers into one worker beyond this share a track (slices there may overlap). */
  static final int MAX_TRANSFER_TRACKS = 64;

  private static final JsonFactory FACTORY = new JsonFactory();

  private final RunIndex run;
  private final long origin;
  private final Map<String, Integer> pids = new java.util.LinkedHashMap<>(); // in natural order of names
  private final Map<String, Map<String, Integer>> tids = new HashMap<>();
  private final Map<Long, List<TaskEvent>> goodRuns = new HashMap<>();

  public TraceExport(RunIndex run) {
    this.run = run;
    this.origin = run.originMicros();
    Map<String, java.util.Set<String>> threads = new HashMap<>();
    for (TaskEvent t : run.runs()) {
      threads.computeIfAbsent(worker(t), w -> new java.util.HashSet<>()).add(thread(t));
      if ("memory".equals(t.status())) {
        goodRuns.computeIfAbsent(t.taskId(), id -> new ArrayList<>(1)).add(t);
      }
    }
    int pid = 1;
    for (String w : threads.keySet().stream().sorted(TraceExport::natural).toList()) {
      pids.put(w, pid++);
      Map<String, Integer> byName = new java.util.LinkedHashMap<>();
      int tid = 1;
      for (String th : threads.get(w).stream().sorted(TraceExport::natural).toList()) {
        byName.put(th, tid++);
      }
      tids.put(w, byName);
    }
  }

  /** Writes the whole trace to {@code out} (not closed). */
  public void write(OutputStream out) throws IOException {
    List<TransferSlice> transfers = transferSlices();
    try (JsonGenerator g = FACTORY.createGenerator(out, JsonEncoding.UTF8)) {
      g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
      g.writeStartObject();
      g.writeStringField("displayTimeUnit", "ms");
      g.writeArrayFieldStart("traceEvents");
      writeMetadata(g, transfers);
      for (TaskEvent t : run.runs()) {
        writeTaskSlice(g, t);
      }
      long flows = 0;
      long orphans = 0;
      for (TransferSlice s : transfers) {
        writeTransferSlice(g, s);
        TaskEvent producer = producerOf(s.transfer());
        if (producer == null) {
          orphans++;
        } else {
          writeFlow(g, ++flows, producer, s.consumer(), s.transfer());
        }
      }
      g.writeEndArray();
      g.writeObjectFieldStart("otherData");
      g.writeStringField("runId", run.info().id());
      g.writeStringField("graphId", run.graph().graphId());
      g.writeStringField("name", run.graph().name());
      g.writeStringField("state", run.graph().state());
      g.writeNumberField("originMicros", origin);
      g.writeNumberField("graphTasks", run.graph().tasks());
      g.writeNumberField("taskSlices", run.runs().size());
      g.writeNumberField("transfers", transfers.size());
      g.writeNumberField("flows", flows);
      g.writeNumberField("transfersWithoutProducer", orphans);
      g.writeBooleanField("partial", run.partial());
      g.writeStringField("partialReason", run.partialReason());
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private void writeMetadata(JsonGenerator g, List<TransferSlice> transfers) throws IOException {
    Map<String, Integer> lanes = new HashMap<>();
    for (TransferSlice s : transfers) {
      lanes.merge(worker(s.consumer()), s.lane() + 1, Math::max);
    }
    for (var w : pids.entrySet()) {
      int pid = w.getValue();
      meta(g, "process_name", pid, 0, "name", w.getKey());
      meta(g, "process_sort_index", pid, 0, "sort_index", pid);
      for (var th : tids.get(w.getKey()).entrySet()) {
        meta(g, "thread_name", pid, th.getValue(), "name", th.getKey());
        meta(g, "thread_sort_index", pid, th.getValue(), "sort_index", th.getValue());
      }
      int n = lanes.getOrDefault(w.getKey(), 0);
      for (int lane = 0; lane < n; lane++) {
        int tid = TRANSFER_TID_BASE + lane;
        meta(g, "thread_name", pid, tid, "name", lane == 0 ? "transfers" : "transfers " + (lane + 1));
        meta(g, "thread_sort_index", pid, tid, "sort_index", tid);
      }
    }
  }

  private static void meta(JsonGenerator g, String name, int pid, int tid, String arg, Object value) throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", "M");
    g.writeStringField("name", name);
    g.writeNumberField("pid", pid);
    g.writeNumberField("tid", tid);
    g.writeObjectFieldStart("args");
    if (value instanceof Integer i) {
      g.writeNumberField(arg, i);
    } else {
      g.writeStringField(arg, String.valueOf(value));
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeTaskSlice(JsonGenerator g, TaskEvent t) throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", "X");
    g.writeStringField("name", String.valueOf(t.key()));
    g.writeStringField("cat", String.valueOf(t.group()));
    g.writeNumberField("ts", t.startMicros() - origin);
    g.writeNumberField("dur", Math.max(0, t.stopMicros() - t.startMicros()));
    g.writeNumberField("pid", pids.get(worker(t)));
    g.writeNumberField("tid", tids.get(worker(t)).get(thread(t)));
    g.writeObjectFieldStart("args");
    g.writeNumberField("taskId", t.taskId());
    g.writeStringField("status", String.valueOf(t.status()));
    g.writeNumberField("nbytes", t.nbytes());
    if (t.error() != null) {
      g.writeStringField("error", t.error());
    }
    g.writeEndObject();
    g.writeEndObject();
  }

  private void writeTransferSlice(JsonGenerator g, TransferSlice s) throws IOException {
    Transfer x = s.transfer();
    TaskEvent to = s.consumer();
    g.writeStartObject();
    g.writeStringField("ph", "X");
    g.writeStringField("name", String.valueOf(x.key()));
    g.writeStringField("cat", "transfer");
    g.writeNumberField("ts", x.startMicros() - origin);
    g.writeNumberField("dur", Math.max(0, x.stopMicros() - x.startMicros()));
    g.writeNumberField("pid", pids.get(worker(to)));
    g.writeNumberField("tid", TRANSFER_TID_BASE + s.lane());
    g.writeObjectFieldStart("args");
    g.writeNumberField("taskId", x.taskId());
    g.writeStringField("from", String.valueOf(x.peer()));
    g.writeStringField("inputOf", String.valueOf(to.key()));
    g.writeNumberField("bytes", x.bytes());
    g.writeEndObject();
    g.writeEndObject();
  }

  /** The arrow: from the producing task's slice (just before its end) to the receiving task's slice. */
  private void writeFlow(JsonGenerator g, long id, TaskEvent from, TaskEvent to, Transfer x) throws IOException {
    long fromTs = Math.max(from.startMicros(), from.stopMicros() - 1) - origin;
    flowEvent(g, "s", id, x, from, fromTs);
    flowEvent(g, "f", id, x, to, to.startMicros() - origin);
  }

  private void flowEvent(JsonGenerator g, String ph, long id, Transfer x, TaskEvent on, long ts) throws IOException {
    g.writeStartObject();
    g.writeStringField("ph", ph);
    g.writeNumberField("id", id);
    g.writeStringField("name", String.valueOf(x.key()));
    g.writeStringField("cat", "transfer");
    g.writeNumberField("ts", ts);
    g.writeNumberField("pid", pids.get(worker(on)));
    g.writeNumberField("tid", tids.get(worker(on)).get(thread(on)));
    if (ph.equals("f")) {
      g.writeStringField("bp", "e");
    }
    g.writeEndObject();
  }

  /**
   * The run of the moved task that the transfer read: the last successful run on the sending worker
   * that ended before the transfer began; failing that, its last successful run anywhere.
   */
  TaskEvent producerOf(Transfer x) {
    List<TaskEvent> candidates = goodRuns.get(x.taskId());
    if (candidates == null) {
      return null;
    }
    TaskEvent best = null;
    for (TaskEvent c : candidates) {
      if (String.valueOf(c.worker()).equals(x.peer()) && c.stopMicros() <= x.startMicros()
          && (best == null || c.stopMicros() > best.stopMicros())) {
        best = c;
      }
    }
    if (best == null) {
      for (TaskEvent c : candidates) {
        if (best == null || c.stopMicros() > best.stopMicros()) {
          best = c;
        }
      }
    }
    return best;
  }

  /** One transfer and the track (lane) it is drawn on in its receiving worker's process. */
  record TransferSlice(TaskEvent consumer, Transfer transfer, int lane) {}

  /** Every transfer, each on the first track of its receiving worker that is free at its start. */
  List<TransferSlice> transferSlices() {
    Map<String, List<TransferSlice>> byWorker = new HashMap<>();
    for (TaskEvent t : run.runs()) {
      for (Transfer x : t.transfers()) {
        byWorker.computeIfAbsent(worker(t), w -> new ArrayList<>()).add(new TransferSlice(t, x, 0));
      }
    }
    List<TransferSlice> all = new ArrayList<>();
    for (List<TransferSlice> list : byWorker.values()) {
      list.sort((a, b) -> Long.compare(a.transfer().startMicros(), b.transfer().startMicros()));
      long[] laneEnds = new long[MAX_TRANSFER_TRACKS];
      int used = 0;
      for (TransferSlice s : list) {
        int lane = -1;
        for (int i = 0; i < used; i++) {
          if (laneEnds[i] <= s.transfer().startMicros()) {
            lane = i;
            break;
          }
        }
        if (lane < 0 && used < MAX_TRANSFER_TRACKS) {
          lane = used++;
        }
        if (lane < 0) {
          lane = earliest(laneEnds);
        }
        laneEnds[lane] = Math.max(laneEnds[lane], s.transfer().stopMicros());
        all.add(new TransferSlice(s.consumer(), s.transfer(), lane));
      }
    }
    return all;
  }

  private static int earliest(long[] ends) {
    int best = 0;
    for (int i = 1; i < ends.length; i++) {
      if (ends[i] < ends[best]) {
        best = i;
      }
    }
    return best;
  }

  private static String worker(TaskEvent t) {
    return String.valueOf(t.worker());
  }

  private static String thread(TaskEvent t) {
    return String.valueOf(t.thread());
  }

  /** "worker-2" before "worker-10": digits compared as numbers. */
  static int natural(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      char ca = a.charAt(i);
      char cb = b.charAt(j);
      if (Character.isDigit(ca) && Character.isDigit(cb)) {
        int si = i;
        int sj = j;
        while (i < a.length() && Character.isDigit(a.charAt(i))) {
          i++;
        }
        while (j < b.length() && Character.isDigit(b.charAt(j))) {
          j++;
        }
        while (si < i - 1 && a.charAt(si) == '0') {
          si++; // leading zeros do not make a number larger
        }
        while (sj < j - 1 && b.charAt(sj) == '0') {
          sj++;
        }
        int c = Integer.compare(i - si, j - sj);
        for (int k = 0; c == 0 && k < i - si; k++) {
          c = Character.compare(a.charAt(si + k), b.charAt(sj + k));
        }
        if (c != 0) {
          return c;
        }
      } else {
        if (ca != cb) {
          return Character.compare(ca, cb);
        }
        i++;
        j++;
      }
    }
    int c = Integer.compare(a.length() - i, b.length() - j);
    return c != 0 ? c : a.compareTo(b);
  }
}
