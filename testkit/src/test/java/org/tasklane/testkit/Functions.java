package org.tasklane.testkit;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** User code as a user would write it: static methods with typed arguments and results. */
final class Functions {
  private Functions() {}

  record Words(String source, Map<String, Long> counts) {}

  static int square(int x) {
    return x * x;
  }

  static Words count(String source, String text) {
    Map<String, Long> counts = new HashMap<>();
    for (String w : text.toLowerCase(java.util.Locale.ROOT).split("\\W+")) {
      if (!w.isEmpty()) {
        counts.merge(w, 1L, Long::sum);
      }
    }
    return new Words(source, counts);
  }

  static Map<String, Long> merge(List<Words> parts) {
    Map<String, Long> total = new HashMap<>();
    parts.forEach(p -> p.counts().forEach((w, n) -> total.merge(w, n, Long::sum)));
    return total;
  }

  static byte[] reverse(byte[] data) {
    byte[] out = new byte[data.length];
    for (int i = 0; i < data.length; i++) {
      out[i] = data[data.length - 1 - i];
    }
    return out;
  }

  static int refuse(int x) {
    throw new IllegalStateException("refused " + x, new ArithmeticException("inner cause"));
  }

  private static final AtomicInteger FLAKY_CALLS = new AtomicInteger();

  /** Fails its first two calls in this JVM, then returns x (the local cluster's workers share the JVM). */
  static int flaky(int x) {
    if (FLAKY_CALLS.incrementAndGet() <= 2) {
      throw new IllegalStateException("flaky call " + FLAKY_CALLS.get());
    }
    return x;
  }

  static int sleepy(int seconds) throws InterruptedException {
    Thread.sleep(seconds * 1000L);
    return seconds;
  }
}
