package org.tasklane.worker;

/**
 * Results held in memory and on disk, as memory management sees them: one worker's {@link
 * ResultStore}, or all the stores of the workers of a JVM ({@link ResultStores}), which share its heap.
 */
public interface HeldResults {
  /** Bytes of the results in memory (their estimates). */
  long memoryBytes();

  /** Moves the least recently used results in memory to disk until {@code wanted} bytes have gone. */
  ResultStore.SpillOutcome spill(long wanted);

  /** Bytes of the spilled results (as they were in memory). */
  long spilledBytes();

  /** How many results are spilled. */
  int spilledCount();

  /** Results written to disk since start. */
  long spills();

  /** Spilled results read back since start. */
  long unspills();
}
