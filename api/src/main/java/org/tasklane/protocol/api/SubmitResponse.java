package org.tasklane.protocol.api;

/** The answer to {@code POST /api/v1/graphs}: the new graph's id and size. */
public record SubmitResponse(String id, int tasks) {}
