package org.tasklane.protocol.api;

import java.util.List;
import java.util.Map;
import org.tasklane.protocol.CborSerializable;

/**
 * A graph's status, as {@code GET /api/v1/graphs/{id}} returns it.
 *
 * @param id the graph id
 * @param name the graph's name
 * @param state {@code running}, {@code done} or {@code cancelled}
 * @param tasks how many tasks the graph has
 * @param done how many completed (in memory or since released)
 * @param erred how many erred
 * @param states task count per task state (lower-case names)
 * @param groups progress per task group, in submission order
 * @param transfers inputs moved between workers for this graph
 * @param transferBytes their total size
 * @param submittedMillis when it was accepted (epoch milliseconds)
 * @param finishedMillis when its last task completed or erred (epoch milliseconds), 0 while running
 * @param errors up to 20 erred keys with their errors, the root failures first
 * @param recomputed how many times a task that had completed was computed again (its only copy was
 *     lost with a worker that died or left without handing it off)
 * @param handedOff results copied off gracefully stopped workers to others instead of being recomputed
 */
public record GraphStatus(
    String id,
    String name,
    String state,
    int tasks,
    int done,
    int erred,
    Map<String, Integer> states,
    List<GroupProgress> groups,
    long transfers,
    long transferBytes,
    long submittedMillis,
    long finishedMillis,
    Map<String, String> errors,
    int recomputed,
    int handedOff)
    implements CborSerializable {
  public GraphStatus {
    // keep the given order (root failures first): Map.copyOf would not
    states = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(states));
    groups = List.copyOf(groups);
    errors = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(errors));
  }

  public boolean isFinished() {
    return !"running".equals(state);
  }
}
