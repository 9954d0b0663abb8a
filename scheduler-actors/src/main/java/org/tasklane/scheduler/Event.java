package org.tasklane.scheduler;

import java.util.List;
import java.util.Set;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskReport;

/**
 * What happens to the scheduler, as the {@link TaskTable} takes it: the one way in
 * ({@link TaskTable#handle}). Each event is a fact; the table answers with the instructions for the
 * actor to carry out.
 */
public sealed interface Event {

  /** A graph that {@code GraphValidator} accepted (unique keys, references that exist, no cycle). */
  record Submit(String graphId, GraphSpec spec, long nowMillis) implements Event {
    @Override
    public String describe() {
      return "submit " + graphId;
    }
  }

  /** A batch of reports from one worker. */
  record Reports(String worker, List<TaskReport> reports) implements Event {
    @Override
    public String describe() {
      return "reports from " + worker;
    }
  }

  /**
   * A worker registered.
   *
   * @param contact how the actor reaches it; null where no actor is involved (unit tests)
   */
  record WorkerJoined(String worker, int nthreads, Set<String> functions, WorkerContact contact) implements Event {
    @Override
    public String describe() {
      return "worker " + worker + " joined";
    }

    public WorkerJoined {
      functions = Set.copyOf(functions);
    }
  }

  /** A worker left, stopped or died. */
  record WorkerLeft(String worker) implements Event {
    @Override
    public String describe() {
      return "worker " + worker + " left";
    }
  }

  /** A worker asks to stop gracefully; {@code nowNanos} is when (System.nanoTime), for its answer's log line. */
  record Retire(String worker, long nowNanos) implements Event {
    @Override
    public String describe() {
      return "worker " + worker + " retiring";
    }
  }

  /** A retiring worker's time to hand off its results is up. */
  record RetireTimedOut(String worker) implements Event {
    @Override
    public String describe() {
      return "retirement of " + worker + " timed out";
    }
  }

  /** A worker fetched copies of these results from retiring workers, and could not fetch those. */
  record ReplicasFetched(String worker, List<Long> stored, List<Long> failed) implements Event {
    @Override
    public String describe() {
      return "copies fetched by " + worker;
    }
  }

  /** A graph is cancelled or dropped: stop computing it and forget everything of it. */
  record Forget(String graphId) implements Event {
    @Override
    public String describe() {
      return "forget " + graphId;
    }
  }

  /** The scheduler's round trip to a worker, measured by a ping. */
  record Pinged(String worker, double roundTripMillis) implements Event {
    @Override
    public String describe() {
      return "ping of " + worker;
    }
  }

  /** A worker's memory monitor paused it (it takes no new tasks), or it resumed. */
  record WorkerPaused(String worker, boolean paused) implements Event {
    @Override
    public String describe() {
      return "worker " + worker + (paused ? " paused" : " resumed");
    }
  }

  /** One short line for the transition log: the event's kind and whom it concerns, no payload. */
  String describe();
}
