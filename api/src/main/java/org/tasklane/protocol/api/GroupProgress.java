package org.tasklane.protocol.api;

import org.tasklane.protocol.CborSerializable;

/**
 * Progress of one task group, in the dashboard's four colours.
 *
 * @param name the group
 * @param total how many tasks it has
 * @param memory completed and held in memory (dark blue)
 * @param released completed and since released (light blue)
 * @param erred erred (black)
 * @param processing on a worker now (part of the gray)
 * @param waiting not yet completed and not on a worker (part of the gray)
 */
public record GroupProgress(String name, int total, int memory, int released, int erred, int processing, int waiting)
    implements CborSerializable {}
