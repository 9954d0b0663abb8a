package org.tasklane.protocol.api;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to {@code POST /api/v1/graphs}: the new graph's id and size; with {@code ?wait=S}, also
 * its status once it finished or the wait passed (null, and left out of the JSON, without it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmitResponse(String id, int tasks, GraphStatus status) {

  public SubmitResponse(String id, int tasks) {
    this(id, tasks, null);
  }
}
