package org.tasklane.protocol;

/**
 * Marker for every message that may cross a process boundary. Bound once to Pekko's
 * {@code jackson-cbor} serializer in this module's {@code reference.conf}.
 */
public interface CborSerializable {}
