package org.tasklane.dashboard.report;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;
import org.tasklane.protocol.Transfer;

/**
 * The JSON a report embeds, written as a stream. Times are whole microseconds from {@code origin}
 * (epoch ms in {@code run.originMillis}); compact arrays for what repeats per task:
 *
 * <pre>
 * run        {id, graphId, name, state, submitted, finished (epoch ms), originMillis, durationMicros,
 *             graphTasks, recordedRuns, erred, workers, transfers, partial, partialReason}
 * stream     {total, drawn, sampled, groups: [name], rows: [[worker, thread]], errors: [text],
 *             tasks: [[id, key, group#, row#, start, dur, erred 0|1, nbytes, error# or -1, [[key, peer, bytes, start, dur]]?]]}
 * groups     [{name, runs, erred, compute, transfer, waiting}]         (µs)
 * slowest    [[key, group, worker, thread, start, dur, status]]         (20)
 * transfers  {count, bytes, micros, slowest: [[key, peer, to worker, input of, bytes, start, dur]]}
 * errors     {erred, other, groups: [{message, count, keys, text, cut}]}
 * workers    {interval, other, list: [{name, host, nthreads, runs, points: [[t, cpu, memory, limit, executing, done]]}]}
 * critical   {complete, reason, runMicros, steps: [[kind, taskId, label, worker, thread, start, dur]]}
 * </pre>
 */
final class ReportData {
  static final int SLOWEST = 20;

  private final RunIndex run;
  private final CriticalPath path;
  private final StreamSample sample;
  private final long origin;

  ReportData(RunIndex run) {
    this.run = run;
    this.path = CriticalPath.of(run.lastGood(), run.submittedMicros());
    this.sample = StreamSample.of(run.runs(), path, run);
    this.origin = run.originMicros();
  }

  CriticalPath criticalPath() {
    return path;
  }

  StreamSample sample() {
    return sample;
  }

  void write(JsonGenerator g) throws IOException {
    g.writeStartObject();
    writeRun(g);
    writeStream(g);
    writeGroups(g);
    writeSlowest(g);
    writeTransfers(g);
    writeErrors(g);
    writeWorkers(g);
    writeCritical(g);
    g.writeEndObject();
  }

  private void writeRun(JsonGenerator g) throws IOException {
    var info = run.info();
    var graph = run.graph();
    g.writeObjectFieldStart("run");
    g.writeStringField("id", info.id());
    g.writeStringField("graphId", graph.graphId());
    g.writeStringField("name", graph.name());
    g.writeStringField("state", graph.state());
    g.writeNumberField("submitted", graph.submittedMillis());
    g.writeNumberField("finished", graph.finishedMillis());
    g.writeNumberField("originMillis", origin / 1000.0);
    g.writeNumberField("durationMicros", Math.max(0, run.endMicros() - origin));
    g.writeNumberField("graphTasks", graph.tasks());
    g.writeNumberField("recordedRuns", run.runs().size());
    g.writeNumberField("recordedTasks", run.lastGood().size());
    g.writeNumberField("erred", run.runs().stream().filter(t -> "erred".equals(t.status())).count());
    g.writeArrayFieldStart("workers");
    for (String w : workerNames()) {
      g.writeString(w);
    }
    g.writeEndArray();
    g.writeNumberField("transfers", run.transferCount());
    g.writeBooleanField("partial", run.partial());
    g.writeStringField("partialReason", run.partialReason());
    g.writeEndObject();
  }

  private List<String> workerNames() {
    java.util.Set<String> names = new java.util.HashSet<>(run.info().workers());
    for (TaskEvent t : run.runs()) {
      names.add(String.valueOf(t.worker()));
    }
    return names.stream().sorted(TraceExport::natural).toList();
  }

  private void writeStream(JsonGenerator g) throws IOException {
    Map<String, Integer> groups = new HashMap<>();
    Map<String, Integer> rows = new HashMap<>();
    Map<String, Integer> errors = new HashMap<>();
    List<TaskEvent> runs = run.runs();
    g.writeObjectFieldStart("stream");
    g.writeNumberField("total", runs.size());
    g.writeNumberField("drawn", sample.kept());
    g.writeBooleanField("sampled", sample.sampled());
    g.writeArrayFieldStart("tasks");
    // names are numbered as they come; their tables follow the tasks
    java.util.ArrayList<String> groupNames = new java.util.ArrayList<>();
    java.util.ArrayList<String[]> rowNames = new java.util.ArrayList<>();
    java.util.ArrayList<String> errorTexts = new java.util.ArrayList<>();
    for (int i = 0; i < runs.size(); i++) {
      if (!sample.keeps(i)) {
        continue;
      }
      TaskEvent t = runs.get(i);
      String group = String.valueOf(t.group());
      int gi = groups.computeIfAbsent(group, k -> {
        groupNames.add(k);
        return groupNames.size() - 1;
      });
      String worker = String.valueOf(t.worker());
      String thread = String.valueOf(t.thread());
      int ri = rows.computeIfAbsent(worker + "\u0000" + thread, k -> {
        rowNames.add(new String[] {worker, thread});
        return rowNames.size() - 1;
      });
      int ei = -1;
      if (t.error() != null) {
        String text = t.error().length() > ErrorGroups.MAX_TEXT ? t.error().substring(0, ErrorGroups.MAX_TEXT) : t.error();
        ei = errors.computeIfAbsent(text, k -> {
          errorTexts.add(k);
          return errorTexts.size() - 1;
        });
      }
      g.writeStartArray();
      g.writeNumber(t.taskId());
      g.writeString(String.valueOf(t.key()));
      g.writeNumber(gi);
      g.writeNumber(ri);
      g.writeNumber(t.startMicros() - origin);
      g.writeNumber(Math.max(0, t.stopMicros() - t.startMicros()));
      g.writeNumber("erred".equals(t.status()) ? 1 : 0);
      g.writeNumber(t.nbytes());
      g.writeNumber(ei);
      if (!t.transfers().isEmpty()) {
        g.writeStartArray();
        for (Transfer x : t.transfers()) {
          g.writeStartArray();
          g.writeString(String.valueOf(x.key()));
          g.writeString(String.valueOf(x.peer()));
          g.writeNumber(x.bytes());
          g.writeNumber(x.startMicros() - origin);
          g.writeNumber(Math.max(0, x.stopMicros() - x.startMicros()));
          g.writeEndArray();
        }
        g.writeEndArray();
      }
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("groups");
    for (String name : groupNames) {
      g.writeString(name);
    }
    g.writeEndArray();
    g.writeArrayFieldStart("rows");
    for (String[] r : rowNames) {
      g.writeStartArray();
      g.writeString(r[0]);
      g.writeString(r[1]);
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeArrayFieldStart("errors");
    for (String e : errorTexts) {
      g.writeString(e);
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeGroups(JsonGenerator g) throws IOException {
    g.writeArrayFieldStart("groups");
    for (GroupTimes.Group gr : GroupTimes.of(run)) {
      g.writeStartObject();
      g.writeStringField("name", gr.name());
      g.writeNumberField("runs", gr.runs());
      g.writeNumberField("erred", gr.erred());
      g.writeNumberField("compute", gr.computeMicros());
      g.writeNumberField("transfer", gr.transferMicros());
      g.writeNumberField("waiting", gr.waitingMicros());
      g.writeEndObject();
    }
    g.writeEndArray();
  }

  private void writeSlowest(JsonGenerator g) throws IOException {
    g.writeArrayFieldStart("slowest");
    for (int i : StreamSample.slowest(run.runs(), SLOWEST)) {
      TaskEvent t = run.runs().get(i);
      g.writeStartArray();
      g.writeString(String.valueOf(t.key()));
      g.writeString(String.valueOf(t.group()));
      g.writeString(String.valueOf(t.worker()));
      g.writeString(String.valueOf(t.thread()));
      g.writeNumber(t.startMicros() - origin);
      g.writeNumber(Math.max(0, t.stopMicros() - t.startMicros()));
      g.writeString(String.valueOf(t.status()));
      g.writeEndArray();
    }
    g.writeEndArray();
  }

  private void writeTransfers(JsonGenerator g) throws IOException {
    long count = 0;
    long bytes = 0;
    long micros = 0;
    java.util.PriorityQueue<Object[]> slowest = new java.util.PriorityQueue<>(
        java.util.Comparator.comparingLong(o -> ((Transfer) o[0]).stopMicros() - ((Transfer) o[0]).startMicros()));
    for (TaskEvent t : run.runs()) {
      for (Transfer x : t.transfers()) {
        count++;
        bytes += x.bytes();
        micros += Math.max(0, x.stopMicros() - x.startMicros());
        slowest.add(new Object[] {x, t});
        if (slowest.size() > SLOWEST) {
          slowest.poll();
        }
      }
    }
    List<Object[]> top = new java.util.ArrayList<>(slowest);
    top.sort(java.util.Comparator.comparingLong(o -> ((Transfer) o[0]).startMicros() - ((Transfer) o[0]).stopMicros()));
    g.writeObjectFieldStart("transfers");
    g.writeNumberField("count", count);
    g.writeNumberField("bytes", bytes);
    g.writeNumberField("micros", micros);
    g.writeArrayFieldStart("slowest");
    for (Object[] o : top) {
      Transfer x = (Transfer) o[0];
      TaskEvent t = (TaskEvent) o[1];
      g.writeStartArray();
      g.writeString(String.valueOf(x.key()));
      g.writeString(String.valueOf(x.peer()));
      g.writeString(String.valueOf(t.worker()));
      g.writeString(String.valueOf(t.key()));
      g.writeNumber(x.bytes());
      g.writeNumber(x.startMicros() - origin);
      g.writeNumber(Math.max(0, x.stopMicros() - x.startMicros()));
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeErrors(JsonGenerator g) throws IOException {
    ErrorGroups.Summary s = ErrorGroups.of(run.runs());
    g.writeObjectFieldStart("errors");
    g.writeNumberField("erred", s.erred());
    g.writeNumberField("other", s.otherErrors());
    g.writeArrayFieldStart("groups");
    for (ErrorGroups.Group e : s.groups()) {
      g.writeStartObject();
      g.writeStringField("message", e.message());
      g.writeNumberField("count", e.count());
      g.writeArrayFieldStart("keys");
      for (String k : e.keys()) {
        g.writeString(k);
      }
      g.writeEndArray();
      g.writeStringField("text", e.text());
      g.writeBooleanField("cut", e.textCut());
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeWorkers(JsonGenerator g) throws IOException {
    WorkerSeries.Table table = WorkerSeries.of(run.metrics(), run.runs());
    g.writeObjectFieldStart("workers");
    g.writeNumberField("interval", table.intervalMillis());
    g.writeNumberField("other", table.otherWorkers());
    g.writeArrayFieldStart("list");
    for (WorkerSeries.Worker w : table.workers()) {
      g.writeStartObject();
      g.writeStringField("name", w.name());
      g.writeStringField("host", w.host());
      g.writeNumberField("nthreads", w.nthreads());
      g.writeNumberField("runs", w.runs());
      g.writeArrayFieldStart("points");
      for (WorkerSeries.Point p : w.points()) {
        g.writeStartArray();
        g.writeNumber(p.timeMillis());
        g.writeNumber(Math.round(p.cpu() * 10) / 10.0);
        g.writeNumber(p.memory());
        g.writeNumber(p.memoryLimit());
        g.writeNumber(p.executing());
        g.writeNumber(p.tasksCompleted());
        g.writeEndArray();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private void writeCritical(JsonGenerator g) throws IOException {
    g.writeObjectFieldStart("critical");
    g.writeBooleanField("complete", path.complete());
    g.writeStringField("reason", path.stopReason());
    g.writeNumberField("runMicros", path.runMicros());
    g.writeArrayFieldStart("steps");
    for (CriticalPath.Step s : path.steps()) {
      g.writeStartArray();
      g.writeString(s.kind().name().toLowerCase(java.util.Locale.ROOT));
      g.writeNumber(s.taskId());
      g.writeString(String.valueOf(s.label()));
      g.writeString(String.valueOf(s.worker()));
      g.writeString(String.valueOf(s.thread()));
      g.writeNumber(s.startMicros() - origin);
      g.writeNumber(s.micros());
      g.writeEndArray();
    }
    g.writeEndArray();
    g.writeEndObject();
  }
}
