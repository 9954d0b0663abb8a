package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Drives a {@link TaskTable} in tests: builds graphs and worker reports by hand, sends events
 * naming tasks by key, and builds the instructions a test expects back. Its tables check every
 * invariant after every event ({@link TableSettings#CHECKED}).
 */
final class TaskTableDriver {
  static final String G = "g1";
  static final long SUBMITTED_MILLIS = 1_700_000_000_000L;
  static final List<String> FUNCTIONS = List.of("add", "inc", "load");
  /** Epoch microseconds at which every hand-made report starts. */
  static final long T0 = SUBMITTED_MILLIS * 1000;
  /**
   * How long every {@code ok} task ran: with the default policy (20 ms of queued work per thread)
   * this keeps a worker's capacity at exactly 2 * nthreads, as before its first report.
   */
  static final long TASK_MICROS = 20_000;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  final TaskTable table;

  /**
   * The default policy with root queuing off: these tests pin the order of assignments within an
   * event, and held-back roots go after the other ready tasks. Root queuing has its own tests
   * ({@code TaskTableRootQueuingTest}); the random test runs with it on.
   */
  TaskTableDriver() {
    this(TablePolicy.DEFAULT.withRootQueuing(false));
  }

  TaskTableDriver(TablePolicy policy) {
    this(new TaskTable(policy, TableSettings.CHECKED));
  }

  TaskTableDriver(TaskTable table) {
    this.table = table;
  }

  // ------------------------------------------------------------------ graphs

  static JsonNode ref(String key) {
    return NODES.objectNode().put("ref", key);
  }

  /** A task with no inputs. */
  static TaskSpec root(String key) {
    return new TaskSpec(key, "load", List.of(NODES.numberNode(1)), null);
  }

  /** A task calling {@code fn} on the results of {@code refs}. */
  static TaskSpec task(String key, String fn, String... refs) {
    List<JsonNode> args = new ArrayList<>();
    for (String r : refs) {
      args.add(ref(r));
    }
    return new TaskSpec(key, fn, args, null);
  }

  /** A graph with the default {@code want}: every task nothing else depends on. */
  static GraphSpec graph(TaskSpec... tasks) {
    return new GraphSpec("test", List.of(tasks), null);
  }

  static GraphSpec graphWanting(List<String> want, TaskSpec... tasks) {
    return new GraphSpec("test", List.of(tasks), want);
  }

  /** {@code prefix-0} is a root, {@code prefix-i} is {@code inc(prefix-(i-1))}. */
  static GraphSpec chain(String prefix, int n) {
    List<TaskSpec> tasks = new ArrayList<>(n);
    tasks.add(root(prefix + "-0"));
    for (int i = 1; i < n; i++) {
      tasks.add(task(prefix + "-" + i, "inc", prefix + "-" + (i - 1)));
    }
    return new GraphSpec("chain", tasks, null);
  }

  // ------------------------------------------------------------------ reports

  static TaskReport ok(long taskId, long nbytes, Transfer... transfers) {
    return new TaskReport(taskId, TaskReport.Outcome.OK, nbytes, T0, T0 + TASK_MICROS, "exec-0",
        List.of(transfers), null, List.of());
  }

  /** An {@code OK} report of a task that ran for {@code micros}. */
  static TaskReport okTook(long taskId, long micros) {
    return new TaskReport(taskId, TaskReport.Outcome.OK, 8, T0, T0 + micros, "exec-0", List.of(), null, List.of());
  }

  static TaskReport failed(long taskId, String error) {
    return new TaskReport(taskId, TaskReport.Outcome.ERRED, 0, T0, T0 + TASK_MICROS, "exec-0",
        List.of(), error, List.of());
  }

  static TaskReport missingData(long taskId, List<Long> missing) {
    return new TaskReport(taskId, TaskReport.Outcome.MISSING_DATA, 0, T0, T0, "exec-0",
        List.of(), "no holder had " + missing, missing);
  }

  /** {@code input}'s result fetched from {@code peer}. */
  static Transfer transfer(TaskRecord input, String peer, long bytes) {
    return new Transfer(input.id(), input.key(), peer, bytes, T0 - 500, T0);
  }

  // ------------------------------------------------------------------ events

  List<Instruction> submit(GraphSpec spec) {
    return submit(G, spec);
  }

  List<Instruction> submit(String graphId, GraphSpec spec) {
    return table.handle(new Event.Submit(graphId, spec, SUBMITTED_MILLIS));
  }

  List<Instruction> addWorker(String name, int nthreads) {
    return addWorker(name, nthreads, FUNCTIONS);
  }

  List<Instruction> addWorker(String name, int nthreads, java.util.Collection<String> functions) {
    return table.handle(new Event.WorkerJoined(name, nthreads, java.util.Set.copyOf(functions), null));
  }

  List<Instruction> removeWorker(String name) {
    return table.handle(new Event.WorkerLeft(name));
  }

  List<Instruction> report(String worker, List<TaskReport> reports) {
    return table.handle(new Event.Reports(worker, reports));
  }

  List<Instruction> ok(String worker, String key, long nbytes, Transfer... transfers) {
    return report(worker, List.of(ok(t(key).id(), nbytes, transfers)));
  }

  List<Instruction> fail(String worker, String key, String error) {
    return report(worker, List.of(failed(t(key).id(), error)));
  }

  /** {@code worker} could not fetch {@code missingKeys} for {@code key}. */
  List<Instruction> missing(String worker, String key, String... missingKeys) {
    List<Long> ids = new ArrayList<>();
    for (String k : missingKeys) {
      ids.add(t(k).id());
    }
    return report(worker, List.of(missingData(t(key).id(), ids)));
  }

  List<Instruction> forget() {
    return forget(G);
  }

  List<Instruction> forget(String graphId) {
    return table.handle(new Event.Forget(graphId));
  }

  List<Instruction> retire(String worker) {
    return table.handle(new Event.Retire(worker, 0));
  }

  List<Instruction> retireTimedOut(String worker) {
    return table.handle(new Event.RetireTimedOut(worker));
  }

  List<Instruction> replicasFetched(String worker, List<Long> stored, List<Long> failed) {
    return table.handle(new Event.ReplicasFetched(worker, stored, failed));
  }

  // ------------------------------------------------------------------ lookups

  /** A task of graph {@link #G}. */
  TaskRecord t(String key) {
    return t(G, key);
  }

  TaskRecord t(String graphId, String key) {
    TaskRecord t = table.task(graphId, key);
    assertNotNull(t, () -> "no task " + key + " in graph " + graphId);
    return t;
  }

  TaskState state(String key) {
    return t(key).state();
  }

  WorkerRecord w(String name) {
    WorkerRecord w = table.worker(name);
    assertNotNull(w, () -> "no worker " + name);
    return w;
  }

  GraphStatus status() {
    return table.graph(G).toStatus();
  }

  /** Asserts the states of graph {@link #G}'s tasks, written as {@code "a:memory b:waiting"}. */
  void assertStates(String expected) {
    Map<String, String> want = new LinkedHashMap<>();
    Map<String, String> got = new LinkedHashMap<>();
    for (String pair : expected.trim().split("\\s+")) {
      String[] kv = pair.split(":");
      want.put(kv[0], kv[1]);
      got.put(kv[0], state(kv[0]).name().toLowerCase(Locale.ROOT));
    }
    assertEquals(want, got);
  }

  // ------------------------------------------------------------------ expected instructions

  Instruction assign(String worker, String key) {
    return new Instruction.Assign(worker, t(key));
  }

  Instruction release(String worker, String key) {
    return new Instruction.Release(worker, t(key).id());
  }

  static Instruction release(String worker, TaskRecord t) {
    return new Instruction.Release(worker, t.id());
  }

  static Instruction finished(String graphId) {
    return new Instruction.GraphFinished(graphId);
  }

  Instruction finished() {
    return finished(G);
  }
}
