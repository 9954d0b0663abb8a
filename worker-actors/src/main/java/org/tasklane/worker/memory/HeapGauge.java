package org.tasklane.worker.memory;

import com.sun.management.GarbageCollectionNotificationInfo;
import com.sun.management.GcInfo;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.ListenerNotFoundException;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The JVM heap beyond the worker's results (its unmanaged memory), measured at the end of each
 * garbage collection: the heap in use right after a collection holds live objects only, so
 * unmanaged = heap after the collection - the results in memory at that moment. The heap in use at
 * other times counts garbage too, and would make the worker spill and pause for memory it does not
 * need. Between collections the worker's process memory is its managed memory now plus the
 * unmanaged memory of the last collection. That lags when a task allocates much between two
 * collections, so the monitor asks for one when the heap in use, garbage and all, passes its pause line.
 */
public final class HeapGauge implements UnmanagedMemory, AutoCloseable {
  private final LongSupplier managed;
  private final Set<String> heapPools = new HashSet<>();
  private final List<NotificationEmitter> emitters = new ArrayList<>();
  private final NotificationListener listener = (notification, handback) -> {
    if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(notification.getType())) {
      onCollection(GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData()).getGcInfo());
    }
  };
  private final AtomicLong unmanaged = new AtomicLong();
  private final AtomicLong collections = new AtomicLong();

  /** @param managed the bytes of results in memory now */
  public HeapGauge(LongSupplier managed) {
    this.managed = managed;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        heapPools.add(pool.getName());
      }
    }
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener(listener, null, null);
        emitters.add(emitter);
      }
    }
    // until the first collection: the heap in use now, garbage and all, is the best there is
    unmanaged.set(Math.max(0, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() - managed.getAsLong()));
  }

  private void onCollection(GcInfo info) {
    long used = 0;
    for (Map.Entry<String, MemoryUsage> e : info.getMemoryUsageAfterGc().entrySet()) {
      if (heapPools.contains(e.getKey())) {
        used += e.getValue().getUsed();
      }
    }
    unmanaged.set(Math.max(0, used - managed.getAsLong()));
    collections.incrementAndGet();
  }

  /** The heap beyond the results in memory, as of the last collection. */
  @Override
  public long unmanagedBytes() {
    return unmanaged.get();
  }

  /** Collections seen since start. */
  @Override
  public long heapUsedNow() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public long collections() {
    return collections.get();
  }

  /**
   * Asks for a collection, so that memory freed while the JVM allocated little (a paused worker)
   * shows in the figures. Costs a full collection: the monitor calls it at most once a second, and
   * only above the pause threshold.
   */
  @Override
  public void collect() {
    System.gc();
  }

  @Override
  public void close() {
    for (NotificationEmitter e : emitters) {
      try {
        e.removeNotificationListener(listener);
      } catch (ListenerNotFoundException ignored) {
        // never added: nothing to remove
      }
    }
  }
}
