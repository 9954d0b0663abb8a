package org.tasklane.system;

/** User code for the profiler's tests, shipped to the workers by the typed client: it spins in a method with a distinctive name. */
public final class ProfiledFunctions {
  private ProfiledFunctions() {}

  /** The frame the profile must show: the whole class and method name. */
  public static final String SPIN_FRAME = ProfiledFunctions.class.getName() + ".spinInAVeryDistinctiveMethod";

  /** Keeps its thread busy (on the CPU, so that it is sampled) for about {@code millis}. */
  public static long spin(int millis) {
    return spinInAVeryDistinctiveMethod(millis);
  }

  static long spinInAVeryDistinctiveMethod(int millis) {
    long end = System.nanoTime() + millis * 1_000_000L;
    long x = 1;
    while (System.nanoTime() < end) {
      for (int i = 0; i < 10_000; i++) {
        x = x * 6364136223846793005L + 1442695040888963407L;
      }
    }
    return x;
  }
}
