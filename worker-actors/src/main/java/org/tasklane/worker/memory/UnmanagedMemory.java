package org.tasklane.worker.memory;

/** Where the memory monitor learns the heap beyond the results ({@link HeapGauge}; a fake in tests). */
public interface UnmanagedMemory {
  /** The heap beyond the results in memory, as of the last collection. */
  long unmanagedBytes();

  /** Collections seen since start (a new one means {@link #unmanagedBytes} is fresh). */
  long collections();

  /** The heap in use now, garbage and all: an upper bound of process memory, read cheaply. */
  long heapUsedNow();

  /** Asks for a collection. */
  void collect();
}
