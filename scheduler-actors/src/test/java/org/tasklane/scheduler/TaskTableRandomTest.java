package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.Transfer;

/**
 * Thousands of interleaved events from a fixed seed (random small graphs, reports that succeed,
 * fail, miss inputs or come late, workers that join, die and retire, graphs cancelled), each
 * followed by the table's full validation (the driver's tables validate after every event). Then
 * the workers stay and run what they are given: every graph must finish.
 */
class TaskTableRandomTest {
  private static final long SEED = 20261206L;
  private static final int EVENTS = 6_000;

  private final Random rnd = new Random(SEED);
  private final TaskTableDriver d = new TaskTableDriver(new TablePolicy(20_000, 4, 3));
  private final List<String> graphIds = new ArrayList<>();
  /** Copies asked of workers ({@link Instruction.Replicate}) and not yet answered: task id to worker. */
  private final Map<Long, String> copiesAsked = new LinkedHashMap<>();
  /** Workers told they may leave ({@link Instruction.Retired}): they leave soon after. */
  private final List<String> mayLeave = new ArrayList<>();
  private int nextGraph;
  private int nextWorker;
  private int events;
  /** How many of each instruction came back: the run must have seen every kind. */
  private final Map<String, Integer> seen = new LinkedHashMap<>();

  @Test
  void randomEventsKeepEveryInvariantAndEveryGraphFinishesWhenWorkersStay() {
    join();
    join();
    for (int tries = 0; events < EVENTS && tries < 10 * EVENTS; tries++) {
      randomEvent(); // a roll that finds nothing to do sends no event
    }
    int chaotic = events;

    // the workers stay: join one if none is active, let the retiring ones go, and run everything
    for (WorkerRecord w : new ArrayList<>(d.table.workers())) {
      if (w.isPaused()) {
        apply(d.table.handle(new Event.WorkerPaused(w.name(), false)));
      }
    }
    for (String w : new ArrayList<>(mayLeave)) {
      leave(w);
    }
    if (d.table.workers().stream().allMatch(WorkerRecord::isRetiring)) {
      join();
    }
    for (int round = 0; round < 100_000 && !allFinished(); round++) {
      if (!copiesAsked.isEmpty()) {
        answerCopies();
      } else if (!mayLeave.isEmpty()) {
        leave(mayLeave.get(0));
      } else {
        reportAll();
      }
    }
    assertTrue(allFinished(), () -> "graphs still running: " + running());
    assertEquals(EVENTS, chaotic);
    for (String kind : List.of("Assign", "Release", "GraphFinished", "Replicate", "Retired")) {
      assertTrue(seen.getOrDefault(kind, 0) > 0, () -> "no " + kind + " in " + seen);
    }
    assertTrue(events > chaotic, "the calm phase sent events too");
    int held = 0;
    int erred = 0;
    int recomputed = 0;
    for (String g : graphIds) {
      held += d.table.graph(g) == null ? 0 : 1;
      erred += d.table.graph(g).toStatus().erred();
      recomputed += d.table.graph(g).toStatus().recomputed();
    }
    assertTrue(erred > 0 && recomputed > 0, "failures and lost results were exercised: " + erred + " erred, "
        + recomputed + " computed again");
    assertEquals(graphIds.size(), held, "every graph submitted is held: finished or forgotten ones dropped from the list");
    for (String g : new ArrayList<>(graphIds)) {
      forget(g);
    }
    assertEquals(0, d.table.workers().stream().mapToInt(WorkerRecord::heldCount).sum(), "nothing held once all are forgotten");
    assertTrue(d.table.groupProgress().isEmpty());
  }

  private void randomEvent() {
    int dice = rnd.nextInt(100);
    if (dice < 12 && running().size() < 12) {
      submit();
    } else if (dice < 70) {
      report();
    } else if (dice < 74) {
      join();
    } else if (dice < 77) {
      die();
    } else if (dice < 80) {
      retire();
    } else if (dice < 84) {
      answerCopies();
    } else if (dice < 86 && !mayLeave.isEmpty()) {
      leave(mayLeave.get(rnd.nextInt(mayLeave.size())));
    } else if (dice < 88) {
      WorkerRecord w = anyWorker();
      if (w != null && w.isRetiring()) {
        apply(d.retireTimedOut(w.name()));
      }
    } else if (dice < 92 && !graphIds.isEmpty()) {
      forget(graphIds.get(rnd.nextInt(graphIds.size())));
    } else if (dice < 94) {
      staleReport();
    } else if (dice < 97) {
      WorkerRecord w = anyWorker();
      if (w != null) { // its memory monitor pauses it, or it resumes
        apply(d.table.handle(new Event.WorkerPaused(w.name(), !w.isPaused())));
      }
    } else {
      WorkerRecord w = anyWorker();
      if (w != null) {
        apply(d.table.handle(new Event.Pinged(w.name(), rnd.nextDouble() * 5)));
      }
    }
  }

  // ------------------------------------------------------------------ events

  /** A random small DAG: each task takes up to three earlier ones; some have retries; some want lists. */
  private void submit() {
    String id = "g" + nextGraph++;
    int n = 1 + rnd.nextInt(12);
    List<TaskSpec> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      List<String> refs = new ArrayList<>();
      for (int k = rnd.nextInt(Math.min(i, 3) + 1); k > 0; k--) {
        refs.add(id + "-t" + rnd.nextInt(i));
      }
      TaskSpec base = refs.isEmpty() ? root(id + "-t" + i) : task(id + "-t" + i, "add", refs.toArray(new String[0]));
      int retries = rnd.nextInt(10) == 0 ? 1 + rnd.nextInt(2) : 0;
      tasks.add(new TaskSpec(base.key(), base.fn(), base.args(), null, retries, null));
    }
    List<String> want = null;
    if (rnd.nextInt(4) == 0) {
      want = List.of(tasks.get(rnd.nextInt(n)).key());
    }
    graphIds.add(id);
    apply(d.submit(id, new GraphSpec("random", tasks, want)));
  }

  /** One batch from one worker: some of its tasks succeed (with inputs fetched from peers), fail or miss inputs. */
  private void report() {
    WorkerRecord w = anyWorker();
    if (w == null || w.processingCount() == 0) {
      return;
    }
    List<TaskReport> batch = new ArrayList<>();
    for (TaskRecord t : w.processing) {
      if (batch.size() == 3 || rnd.nextInt(3) == 0) {
        break;
      }
      int outcome = rnd.nextInt(20);
      if (outcome < 16) {
        batch.add(ok(t.id(), 1 + rnd.nextInt(100), fetched(t, w)));
      } else if (outcome < 19) {
        batch.add(failed(t.id(), "boom"));
      } else if (!t.deps().isEmpty()) {
        batch.add(missingData(t.id(), List.of(t.deps().get(0).id())));
      }
    }
    if (!batch.isEmpty()) {
      apply(d.report(w.name(), batch));
    }
  }

  /** Every worker reports every task it has, successfully (the calm phase). */
  private void reportAll() {
    for (WorkerRecord w : new ArrayList<>(d.table.workers())) {
      List<TaskReport> batch = new ArrayList<>();
      for (TaskRecord t : w.processing) {
        batch.add(ok(t.id(), 8, fetched(t, w)));
      }
      if (!batch.isEmpty()) {
        apply(d.report(w.name(), batch));
      }
    }
  }

  /** A report of a task the worker is not running: late, duplicate, or for a task long gone. */
  private void staleReport() {
    WorkerRecord w = anyWorker();
    if (w == null) {
      return;
    }
    long id = 1 + rnd.nextInt(Math.max(1, nextGraph * 12));
    apply(d.report(w.name(), List.of(rnd.nextBoolean() ? ok(id, 5) : failed(id, "late"))));
  }

  private void join() {
    apply(d.addWorker("w" + nextWorker++, 1 + rnd.nextInt(2)));
  }

  private void die() {
    WorkerRecord w = anyWorker();
    if (w != null && d.table.workers().size() > 1) {
      leave(w.name());
    }
  }

  private void leave(String worker) {
    mayLeave.remove(worker);
    copiesAsked.values().removeIf(worker::equals);
    apply(d.removeWorker(worker));
  }

  private void retire() {
    WorkerRecord w = anyWorker();
    if (w != null) {
      apply(d.retire(w.name()));
    }
  }

  /** Answers the copies asked so far, most of them fetched, some failed. */
  private void answerCopies() {
    Map<String, List<Long>> stored = new LinkedHashMap<>();
    Map<String, List<Long>> failed = new LinkedHashMap<>();
    copiesAsked.forEach((id, worker) ->
        (rnd.nextInt(5) == 0 ? failed : stored).computeIfAbsent(worker, k -> new ArrayList<>()).add(id));
    copiesAsked.clear();
    for (String worker : union(stored, failed)) {
      apply(d.replicasFetched(worker, stored.getOrDefault(worker, List.of()), failed.getOrDefault(worker, List.of())));
    }
  }

  private void forget(String graphId) {
    graphIds.remove(graphId);
    apply(d.forget(graphId));
  }

  // ------------------------------------------------------------------ what came back

  /** Checks what the table asked for and remembers what needs an answer. */
  private void apply(List<Instruction> out) {
    events++;
    for (Instruction i : out) {
      seen.merge(i.getClass().getSimpleName(), 1, Integer::sum);
      if (i instanceof Instruction.Assign a) {
        WorkerRecord w = d.table.worker(a.worker());
        assertNotNull(w, () -> "assigned to " + a.worker() + ", which is not registered");
        assertFalse(w.isRetiring(), () -> "assigned to retiring " + a.worker());
      } else if (i instanceof Instruction.Replicate r) {
        assertFalse(d.table.worker(r.worker()).isRetiring(), () -> "a copy asked of retiring " + r.worker());
        copiesAsked.put(r.task().id(), r.worker());
      } else if (i instanceof Instruction.Retired r) {
        if (!mayLeave.contains(r.worker())) {
          mayLeave.add(r.worker());
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private WorkerRecord anyWorker() {
    List<WorkerRecord> all = new ArrayList<>(d.table.workers());
    return all.isEmpty() ? null : all.get(rnd.nextInt(all.size()));
  }

  /** The inputs of {@code t} that {@code w} fetched from another holder. */
  private static Transfer[] fetched(TaskRecord t, WorkerRecord w) {
    List<Transfer> out = new ArrayList<>();
    for (TaskRecord in : t.deps()) {
      if (!in.holders().isEmpty() && !in.holders().contains(w)) {
        out.add(transfer(in, in.holders().get(0).name(), in.nbytes()));
      }
    }
    return out.toArray(new Transfer[0]);
  }

  private List<String> running() {
    List<String> out = new ArrayList<>();
    for (String g : graphIds) {
      if (!d.table.graph(g).isFinished()) {
        out.add(g);
      }
    }
    return out;
  }

  private boolean allFinished() {
    return running().isEmpty();
  }

  private static List<String> union(Map<String, ?> a, Map<String, ?> b) {
    List<String> out = new ArrayList<>(a.keySet());
    b.keySet().stream().filter(k -> !out.contains(k)).forEach(out::add);
    return out;
  }
}
