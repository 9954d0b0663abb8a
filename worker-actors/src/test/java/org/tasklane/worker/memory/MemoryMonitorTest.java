package org.tasklane.worker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.BinaryNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.worker.ResultStore;

/** The monitor's decisions with a fake heap: spill, pause, resume, a restart only after a collection, disk trouble. */
class MemoryMonitorTest {
  @TempDir Path dir;

  /** A heap whose unmanaged part the test sets; a collection it counts when asked. */
  static final class TestingHeap implements UnmanagedMemory {
    long unmanaged;
    long collections;
    long heapNow;
    int asked;
    /** What the next collection leaves unmanaged (Long.MIN_VALUE: no change). */
    long afterCollect = Long.MIN_VALUE;

    @Override
    public long unmanagedBytes() {
      return unmanaged;
    }

    @Override
    public long heapUsedNow() {
      return heapNow;
    }

    @Override
    public long collections() {
      return collections;
    }

    @Override
    public void collect() {
      asked++;
      collections++;
      if (afterCollect != Long.MIN_VALUE) {
        unmanaged = afterCollect;
      }
    }
  }

  private final List<MemoryThresholds.Level> levels = new ArrayList<>();
  private final TestingHeap heap = new TestingHeap();
  private static final long LIMIT = 10_000;
  private static final MemoryThresholds DASK = new MemoryThresholds(LIMIT, 0.6, 0.7, 0.8, 0.95);
  private static final long SECOND = 1_000_000_000L;

  private MemoryMonitor monitor(ResultStore store) {
    return new MemoryMonitor("w", store, heap, DASK, (level, figures) -> levels.add(level));
  }

  private static void fill(ResultStore store, int results, int each) {
    for (int i = 0; i < results; i++) {
      store.put(i, BinaryNode.valueOf(new byte[each]), each);
    }
  }

  @Test
  void spillsDownToTheTargetAndKeepsRunning() throws IOException {
    try (ResultStore store = new ResultStore(SpillFolder.open(dir, 1 << 20))) {
      fill(store, 8, 1000); // 8000 managed: 2000 over the target
      MemoryMonitor m = monitor(store);
      m.check(0);
      assertEquals(6000, store.memoryBytes());
      assertEquals(2000, store.spilledBytes());
      assertTrue(store.isSpilled(0) && store.isSpilled(1), "the oldest went");
      assertEquals(List.of(), levels, "still running: nothing to tell");
      DashboardProtocol.WorkerMemory f = m.figures();
      assertEquals(6000, f.managedBytes());
      assertEquals(2000, f.spilledBytes());
      assertEquals(2, f.spilledResults());
      assertEquals(LIMIT, f.limitBytes());
      m.close();
    }
  }

  @Test
  void pausesAboveThePauseLineAndResumesBelowIt() throws IOException {
    try (ResultStore store = new ResultStore(SpillFolder.open(dir, 1 << 20))) {
      fill(store, 2, 1000);
      heap.unmanaged = 8500; // a task holds a lot: spilling both results is not enough
      MemoryMonitor m = monitor(store);
      m.check(0);
      assertEquals(0, store.memoryBytes(), "spilled all it could");
      assertEquals(List.of(MemoryThresholds.Level.PAUSED), levels);
      assertEquals(1, heap.asked, "a paused worker asks for a collection, so freed memory shows");
      m.check(SECOND / 2);
      assertEquals(1, heap.asked, "at most one a second");
      heap.unmanaged = 5000; // the task ended
      m.check(SECOND);
      assertEquals(List.of(MemoryThresholds.Level.PAUSED, MemoryThresholds.Level.RUNNING), levels);
      assertEquals(1, m.figures().pauses());
      m.close();
    }
  }

  @Test
  void aFullHeapBetweenCollectionsIsCheckedWithOne() throws IOException {
    try (ResultStore store = new ResultStore(null)) {
      heap.unmanaged = 1000;
      heap.heapNow = 9000; // a task allocated much since the last collection (or it is garbage)
      heap.afterCollect = 8800; // it is held
      MemoryMonitor m = monitor(store);
      m.check(0);
      assertEquals(1, heap.asked);
      m.check(SECOND / 10);
      assertEquals(List.of(MemoryThresholds.Level.PAUSED), levels);
      heap.heapNow = 3000;
      heap.afterCollect = 2000;
      m.check(SECOND + SECOND / 10); // paused: it asks again a second later, and sees the task let go
      m.check(SECOND + 2 * SECOND / 10);
      assertEquals(List.of(MemoryThresholds.Level.PAUSED, MemoryThresholds.Level.RUNNING), levels);
      m.check(3 * SECOND);
      assertEquals(2, heap.asked, "running, and the heap below the pause line: no collection asked for");
      m.close();
    }
  }

  @Test
  void restartsOnlyWhenACollectionAgrees() throws IOException {
    try (ResultStore store = new ResultStore(null)) {
      heap.unmanaged = 9800;
      heap.afterCollect = 7000; // it was garbage
      MemoryMonitor m = monitor(store);
      m.check(0);
      assertEquals(List.of(MemoryThresholds.Level.PAUSED), levels, "not a restart before a collection");
      m.check(SECOND / 10);
      assertEquals(List.of(MemoryThresholds.Level.PAUSED, MemoryThresholds.Level.RUNNING), levels);

      heap.unmanaged = 9800;
      heap.afterCollect = 9700; // really held
      m.check(2 * SECOND);
      m.check(2 * SECOND + SECOND / 10);
      assertEquals(MemoryThresholds.Level.TERMINATE, levels.get(levels.size() - 1));
      m.close();
    }
  }

  @Test
  void anUnwritableFolderWarnsOnceKeepsResultsAndPauses() throws IOException {
    SpillFolder folder = SpillFolder.open(dir, 1 << 20);
    Files.delete(folder.path()); // gone from under it: every write fails
    Files.writeString(folder.path(), "a file where the folder was");
    try (ResultStore store = new ResultStore(folder)) {
      fill(store, 9, 1000); // 9000 > the pause line
      MemoryMonitor m = monitor(store);
      m.check(0);
      assertEquals(9000, store.memoryBytes(), "the results stay in memory");
      assertEquals(List.of(MemoryThresholds.Level.PAUSED), levels);
      assertEquals(1, m.figures().spillFailures());
      m.check(SECOND);
      assertEquals(1, m.figures().spillFailures(), "no new attempt before the retry delay");
      m.check(MemoryMonitor.RETRY_AFTER.toNanos() + 1);
      assertEquals(2, m.figures().spillFailures(), "tries again after it");
      m.close();
    } finally {
      Files.deleteIfExists(folder.path());
    }
  }
}
