package org.tasklane.dashboard.history;

import java.util.Optional;

/** Finds a run of the history by its id and opens it for reading (the caller closes it). */
@FunctionalInterface
public interface RunLookup {

  /**
   * The run with this id, opened; empty if the history has none (an id that is not a plain file
   * name of the history folder included).
   */
  Optional<RunRecording> open(String runId);
}
