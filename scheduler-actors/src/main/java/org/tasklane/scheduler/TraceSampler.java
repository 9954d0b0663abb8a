package org.tasklane.scheduler;

import java.util.HashMap;
import java.util.Map;

/**
 * Which erred tasks' stack traces go to the dashboards with their task records: the first
 * {@link #PER_KIND} of each kind of error in a graph, and at most {@link #MAX_PER_GRAPH} per graph.
 * A kind is the trace's first line with its digits taken out, plus its frames: the same exception,
 * thrown at the same place, with a message that differs only in numbers. So a graph of a million
 * tasks that all throw the same costs the topic and the run history three traces, not a million
 * (a trace is up to 16 KiB). Forgotten with its graph. Used by the scheduler actor only.
 */
final class TraceSampler {
  /** Traces sent per kind of error per graph. */
  static final int PER_KIND = 3;
  /** Traces sent per graph, at most. */
  static final int MAX_PER_GRAPH = 100;

  private record Sent(Map<Long, Integer> byKind, int[] total) {}

  private final Map<String, Sent> byGraph = new HashMap<>();

  /** The trace, if it is to be sent with its task record; else null. */
  String sample(String graphId, String trace) {
    if (trace == null || trace.isEmpty()) {
      return null;
    }
    Sent sent = byGraph.computeIfAbsent(graphId, k -> new Sent(new HashMap<>(), new int[1]));
    if (sent.total()[0] >= MAX_PER_GRAPH) {
      return null;
    }
    long kind = kind(trace);
    int n = sent.byKind().getOrDefault(kind, 0);
    if (n >= PER_KIND) {
      return null;
    }
    sent.byKind().put(kind, n + 1);
    sent.total()[0]++;
    return trace;
  }

  void forget(String graphId) {
    byGraph.remove(graphId);
  }

  /** A 64-bit hash of the first line without its digits, and of the rest: a collision only means a trace not sent. */
  static long kind(String trace) {
    int nl = trace.indexOf('\n');
    String head = nl < 0 ? trace : trace.substring(0, nl);
    String frames = nl < 0 ? "" : trace.substring(nl);
    int h = 17;
    for (int i = 0; i < head.length(); i++) {
      char c = head.charAt(i);
      if (c < '0' || c > '9') {
        h = 31 * h + c;
      }
    }
    return ((long) h << 32) ^ (frames.hashCode() & 0xffffffffL);
  }
}
