package org.tasklane.system.soak;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.tasklane.system.ProcessProbe;

/**
 * Samples the heap and resident memory of a changing set of processes every 20 s and keeps
 * the peaks per role (processes whose names map to the same role share a row: every worker that
 * came and went is one row, "workers").
 */
final class HeapWatch implements Runnable {
  /** Each sample starts a jstat JVM per process: not more often than this, on a 2-core machine. */
  private static final long EVERY_MILLIS = 20_000;

  private final Supplier<Map<String, Process>> processes;
  private final Function<String, String> roleOf;
  private final Map<String, long[]> peaks = new LinkedHashMap<>(); // role -> {heap, rss}
  private volatile boolean stopping;

  HeapWatch(Supplier<Map<String, Process>> processes, Function<String, String> roleOf) {
    this.processes = processes;
    this.roleOf = roleOf;
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping) {
      sample();
      try {
        Thread.sleep(EVERY_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  synchronized void sample() {
    processes.get().forEach((name, p) -> {
      if (p.isAlive()) {
        long[] peak = peaks.computeIfAbsent(roleOf.apply(name), k -> new long[] {-1, -1});
        peak[0] = Math.max(peak[0], ProcessProbe.heapUsedBytes(p.pid()));
        peak[1] = Math.max(peak[1], ProcessProbe.peakRssBytes(p.pid()));
      }
    });
  }

  /**
   * Takes a last sample, then each role's peaks and its heap after a full GC now (the largest
   * over the role's live processes).
   */
  synchronized Map<String, SoakReport.Heap> finish() {
    sample();
    Map<String, Long> finals = new LinkedHashMap<>();
    processes.get().forEach((name, p) -> {
      if (p.isAlive()) {
        finals.merge(roleOf.apply(name), liveHeapOrUnknown(p.pid()), Math::max);
      }
    });
    Map<String, SoakReport.Heap> out = new LinkedHashMap<>();
    peaks.forEach((role, peak) -> out.put(role, new SoakReport.Heap(peak[0], finals.getOrDefault(role, -1L), peak[1])));
    return out;
  }

  private static long liveHeapOrUnknown(long pid) {
    try {
      return ProcessProbe.liveHeap(pid).bytes();
    } catch (IllegalStateException e) {
      return -1; // the JDK's jcmd is missing or the process is gone: the table shows "-"
    }
  }
}
