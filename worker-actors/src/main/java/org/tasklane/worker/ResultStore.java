package org.tasklane.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * The results a worker holds in memory, by task id: the ones it computed and the replicas it
 * fetched. Shared by the worker actor (which writes) and its data endpoint (which reads and
 * counts what it serves); safe for concurrent use.
 */
public final class ResultStore {

  /** One held result and its size. */
  public record Stored(JsonNode value, long nbytes) {}

  private final ConcurrentHashMap<Long, Stored> results = new ConcurrentHashMap<>();
  private final AtomicInteger count = new AtomicInteger();
  private final AtomicLong bytes = new AtomicLong();
  private final LongAdder servedItems = new LongAdder();
  private final LongAdder servedBytes = new LongAdder();

  /** Hold this result (replacing any held under the same id). */
  public void put(long taskId, JsonNode value, long nbytes) {
    Stored previous = results.put(taskId, new Stored(value, nbytes));
    if (previous == null) {
      count.incrementAndGet();
      bytes.addAndGet(nbytes);
    } else {
      bytes.addAndGet(nbytes - previous.nbytes());
    }
  }

  /** The held result, or null. */
  public Stored get(long taskId) {
    return results.get(taskId);
  }

  /** Whether a result is held under this id. */
  public boolean contains(long taskId) {
    return results.containsKey(taskId);
  }

  /** Drop the result; returns whether one was held. */
  public boolean remove(long taskId) {
    Stored previous = results.remove(taskId);
    if (previous == null) {
      return false;
    }
    count.decrementAndGet();
    bytes.addAndGet(-previous.nbytes());
    return true;
  }

  /** How many results are held. */
  public int count() {
    return count.get();
  }

  /** Their total size. */
  public long totalBytes() {
    return bytes.get();
  }

  /** Up to {@code limit} of the held ids, in no particular order. */
  public List<Long> ids(int limit) {
    List<Long> ids = new ArrayList<>(Math.min(limit, results.size()));
    for (Long id : results.keySet()) {
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
}
