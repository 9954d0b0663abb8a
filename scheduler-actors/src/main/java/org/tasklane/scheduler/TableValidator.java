package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.TaskState;

/**
 * Every invariant of a {@link TaskTable}, checked in one walk over its graphs, tasks and workers
 * (Dask's {@code validate_state}). Throws {@link IllegalStateException} naming the first broken one
 * and the task, worker or graph it is about. Run after every event when
 * {@code tasklane.scheduler.validate} is on; costs time linear in what the table holds.
 */
final class TableValidator {
  private TableValidator() {}

  static void validate(TableState s) {
    Set<TaskRecord> ready = new HashSet<>(s.ready);
    Set<TaskRecord> roots = new HashSet<>(s.rootQueue);
    Map<WorkerRecord, Integer> processing = new HashMap<>();
    Map<WorkerRecord, Integer> held = new HashMap<>();
    int live = 0;
    for (GraphRecord g : s.graphs.values()) {
      if (g.forgetting) {
        fail(g, "is held but marked forgotten");
      }
      validateGraph(s, g);
      for (TaskRecord t : g.tasks) {
        live++;
        validateTask(s, t, ready, roots);
        if (t.processingOn != null) {
          processing.merge(t.processingOn, 1, Integer::sum);
        }
        for (WorkerRecord h : t.holders) {
          held.merge(h, 1, Integer::sum);
        }
      }
    }
    if (live != s.tasks.size()) {
      fail("tasks", "the table indexes " + s.tasks.size() + " tasks but its graphs have " + live);
    }
    for (WorkerRecord w : s.workers.values()) {
      validateWorker(w, processing.getOrDefault(w, 0), held.getOrDefault(w, 0));
      if (w.contact != null) {
        if (s.workersByRef.get(w.contact.worker()) != w) {
          fail(w, "is not indexed by its actor");
        }
      }
    }
    validateIndex(s);
    if (s.workersByRef.size() > s.workers.size()) {
      fail("workers", "more actors indexed than workers registered");
    }
    validateClusterGroups(s);
  }

  private static void validateTask(TableState s, TaskRecord t, Set<TaskRecord> ready, Set<TaskRecord> roots) {
    TaskState st = t.state;
    if (st == FORGOTTEN) {
      fail(t, "is forgotten but its graph is held");
    }
    if (s.tasks.get(t.id) != t) {
      fail(t, "is not indexed by its id " + t.id);
    }
    if (t.graph.byKey.get(t.key) != t) {
      fail(t, "is not indexed by its key");
    }
    // who processes it
    if (st == PROCESSING) {
      WorkerRecord w = t.processingOn;
      if (w == null) {
        fail(t, "is processing on no worker");
      }
      if (s.workers.get(w.name) != w) {
        fail(t, "is processing on " + w.name + ", which is not registered");
      }
      if (!w.processing.contains(t)) {
        fail(t, "is processing on " + w.name + ", which does not list it");
      }
    } else {
      if (t.processingOn != null) {
        fail(t, "is " + st.jsonName() + " but still processing on " + t.processingOn);
      }
    }
    // who holds it
    if (st == MEMORY) {
      if (t.holders.isEmpty()) {
        fail(t, "is in memory with no holder");
      }
      if (!t.completed) {
        fail(t, "is in memory but not marked completed");
      }
    } else {
      if (!t.holders.isEmpty()) {
        fail(t, "is " + st.jsonName() + " but held by " + t.holders);
      }
    }
    for (WorkerRecord h : t.holders) {
      if (s.workers.get(h.name) != h) {
        fail(t, "is held by " + h.name + ", which is not registered");
      }
      if (!h.holds.contains(t)) {
        fail(t, "is held by " + h.name + ", which does not list it");
      }
    }
    // what it waits for
    int notInMemory = 0;
    for (TaskRecord d : t.deps) {
      notInMemory += d.state == MEMORY ? 0 : 1;
      if (d.state == ERRED && st.isPending()) {
        fail(t, "is " + st.jsonName() + " though its input " + d.key + " erred");
      }
    }
    if (st == WAITING) {
      if (t.waitingOn != notInMemory) {
        fail(t, "waits on " + t.waitingOn + " inputs but " + notInMemory + " are not in memory");
      }
      if (notInMemory == 0) {
        fail(t, "is waiting with every input in memory");
      }
    }
    if (st == QUEUED) {
      if (notInMemory != 0) {
        fail(t, "is queued with " + notInMemory + " inputs not in memory");
      }
      boolean heldBack = s.placement.heldBack(t);
      if (!(heldBack ? roots : ready).contains(t)) {
        fail(t, "is queued but not in the " + (heldBack ? "root queue" : "ready queue"));
      }
    }
    if (st.isPending()) {
      if (t.completed) {
        fail(t, "is " + st.jsonName() + " but marked completed");
      }
    }
    // who still needs it
    int pending = 0;
    for (TaskRecord d : t.dependents) {
      pending += d.state.isPending() ? 1 : 0;
    }
    if (t.pendingDependents != pending) {
      fail(t,
          "counts " + t.pendingDependents + " pending dependents but " + pending + " are waiting, queued or processing");
    }
    boolean needed = TableState.needed(t);
    if (st == MEMORY && !needed) {
      fail(t, "is in memory though nothing needs it");
    }
    if (st == RELEASED && needed) {
      fail(t, "is released though " + (t.wanted ? "wanted" : pending + " dependents need it"));
    }
  }

  /**
   * The index of free workers holds exactly the workers that may take a task, each at its current
   * load; the threads are summed right; the retiring set is the unfinished retirements.
   */
  private static void validateIndex(TableState s) {
    WorkerIndex index = s.placement.index;
    int free = 0;
    long threads = 0;
    for (WorkerRecord w : s.workers.values()) {
      threads += w.nthreads;
      boolean takes = index.takesTasks(w);
      free += takes ? 1 : 0;
      if (takes != index.contains(w)) {
        fail(w, takes ? "may take tasks but is not in the index of free workers"
            : "is in the index of free workers but may not take tasks"
                + (w.paused ? " (paused)" : w.retirement != null ? " (retiring)" : " (full)"));
      }
      if (index.contains(w) && w.indexedProcessing != w.processing.size()) {
        fail(w, "is indexed at " + w.indexedProcessing + " tasks processing but has " + w.processing.size());
      }
      boolean unfinished = w.retirement != null && !w.retirement.finished;
      if (unfinished != s.retiring.contains(w)) {
        fail(w, unfinished ? "is retiring but not in the retiring set" : "is in the retiring set but not retiring");
      }
      if (w.left) {
        fail(w, "is registered but marked left");
      }
    }
    if (index.size() != free) {
      fail("workers", "the index of free workers has " + index.size() + " but " + free + " may take tasks");
    }
    if (index.threads() != threads) {
      fail("workers", "the index counts " + index.threads() + " threads but the workers have " + threads);
    }
    if (s.retiring.size() > s.workers.size()) {
      fail("workers", "more workers retiring than registered");
    }
  }

  private static void validateWorker(WorkerRecord w, int processing, int held) {
    if (w.processing.size() != processing) {
      fail(w,
          "lists " + w.processing.size() + " tasks processing but " + processing + " tasks name it");
    }
    if (w.holds.size() != held) {
      fail(w, "lists " + w.holds.size() + " results held but " + held + " tasks name it");
    }
    long bytes = 0;
    for (TaskRecord t : w.holds) {
      if (!t.holders.contains(w)) {
        fail(w, "lists " + t + " as held but is not among its holders");
      }
      bytes += t.nbytes;
    }
    if (w.heldBytes != bytes) {
      fail(w, "counts " + w.heldBytes + " bytes held but its results add up to " + bytes);
    }
    for (TaskRecord t : w.processing) {
      if (t.state != PROCESSING || t.processingOn != w) {
        fail(w, "lists " + t + " as processing on it");
      }
    }
    Retirement r = w.retirement;
    if (r != null && !r.finished) {
      for (Map.Entry<TaskRecord, WorkerRecord> e : r.pending.entrySet()) {
        if (e.getValue().retirement != null) {
          fail(w, "has a copy of " + e.getKey() + " asked of retiring " + e.getValue());
        }
      }
    }
  }

  private static void validateGraph(TableState s, GraphRecord g) {
    int[] counts = new int[TaskState.values().length];
    int remaining = 0;
    int erred = 0;
    Map<GroupStats, GroupStats> recount = new HashMap<>();
    for (TaskRecord t : g.tasks) {
      if (t.graph != g) {
        fail(t, "belongs to another graph");
      }
      counts[t.state.ordinal()]++;
      remaining += t.completed || t.state == ERRED ? 0 : 1;
      erred += t.state == ERRED ? 1 : 0;
      GroupStats c = recount.computeIfAbsent(t.group, x -> new GroupStats(x.name));
      c.addNew(); // every task starts released and not completed, then moved to where it is
          c.move(RELEASED, false, t.state, t.completed);
    }
    for (TaskState st : TaskState.values()) {
      if (g.stateCounts[st.ordinal()] != counts[st.ordinal()]) {
        fail(g,
            "counts " + g.stateCounts[st.ordinal()] + " tasks " + st.jsonName() + " but has " + counts[st.ordinal()]);
      }
    }
    if (g.remaining != remaining) {
      fail(g, "counts " + g.remaining + " tasks remaining but has " + remaining);
    }
    if (g.erredCount != erred) {
      fail(g, "counts " + g.erredCount + " erred but has " + erred);
    }
    if (g.tasks.length > 0 && (g.finishedMillis != 0) != (remaining == 0)) {
      fail(g,
          remaining == 0 ? "is finished with no finish time" : "is running with a finish time");
    }
    for (GroupStats gs : g.groups.values()) {
      GroupStats c = recount.getOrDefault(gs, new GroupStats(gs.name));
      if (!c.toProgress().equals(gs.toProgress())) {
        fail(g, "group counts " + gs.toProgress() + " but its tasks make " + c.toProgress());
      }
    }
  }

  /** The cluster-wide counts of each group are the sums of the live graphs' counts. */
  private static void validateClusterGroups(TableState s) {
    Map<GroupStats, GroupStats> sums = new HashMap<>();
    for (GraphRecord g : s.graphs.values()) {
      for (GroupStats gs : g.groups.values()) {
        GroupStats sum = sums.computeIfAbsent(gs.parent, p -> new GroupStats(p.name));
        sum.total += gs.total;
        sum.memory += gs.memory;
        sum.released += gs.released;
        sum.erred += gs.erred;
        sum.processing += gs.processing;
        sum.waiting += gs.waiting;
      }
    }
    for (GroupStats parent : s.groups.clusterGroups()) {
      GroupStats sum = sums.remove(parent);
      if (sum == null) {
        fail("group " + parent.name, "is counted cluster-wide but no live graph has it");
      }
      if (!sum.toProgress().equals(parent.toProgress())) {
        fail("group " + parent.name,
            "counts " + parent.toProgress() + " cluster-wide but its graphs add up to " + sum.toProgress());
      }
    }
    if (!sums.isEmpty()) {
      fail("groups", "live graphs have groups not counted cluster-wide: " + sums.keySet());
    }
  }

  private static void fail(Object about, String what) {
    String name = about instanceof GraphRecord g ? "graph " + g.id
        : about instanceof WorkerRecord w ? "worker " + w.name
        : about instanceof TaskRecord t ? "task '" + t.key + "' of graph " + t.graph.id + " (" + t.state.jsonName() + ")"
        : String.valueOf(about);
    throw new IllegalStateException("task table invariant broken: " + name + " " + what);
  }
}
