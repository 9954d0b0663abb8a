package org.tasklane.worker;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The result stores of all the workers of one JVM, seen as one by its memory monitor: they share
 * one heap, so the JVM spills the least recently used results across all of them (not each
 * worker's own oldest), by the access stamps the stores take from one clock ({@link #clock}).
 */
public final class ResultStores implements HeldResults {
  private final List<ResultStore> stores = new CopyOnWriteArrayList<>();
  private final AtomicLong clock = new AtomicLong();
  /** The stores' memory bytes added up as they change: the monitor reads it after every stored result. */
  private final java.util.concurrent.atomic.LongAdder memoryBytes = new java.util.concurrent.atomic.LongAdder();

  /** The clock every store of this JVM stamps its results' uses with. */
  public java.util.function.LongSupplier clock() {
    return clock::incrementAndGet;
  }

  public void add(ResultStore store) {
    store.shareMemoryBytes(memoryBytes);
    stores.add(store);
  }

  public void remove(ResultStore store) {
    stores.remove(store);
    store.unshareMemoryBytes();
  }

  /** The sum of the stores' memory bytes, without visiting each (a JVM may have hundreds). */
  @Override
  public long memoryBytes() {
    return memoryBytes.sum();
  }

  /**
   * One result at a time, from the store whose least recently used result is the oldest of all,
   * until {@code wanted} bytes have gone, none is left, or a write fails (the result stays in memory).
   * Called by one thread at a time (the JVM's memory monitor).
   */
  @Override
  public ResultStore.SpillOutcome spill(long wanted) {
    int results = 0;
    long bytes = 0;
    while (bytes < wanted) {
      ResultStore oldest = null;
      long oldestUse = Long.MAX_VALUE;
      for (ResultStore s : stores) {
        long use = s.oldestUse();
        if (use < oldestUse) {
          oldestUse = use;
          oldest = s;
        }
      }
      if (oldest == null) {
        break; // nothing left in memory (or nothing spillable)
      }
      ResultStore.SpillOutcome one = oldest.spill(1);
      results += one.results();
      bytes += one.bytes();
      if (one.failure() != null) {
        return new ResultStore.SpillOutcome(results, bytes, one.failure());
      }
      if (one.results() == 0 && oldest.oldestUse() == oldestUse) {
        break; // its oldest result could not move (a store without a spill folder): stop, not spin
      }
    }
    return new ResultStore.SpillOutcome(results, bytes, null);
  }

  @Override
  public long spilledBytes() {
    return sum(ResultStore::spilledBytes);
  }

  @Override
  public int spilledCount() {
    return (int) sum(ResultStore::spilledCount);
  }

  @Override
  public long spills() {
    return sum(ResultStore::spills);
  }

  @Override
  public long unspills() {
    return sum(ResultStore::unspills);
  }

  private long sum(java.util.function.ToLongFunction<ResultStore> figure) {
    long sum = 0;
    for (ResultStore s : stores) {
      sum += figure.applyAsLong(s);
    }
    return sum;
  }
}
