package org.tasklane.scheduler;

import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;

/**
 * How the scheduler reaches a worker and what the worker said about itself: kept in its
 * {@link WorkerRecord}, so the actor holds no map of workers of its own. The table only stores it.
 */
public record WorkerContact(
    ActorRef<WorkerProtocol.Command> worker, ActorRef<WorkerProtocol.DataCommand> data, WorkerInfo info) {}
