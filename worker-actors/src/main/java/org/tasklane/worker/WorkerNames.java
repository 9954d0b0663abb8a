package org.tasklane.worker;

import java.util.ArrayList;
import java.util.List;

/**
 * The names of the workers of one JVM ({@code --nworkers N}): with a base name {@code W},
 * {@code W-1} .. {@code W-N}; without one, the JVM's cluster address {@code HOST:PORT-1} ..
 * {@code HOST:PORT-N}. One worker keeps the base name (or the bare address), as before there were
 * several. Their actors are {@code worker-1} .. {@code worker-N} ({@code worker} for one).
 */
public final class WorkerNames {
  private WorkerNames() {}

  /** Workers per JVM, at most: each has its own threads and a receptionist entry in the cluster. */
  public static final int MAX_WORKERS = 1000;

  /**
   * The workers' names.
   *
   * @param base the configured name, or the address when none is configured
   * @throws IllegalArgumentException if {@code n} is not within 1 .. {@link #MAX_WORKERS}
   */
  public static List<String> names(String base, int n) {
    check(n);
    if (n == 1) {
      return List.of(base);
    }
    List<String> names = new ArrayList<>(n);
    for (int i = 1; i <= n; i++) {
      names.add(base + "-" + i);
    }
    return names;
  }

  /** The name of worker {@code i} (from 1) of {@code n}'s actor. */
  public static String actorName(int i, int n) {
    check(n);
    if (i < 1 || i > n) {
      throw new IllegalArgumentException("worker " + i + " of " + n);
    }
    return n == 1 ? "worker" : "worker-" + i;
  }

  /** Throws unless {@code n} is a valid worker count; one line, the option's name in it. */
  public static void check(int n) {
    if (n < 1 || n > MAX_WORKERS) {
      throw new IllegalArgumentException("--nworkers must be from 1 to " + MAX_WORKERS + ", got " + n);
    }
  }
}
