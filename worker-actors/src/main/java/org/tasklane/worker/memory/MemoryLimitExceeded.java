package org.tasklane.worker.memory;

import org.apache.pekko.actor.CoordinatedShutdown;

/**
 * Why a worker node shut down when its memory passed the restart line: its launcher exits with a
 * code its nanny restarts it on (without a nanny, the worker just stops). Not a graceful stop: the
 * worker hands nothing off (copying results would need the memory it lacks); they are computed again.
 */
public enum MemoryLimitExceeded implements CoordinatedShutdown.Reason {
  INSTANCE
}
