package org.tasklane.protocol;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One input fetched from a peer worker before a task ran (drawn in red on the task stream).
 *
 * @param taskId the id of the task whose result moved
 * @param key that task's key
 * @param peer the name of the worker it came from
 * @param bytes the size of the result
 * @param startMicros when the fetch began (epoch microseconds)
 * @param stopMicros when the data had arrived (epoch microseconds)
 */
@JsonFormat(shape = JsonFormat.Shape.ARRAY) // one per input moved: no field names on the wire
@JsonPropertyOrder({"taskId", "key", "peer", "bytes", "startMicros", "stopMicros"})
public record Transfer(long taskId, String key, String peer, long bytes, long startMicros, long stopMicros)
    implements CborSerializable {}
