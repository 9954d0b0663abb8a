package org.tasklane.protocol.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The answer to {@code GET /api/v1/graphs/{id}/results}.
 *
 * @param id the graph id
 * @param results wanted key to its result
 * @param errors wanted key to its error, for wanted tasks that erred
 * @param traces key to the full stack trace (as Java prints it, {@code Caused by:} and all) of the
 *     exception a task's own function threw, for tasks that threw themselves (a dependent's error
 *     names the dependency that failed; its trace is under that key); never null
 */
public record GraphResults(
    String id, Map<String, JsonNode> results, Map<String, String> errors, Map<String, String> traces) {
  public GraphResults {
    traces = traces == null ? Map.of() : traces;
  }

  /** Results and errors, no traces. */
  public GraphResults(String id, Map<String, JsonNode> results, Map<String, String> errors) {
    this(id, results, errors, Map.of());
  }
}
