package org.tasklane.protocol.api;

import org.tasklane.protocol.CborSerializable;

/** One line of {@code GET /api/v1/graphs}. */
public record GraphSummary(String id, String name, String state, int tasks, int done, int erred, long submittedMillis)
    implements CborSerializable {}
