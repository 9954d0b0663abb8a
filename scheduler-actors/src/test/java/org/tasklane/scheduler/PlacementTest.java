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
  private final GraphRecord graph = new GraphRecord("g", "g", 0, 8);
  private final GroupStats group = new GroupStats("t");
  private long nextId = 1;

  private TaskRecord task(TaskRecord... deps) {
    TaskRecord t = new TaskRecord(nextId++, graph, "t-" + nextId, "inc", List.of(), group, 0, 0);
    t.deps = deps;
    t.state = TaskState.QUEUED;
    return t;
  }

  private TaskRecord heldBy(long nbytes, WorkerRecord... holders) {
    TaskRecord t = task();
    t.state = TaskState.MEMORY;
    t.nbytes = nbytes;
    t.holders.addAll(List.of(holders));
    return t;
  }

  private static WorkerRecord worker(String name, int nthreads) {
    return new WorkerRecord(name, nthreads, Set.of("inc"), null);
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
    assertSame(w2, placement.chooseWorker(task(small, big), List.of(w1, w2)));
    assertSame(w1, placement.chooseWorker(task(small), List.of(w1, w2)));
  }

  @Test
  void withoutInputsTheLeastLoadedPerThreadWins() {
    WorkerRecord w1 = worker("w1", 1);
    WorkerRecord w4 = worker("w4", 4);
    w1.processing.add(task());
    w4.processing.add(task());
    w4.processing.add(task());
    assertSame(w4, placement.chooseWorker(task(), List.of(w1, w4)), "2 of 4 threads is less load than 1 of 1");
  }

  @Test
  void fullAndRetiringWorkersGetNothing() {
    WorkerRecord full = worker("full", 1);
    full.processing.add(task());
    full.processing.add(task());
    WorkerRecord retiring = worker("retiring", 1);
    retiring.retirement = new Retirement(retiring, 0);
    TaskRecord input = heldBy(100, full, retiring);
    assertNull(placement.chooseWorker(task(input), List.of(full, retiring)));
    WorkerRecord free = worker("free", 1);
    assertSame(free, placement.chooseWorker(task(input), List.of(full, retiring, free)),
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
    placement.fillSlots(ready, List.of(w), (t, to) -> {
      assigned.add(t.key + "@" + to.name);
      to.processing.add(t);
    });
    assertEquals(List.of(a.key + "@w", b.key + "@w"), assigned);
    assertEquals(List.of(c), List.copyOf(ready), "c waits for a slot, at the front");
  }

  @Test
  void fillSlotsWithNoWorkersLeavesTheQueueAsItIs() {
    ArrayDeque<TaskRecord> ready = new ArrayDeque<>(List.of(task()));
    placement.fillSlots(ready, List.of(), (t, to) -> {
      throw new AssertionError("no worker to assign to");
    });
    assertEquals(1, ready.size());
  }
}
