package org.tasklane.scheduler;

import java.util.LinkedHashSet;
import java.util.Set;

/** The scheduler's record of one worker. Mutated only by {@link TaskTable}. */
public final class WorkerRecord {
  final String name;
  final int nthreads;
  final Set<String> functions;
  /** Tasks assigned to it and not yet reported. */
  final Set<TaskRecord> processing = new LinkedHashSet<>();
  /** Results it holds (as the scheduler knows). */
  final Set<TaskRecord> holds = new TaskSet();
  long heldBytes;
  /** Moving average of how long its tasks run, microseconds; 0 until a task has reported. */
  double avgTaskMicros;
  /** Set while it retires gracefully (it gets no new tasks); null while it is active. */
  Retirement retirement;
  /** How the actor reaches it; null where no actor is involved (unit tests). */
  final WorkerContact contact;
  /** The scheduler's round trip to it by ping, milliseconds, moving average; 0 until measured. */
  double latencyMillis;
  /** Its memory monitor paused it (it says so): it gets no new tasks until it resumes. */
  boolean paused;
  /** Set once it left: it is in no index any more. */
  boolean left;
  /** When it joined, among the table's workers: ties of load go to the earliest ({@link WorkerIndex}). */
  long joinOrder;
  /** Its processing count as {@link WorkerIndex} sorted it, or -1 while it is not in the index. */
  int indexedProcessing = -1;

  WorkerRecord(String name, int nthreads, Set<String> functions, WorkerContact contact) {
    this.name = name;
    this.nthreads = Math.max(1, nthreads);
    this.functions = Set.copyOf(functions);
    this.contact = contact;
  }

  /** How the actor reaches it, or null if it joined without one (tests). */
  public WorkerContact contact() {
    return contact;
  }

  /** The scheduler's round trip to it, milliseconds (moving average of its pings). */
  public double latencyMillis() {
    return latencyMillis;
  }

  /** When it asked to retire (System.nanoTime), or 0 if it is not retiring. */
  public long retiringSinceNanos() {
    return retirement == null ? 0 : retirement.startedNanos;
  }

  public String name() {
    return name;
  }

  public int nthreads() {
    return nthreads;
  }

  public int processingCount() {
    return processing.size();
  }

  public int heldCount() {
    return holds.size();
  }

  /** Whether its memory monitor paused it: it gets no new tasks until it resumes. */
  public boolean isPaused() {
    return paused;
  }

  /** Whether it is retiring gracefully: it gets no new tasks and hands its results to others. */
  public boolean isRetiring() {
    return retirement != null;
  }

  @Override
  public String toString() {
    return name;
  }
}
