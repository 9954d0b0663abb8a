package org.tasklane.protocol.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/**
 * The answer to {@code GET /api/v1/graphs/{id}/results}.
 *
 * @param id the graph id
 * @param results wanted key to its result
 * @param errors wanted key to its error, for wanted tasks that erred
 */
public record GraphResults(String id, Map<String, JsonNode> results, Map<String, String> errors) {}
