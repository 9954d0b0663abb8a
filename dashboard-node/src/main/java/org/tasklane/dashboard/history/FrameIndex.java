package org.tasklane.dashboard.history;

import java.util.Arrays;

/**
 * Where each frame of a run file is, and what its header says, in primitive arrays (a run of a
 * million tasks has a few thousand frames).
 */
final class FrameIndex {
  private long[] position = new long[64];
  private long[] timeMillis = new long[64];
  private long[] minStart = new long[64];
  private long[] maxStop = new long[64];
  private int[] length = new int[64];
  private int[] count = new int[64];
  private byte[] type = new byte[64];
  private byte[] flags = new byte[64];
  private int size;

  void add(long pos, RunFileFormat.FrameHeader h) {
    if (size == position.length) {
      int n = size * 2;
      position = Arrays.copyOf(position, n);
      timeMillis = Arrays.copyOf(timeMillis, n);
      minStart = Arrays.copyOf(minStart, n);
      maxStop = Arrays.copyOf(maxStop, n);
      length = Arrays.copyOf(length, n);
      count = Arrays.copyOf(count, n);
      type = Arrays.copyOf(type, n);
      flags = Arrays.copyOf(flags, n);
    }
    position[size] = pos;
    timeMillis[size] = h.timeMillis();
    minStart[size] = h.minStartMicros();
    maxStop[size] = h.maxStopMicros();
    length[size] = h.length();
    count[size] = h.count();
    type[size] = h.type();
    flags[size] = (byte) h.flags();
    size++;
  }

  /** Forgets frames from {@code i} on (they turned out not to decode). */
  void truncate(int i) {
    size = Math.min(size, i);
  }

  int size() {
    return size;
  }

  long position(int i) {
    return position[i];
  }

  long timeMillis(int i) {
    return timeMillis[i];
  }

  long minStartMicros(int i) {
    return minStart[i];
  }

  long maxStopMicros(int i) {
    return maxStop[i];
  }

  int length(int i) {
    return length[i];
  }

  int count(int i) {
    return count[i];
  }

  byte type(int i) {
    return type[i];
  }

  boolean deflated(int i) {
    return (flags[i] & RunFileFormat.FLAG_DEFLATED) != 0;
  }

  /** The last frame of this type, or -1. */
  int last(byte t) {
    for (int i = size - 1; i >= 0; i--) {
      if (type[i] == t) {
        return i;
      }
    }
    return -1;
  }
}
