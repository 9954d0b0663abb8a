package org.tasklane.protocol;

import java.util.Arrays;

/**
 * Ordering of a task graph held as int arrays, for {@link GraphValidator}. Task {@code i} refers to
 * the tasks {@code refTargets[refStart[i] .. refStart[i + 1])} (repeats allowed); there are
 * {@code n = refStart.length - 1} tasks. Everything is iterative: no depth limit.
 */
final class GraphOrder {
  private GraphOrder() {}

  /**
   * Kahn's algorithm: task indices, each after the tasks it refers to, or null if there is a cycle.
   * Tasks with nothing to wait for keep their input order.
   *
   * @param dependents how many references point at each task
   * @param pending filled here (length n); it ends positive for exactly the tasks that could not be
   *     ordered, the ones on a cycle or behind one, for {@link #findCycle}
   */
  static int[] topologicalOrder(int[] refStart, int[] refTargets, int[] dependents, int[] pending) {
    int n = refStart.length - 1;
    // reverse adjacency: the tasks that refer to task j are depTargets[depStart[j] .. depStart[j + 1])
    int[] depStart = new int[n + 1];
    for (int j = 0; j < n; j++) {
      depStart[j + 1] = depStart[j] + dependents[j];
    }
    int[] fill = Arrays.copyOf(depStart, n);
    int[] depTargets = new int[refStart[n]];
    for (int i = 0; i < n; i++) {
      pending[i] = refStart[i + 1] - refStart[i];
      for (int r = refStart[i]; r < refStart[i + 1]; r++) {
        depTargets[fill[refTargets[r]]++] = i;
      }
    }
    int[] order = new int[n];
    int tail = 0;
    for (int i = 0; i < n; i++) {
      if (pending[i] == 0) {
        order[tail++] = i;
      }
    }
    for (int head = 0; head < tail; head++) {
      int j = order[head];
      for (int d = depStart[j]; d < depStart[j + 1]; d++) {
        int i = depTargets[d];
        if (--pending[i] == 0) {
          order[tail++] = i;
        }
      }
    }
    return tail == n ? order : null;
  }

  /**
   * The tasks on one cycle, each referring to the next and the last to the first, starting at the
   * cycle's lowest index (so the answer does not depend on where the search began).
   *
   * <p>{@code pending[i] > 0} marks the tasks {@link #topologicalOrder} could not order. Each of
   * them refers to at least one other such task, so following those references from any of them
   * must come back to a task already seen.
   */
  static int[] findCycle(int[] refStart, int[] refTargets, int[] pending) {
    int n = refStart.length - 1;
    int start = 0;
    while (start < n && pending[start] == 0) {
      start++;
    }
    if (start == n) {
      throw new IllegalArgumentException("no unordered task: there is no cycle");
    }
    int[] seenAt = new int[n]; // 1 + position on the path; 0 when not visited
    int[] path = new int[n];
    int len = 0;
    int cur = start;
    while (seenAt[cur] == 0) {
      path[len] = cur;
      seenAt[cur] = ++len;
      int next = -1;
      for (int r = refStart[cur]; r < refStart[cur + 1]; r++) {
        if (pending[refTargets[r]] > 0) {
          next = refTargets[r];
          break;
        }
      }
      if (next < 0) {
        throw new IllegalStateException("task #" + cur + " is unordered but refers to no unordered task");
      }
      cur = next;
    }
    int from = seenAt[cur] - 1;
    int size = len - from;
    int lowest = from;
    for (int p = from + 1; p < len; p++) {
      if (path[p] < path[lowest]) {
        lowest = p;
      }
    }
    int[] cycle = new int[size];
    for (int s = 0; s < size; s++) {
      cycle[s] = path[from + (lowest - from + s) % size];
    }
    return cycle;
  }
}
