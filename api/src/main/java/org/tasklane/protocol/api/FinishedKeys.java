package org.tasklane.protocol.api;

import java.util.List;
import org.tasklane.protocol.CborSerializable;

/**
 * The answer to {@code GET /api/v1/graphs/{id}/finished?from=N[&wait=S]}: the graph's wanted keys
 * that finished (completed or erred), in the order they did, from the {@code from}-th on. Read
 * their results with {@code GET .../results?key=K} while the graph still runs.
 *
 * @param id the graph id
 * @param state {@code running}, {@code done} or {@code cancelled}
 * @param keys the keys that finished from the {@code from}-th on (at most {@link #MAX_KEYS})
 * @param next what to ask {@code from} next: {@code from} plus the number of keys
 * @param wanted how many keys the graph wants in all
 */
public record FinishedKeys(String id, String state, List<String> keys, int next, int wanted)
    implements CborSerializable {
  /** The most keys one answer lists. */
  public static final int MAX_KEYS = 1000;

  public FinishedKeys {
    keys = List.copyOf(keys);
  }

  /** True if every wanted key is listed up to {@code next}, or the graph will list no more. */
  public boolean isComplete() {
    return next >= wanted || !"running".equals(state);
  }
}
