package org.tasklane.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The answer to {@code GET /api/v1/graphs/{id}/results}.
 *
 * @param id the graph id
 * @param results wanted key to its result
 * @param errors wanted key to its error, for wanted tasks that erred
 * @param traces key to the full stack trace of the exception its function threw (as Java prints it,
 *     {@code Caused by:} and all), for erred tasks that threw themselves and whose worker sent one
 *     (a dependent's error names the dependency that failed: its trace is under that key when the
 *     keys are not filtered); absent when there are none
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record GraphResults(String id, Map<String, JsonNode> results, Map<String, String> errors,
    Map<String, String> traces) {
  /** Results with no stack traces. */
  public GraphResults(String id, Map<String, JsonNode> results, Map<String, String> errors) {
    this(id, results, errors, Map.of());
  }

  public GraphResults {
    results = results == null ? Map.of() : results;
    errors = errors == null ? Map.of() : errors;
    traces = traces == null ? Map.of() : traces;
  }
}
