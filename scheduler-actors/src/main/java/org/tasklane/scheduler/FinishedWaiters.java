package org.tasklane.scheduler;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.api.FinishedKeys;

/**
 * Clients long-polling for the wanted keys of a graph that finished ({@code GET
 * /api/v1/graphs/ID/finished?from=N&wait=S}): each waits until its graph has a key past its
 * {@code from}, ends, is forgotten, or its deadline passes. At most {@link #MAX_PER_GRAPH} per
 * graph; past that a request is answered at once. The scheduler calls {@link #wake} after each
 * batch of reports, so an answer goes out as soon as a result is ready.
 */
final class FinishedWaiters {
  static final int MAX_PER_GRAPH = 1000;

  private record Waiter(int from, ActorRef<SchedulerProtocol.FinishedKeysReply> replyTo, long deadlineNanos) {}

  private final Map<String, List<Waiter>> byGraph = new HashMap<>();

  /** The answer for {@code g} from the {@code from}-th finished key on. */
  static FinishedKeys answer(GraphRecord g, int from) {
    int start = Math.max(0, Math.min(from, g.finishedWanted.size()));
    int end = Math.min(g.finishedWanted.size(), start + FinishedKeys.MAX_KEYS);
    List<String> keys = new ArrayList<>(end - start);
    for (int i = start; i < end; i++) {
      keys.add(g.finishedWanted.get(i).key);
    }
    return new FinishedKeys(g.id, g.stateName(), keys, end, g.wantedCount());
  }

  /** Answers now if there is something to say (or no wait), else keeps the request until {@link #wake}. */
  void ask(GraphRecord g, SchedulerProtocol.GetFinishedKeys m) {
    boolean wait = m.maxWait() != null && m.maxWait().toNanos() > 0;
    List<Waiter> list = byGraph.get(g.id);
    if (!wait || m.from() < g.finishedWanted.size() || g.isFinished()
        || (list != null && list.size() >= MAX_PER_GRAPH)) {
      m.replyTo().tell(new SchedulerProtocol.FinishedKeysReply(answer(g, m.from())));
      return;
    }
    byGraph.computeIfAbsent(g.id, k -> new ArrayList<>())
        .add(new Waiter(m.from(), m.replyTo(), System.nanoTime() + m.maxWait().toNanos()));
  }

  /**
   * Answers every waiter whose graph has a key past its {@code from}, has ended, or is gone
   * ({@code graphs} gives null), and, with {@code nowNanos} non-zero, those whose deadline passed.
   */
  void wake(Function<String, GraphRecord> graphs, long nowNanos) {
    if (byGraph.isEmpty()) {
      return;
    }
    for (Iterator<Map.Entry<String, List<Waiter>>> it = byGraph.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, List<Waiter>> e = it.next();
      GraphRecord g = graphs.apply(e.getKey());
      e.getValue().removeIf(w -> {
        if (g == null) {
          w.replyTo().tell(new SchedulerProtocol.FinishedKeysReply(null));
          return true;
        }
        boolean due = nowNanos != 0 && w.deadlineNanos() - nowNanos <= 0;
        if (due || w.from() < g.finishedWanted.size() || g.isFinished()) {
          w.replyTo().tell(new SchedulerProtocol.FinishedKeysReply(answer(g, w.from())));
          return true;
        }
        return false;
      });
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
  }
}
