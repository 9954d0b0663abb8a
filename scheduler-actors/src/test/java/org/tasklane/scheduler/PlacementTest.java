package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskState;

/** Where a ready task goes, on hand-made records: no table involved. */
class PlacementTest {
  private final Placement placement = new Placement(new TablePolicy(20_000, 4));
  private final GraphRecord graph = new GraphRecord("g", "g", 0);
  private final GroupStats group = new GroupStats("t");
  private long nextId = 1;

  private TaskRecord task(TaskRecord... deps) {
    TaskRecord t = new TaskRecord(nextId++, graph, "t-" + nextId, "inc", org.tasklane.protocol.TaskArgs.EMPTY, group, 0, 0);
    t.deps = deps;
    t.state = TaskState.QUEUED;
    return t;
  }

  private TaskRecord heldBy(long nbytes, WorkerRecord... holders) {
    TaskRecord t = task();
    t.state = TaskState.MEMORY;
    t.nbytes = nbytes;
    t.holders = List.of(holders);
    return t;
  }

  private static WorkerRecord worker(String name, int nthreads) {
    return new WorkerRecord(name, nthreads, Set.of("inc"), null);
  }

  /** The choice of a placement whose index has these workers, as they are now, joined in this order. */
  private static WorkerRecord choose(Placement placement, TaskRecord t, List<WorkerRecord> workers) {
    Placement p = new Placement(new TablePolicy(20_000, 4));
    workers.forEach(p.index::joined);
    return p.chooseWorker(t);
  }

  @Test
  void capacityIsThreadsPlusQueuedWorkBoundedPerThread() {
    WorkerRecord w = worker("w", 2);
    assertEquals(4, placement.capacity(w), "before any report: twice its threads");
    w.avgTaskMicros = 20_000;
    assertEquals(4, placement.capacity(w), "20 ms of queued work per thread at 20 ms a task: one more per thread");
    w.avgTaskMicros = 1;
    assertEquals(2 + 8, placement.capacity(w), "tiny tasks: at most maxQueuedPerThread (4) per thread beyond its threads");
    w.avgTaskMicros = 1_000_000;
    assertEquals(3, placement.capacity(w), "long tasks: at least one queued beyond its threads");
  }

  @Test
  void aTaskGoesWhereMostOfItsInputBytesAre() {
    WorkerRecord w1 = worker("w1", 1);
    WorkerRecord w2 = worker("w2", 1);
    TaskRecord small = heldBy(10, w1);
    TaskRecord big = heldBy(1_000, w2);
    assertSame(w2, choose(placement, task(small, big), List.of(w1, w2)));
    assertSame(w1, choose(placement, task(small), List.of(w1, w2)));
  }

  @Test
  void withoutInputsTheLeastLoadedPerThreadWins() {
    WorkerRecord w1 = worker("w1", 1);
    WorkerRecord w4 = worker("w4", 4);
    w1.processing.add(task());
    w4.processing.add(task());
    w4.processing.add(task());
    assertSame(w4, choose(placement, task(), List.of(w1, w4)), "2 of 4 threads is less load than 1 of 1");
  }

  @Test
  void fullAndRetiringWorkersGetNothing() {
    WorkerRecord full = worker("full", 1);
    full.processing.add(task());
    full.processing.add(task());
    WorkerRecord retiring = worker("retiring", 1);
    retiring.retirement = new Retirement(retiring, 0);
    TaskRecord input = heldBy(100, full, retiring);
    assertNull(choose(placement, task(input), List.of(full, retiring)));
    WorkerRecord free = worker("free", 1);
    assertSame(free, choose(placement, task(input), List.of(full, retiring, free)),
        "input bytes elsewhere do not make a full or retiring worker take it");
  }

  @Test
  void fillSlotsSkipsStaleEntriesAndStopsWhenEveryWorkerIsFull() {
    WorkerRecord w = worker("w", 1); // capacity 2
    TaskRecord stale = task();
    stale.state = TaskState.WAITING;
    TaskRecord a = task();
    TaskRecord b = task();
    TaskRecord c = task();
    ArrayDeque<TaskRecord> ready = new ArrayDeque<>(List.of(stale, a, b, c));
    List<String> assigned = new ArrayList<>();
    placement.index.joined(w);
    placement.fillSlots(ready, new ArrayDeque<>(), (t, to) -> {
      assigned.add(t.key + "@" + to.name);
      to.processing.add(t);
      placement.index.refresh(to);
    });
    assertEquals(List.of(a.key + "@w", b.key + "@w"), assigned);
    assertEquals(List.of(c), List.copyOf(ready), "c waits for a slot, at the front");
  }

  @Test
  void fillSlotsWithNoWorkersLeavesTheQueueAsItIs() {
    ArrayDeque<TaskRecord> ready = new ArrayDeque<>(List.of(task()));
    placement.fillSlots(ready, new ArrayDeque<>(List.of(task())), (t, to) -> {
      throw new AssertionError("no worker to assign to");
    });
    assertEquals(1, ready.size());
  }

  @Test
  void aPausedWorkerGetsNothingUntilItResumes() {
    WorkerRecord paused = worker("paused", 4);
    paused.paused = true;
    WorkerRecord busy = worker("busy", 1);
    busy.processing.add(task());
    TaskRecord input = heldBy(100, paused);
    assertSame(busy, choose(placement, task(input), List.of(paused, busy)), "its input bytes do not count while paused");
    Placement p = new Placement(new TablePolicy(20_000, 4));
    p.index.joined(paused);
    assertNull(p.chooseWorker(task()));
    paused.paused = false;
    p.index.refresh(paused);
    assertSame(paused, p.chooseWorker(task(input)));
  }

  @Test
  void theLeastLoadedOfManyComesFromTheIndexAndFollowsItsLoad() {
    Placement p = new Placement(new TablePolicy(20_000, 4));
    List<WorkerRecord> workers = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      WorkerRecord w = worker("w" + i, 1 + i % 4);
      workers.add(w);
      p.index.joined(w);
    }
    assertSame(workers.get(0), p.chooseWorker(task()), "all idle: the first joined");
    for (int round = 0; round < 3000; round++) {
      WorkerRecord chosen = p.chooseWorker(task());
      for (WorkerRecord w : workers) {
        if (p.index.contains(w)) {
          org.junit.jupiter.api.Assertions.assertFalse(WorkerIndex.lessLoaded(w, chosen),
              w + " is less loaded than the chosen " + chosen);
        }
      }
      chosen.processing.add(task());
      p.index.refresh(chosen);
    }
  }

  @Test
  void heldBackRootsGoOnlyBelowSaturation() {
    Placement p = new Placement(TablePolicy.DEFAULT); // saturation 1.1: ceil(2 x 1.1) = 3 root slots
    WorkerRecord w = worker("w", 2);
    p.index.joined(w);
    TaskRecord child = task();
    ArrayDeque<TaskRecord> roots = new ArrayDeque<>();
    for (int i = 0; i < 5; i++) {
      TaskRecord r = task();
      r.dependents = new TaskRecord[] {child};
      org.junit.jupiter.api.Assertions.assertTrue(p.heldBack(r));
      roots.add(r);
    }
    List<TaskRecord> assigned = new ArrayList<>();
    p.fillSlots(new ArrayDeque<>(), roots, (t, to) -> {
      assigned.add(t);
      to.processing.add(t);
      p.index.refresh(to);
    });
    assertEquals(3, assigned.size(), "three root slots though its capacity is four");
    assertEquals(2, roots.size());
    org.junit.jupiter.api.Assertions.assertFalse(p.heldBack(task()), "a root nothing reads is not held back");
    org.junit.jupiter.api.Assertions.assertFalse(new Placement(TablePolicy.DEFAULT.withRootQueuing(false))
        .heldBack(roots.peek()), "queuing off");
  }
}
