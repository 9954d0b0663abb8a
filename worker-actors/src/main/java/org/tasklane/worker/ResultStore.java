package org.tasklane.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import org.tasklane.worker.memory.SpillFolder;

/**
 * The results a worker holds, by task id: the ones it computed and the replicas it fetched, in
 * memory (least recently used first) or spilled to its {@link SpillFolder}. Shared by the worker
 * actor (which writes), its data endpoint (which reads and counts what it serves), the task threads
 * (which read spilled inputs back) and the memory monitor (which spills); safe for concurrent use.
 *
 * <p>A spilled result read back is not held in memory again: it lives as long as the task or the
 * transfer that wanted it, which keeps managed memory where the monitor put it.
 */
public final class ResultStore implements HeldResults, AutoCloseable {

  /** One held result and its size (its estimate, {@link Values#sizeOf}). */
  public record Stored(JsonNode value, long nbytes) {}

  /** What {@link #spill} did: the results and bytes it moved, and why it stopped early (or null). */
  public record SpillOutcome(int results, long bytes, IOException failure) {}

  /** Access order: iteration starts at the least recently used. */
  private final LinkedHashMap<Long, Stored> memory = new LinkedHashMap<>(64, 0.75f, true);
  private final Map<Long, SpillFolder.Spilled> disk = new HashMap<>();
  /** Sizes (estimates) of the spilled results, by id, as held before spilling. */
  private final Map<Long, Long> diskSizes = new HashMap<>();
  private long memoryBytes;
  private long spilledBytes;
  private final SpillFolder folder;
  private final LongAdder servedItems = new LongAdder();
  private final LongAdder servedBytes = new LongAdder();
  private final LongAdder spills = new LongAdder();
  private final LongAdder unspills = new LongAdder();
  /** Stamps each use of a result in memory; shared by the stores of one JVM ({@link ResultStores}). */
  private final java.util.function.LongSupplier clock;
  /** The stamp of each result in memory's last use (the head of {@link #memory} has the smallest). */
  private final Map<Long, Long> used = new HashMap<>();

  /** A store that keeps everything in memory. */
  public ResultStore() {
    this(null);
  }

  /** @param folder where results are spilled; null to keep everything in memory */
  public ResultStore(SpillFolder folder) {
    this(folder, new java.util.concurrent.atomic.AtomicLong()::incrementAndGet);
  }

  /**
   * @param folder where results are spilled; null to keep everything in memory
   * @param clock stamps uses, so that the least recently used result of several stores can be found
   */
  public ResultStore(SpillFolder folder, java.util.function.LongSupplier clock) {
    this.folder = folder;
    this.clock = clock;
  }

  /**
   * The use stamp of the least recently used result in memory; {@link Long#MAX_VALUE} if there is
   * none or this store cannot spill.
   */
  public synchronized long oldestUse() {
    if (folder == null || memory.isEmpty()) {
      return Long.MAX_VALUE;
    }
    return used.getOrDefault(memory.keySet().iterator().next(), Long.MAX_VALUE);
  }

  /** Hold this result in memory (replacing any held under the same id, in memory or on disk). */
  public void put(long taskId, JsonNode value, long nbytes) {
    SpillFolder.Spilled dropped;
    synchronized (this) {
      Stored previous = memory.put(taskId, new Stored(value, nbytes));
      used.put(taskId, clock.getAsLong());
      memoryBytes += nbytes - (previous == null ? 0 : previous.nbytes());
      dropped = dropSpilled(taskId);
    }
    deleteFile(dropped);
  }

  /**
   * The held result, or null: from memory (it becomes the most recently used), else read back from
   * disk on the caller's thread.
   *
   * @throws UncheckedIOException if its spill file cannot be read
   */
  public Stored get(long taskId) {
    SpillFolder.Spilled spilled;
    long nbytes;
    synchronized (this) {
      Stored held = memory.get(taskId);
      if (held != null) {
        used.put(taskId, clock.getAsLong());
        return held;
      }
      spilled = disk.get(taskId);
      if (spilled == null) {
        return null;
      }
      nbytes = diskSizes.get(taskId);
    }
    try {
      JsonNode value = folder.read(spilled);
      unspills.increment();
      return new Stored(value, nbytes);
    } catch (IOException e) {
      synchronized (this) {
        if (!disk.containsKey(taskId)) {
          return memory.get(taskId); // released (null) or held anew while it was read
        }
      }
      throw new UncheckedIOException("cannot read result " + taskId + " back from " + spilled.file() + ": "
          + e.getMessage(), e);
    }
  }

  /** The result if it is in memory (it becomes the most recently used), else null: it is spilled or not held. */
  public synchronized Stored inMemory(long taskId) {
    Stored held = memory.get(taskId);
    if (held != null) {
      used.put(taskId, clock.getAsLong());
    }
    return held;
  }

  /** Whether this result is held on disk only. */
  public synchronized boolean isSpilled(long taskId) {
    return disk.containsKey(taskId);
  }

  /** Whether a result is held under this id, in memory or on disk. */
  public synchronized boolean contains(long taskId) {
    return memory.containsKey(taskId) || disk.containsKey(taskId);
  }

  /** Drop the result, and its spill file; returns whether one was held. */
  public boolean remove(long taskId) {
    SpillFolder.Spilled dropped;
    boolean held;
    synchronized (this) {
      Stored previous = memory.remove(taskId);
      used.remove(taskId);
      if (previous != null) {
        memoryBytes -= previous.nbytes();
      }
      dropped = dropSpilled(taskId);
      held = previous != null || dropped != null;
    }
    deleteFile(dropped);
    return held;
  }

  /**
   * Moves the least recently used results in memory to disk until {@code wanted} bytes have gone
   * (or none is left). Stops at the first write that fails: the result stays in memory. Called by one
   * thread at a time (the memory monitor's); writes happen outside the lock, so readers never wait for the disk.
   */
  public SpillOutcome spill(long wanted) {
    if (folder == null || wanted <= 0) {
      return new SpillOutcome(0, 0, null);
    }
    List<Map.Entry<Long, Stored>> victims = new ArrayList<>();
    synchronized (this) {
      long picked = 0;
      Iterator<Map.Entry<Long, Stored>> it = memory.entrySet().iterator();
      while (picked < wanted && it.hasNext()) {
        Map.Entry<Long, Stored> e = it.next();
        victims.add(Map.entry(e.getKey(), e.getValue()));
        picked += e.getValue().nbytes();
      }
    }
    int results = 0;
    long bytes = 0;
    for (Map.Entry<Long, Stored> v : victims) {
      long id = v.getKey();
      Stored stored = v.getValue();
      SpillFolder.Spilled spilled;
      try {
        spilled = folder.write(id, stored.value(), stored.nbytes());
      } catch (IOException e) {
        return new SpillOutcome(results, bytes, e);
      }
      boolean moved;
      synchronized (this) {
        // only if it is still the same result (not released or replaced while it was written)
        moved = memory.get(id) == stored && !disk.containsKey(id);
        if (moved) {
          memory.remove(id);
          used.remove(id);
          memoryBytes -= stored.nbytes();
          disk.put(id, spilled);
          diskSizes.put(id, stored.nbytes());
          spilledBytes += stored.nbytes();
        }
      }
      if (moved) {
        results++;
        bytes += stored.nbytes();
        spills.increment();
      } else {
        folder.delete(spilled);
      }
    }
    return new SpillOutcome(results, bytes, null);
  }

  private SpillFolder.Spilled dropSpilled(long taskId) {
    SpillFolder.Spilled dropped = disk.remove(taskId);
    if (dropped != null) {
      spilledBytes -= diskSizes.remove(taskId);
    }
    return dropped;
  }

  private void deleteFile(SpillFolder.Spilled spilled) {
    if (spilled != null) {
      folder.delete(spilled);
    }
  }

  /** How many results are held, in memory and on disk. */
  public synchronized int count() {
    return memory.size() + disk.size();
  }

  /** Their total size (estimated, as in memory). */
  public synchronized long totalBytes() {
    return memoryBytes + spilledBytes;
  }

  /** The size of the results in memory: the worker's managed memory. */
  public synchronized long memoryBytes() {
    return memoryBytes;
  }

  /** The size of the spilled results (as they were in memory). */
  public synchronized long spilledBytes() {
    return spilledBytes;
  }

  /** How many results are spilled. */
  public synchronized int spilledCount() {
    return disk.size();
  }

  /** Results written to disk since start. */
  public long spills() {
    return spills.sum();
  }

  /** Spilled results read back since start (by tasks and peers). */
  public long unspills() {
    return unspills.sum();
  }

  /** Up to {@code limit} of the held ids, in memory and on disk, in no particular order. */
  public synchronized List<Long> ids(int limit) {
    List<Long> ids = new ArrayList<>(Math.min(limit, memory.size() + disk.size()));
    for (Long id : memory.keySet()) {
      if (ids.size() >= limit) {
        return ids;
      }
      ids.add(id);
    }
    for (Long id : disk.keySet()) {
      if (ids.size() >= limit) {
        break;
      }
      ids.add(id);
    }
    return ids;
  }

  /** Count results served to peers. */
  public void recordServed(int items, long nbytes) {
    servedItems.add(items);
    servedBytes.add(nbytes);
  }

  /** Results served to peers since start. */
  public long servedItems() {
    return servedItems.sum();
  }

  /** Their total size. */
  public long servedBytes() {
    return servedBytes.sum();
  }

  /** Forgets every spilled result and deletes the spill folder. */
  @Override
  public void close() {
    synchronized (this) {
      disk.clear();
      diskSizes.clear();
      spilledBytes = 0;
    }
    if (folder != null) {
      folder.close();
    }
  }
}
