package org.tasklane.scheduler.http;

import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;

/**
 * One worker in {@code GET /api/v1/workers}: what the scheduler assigned to it, and the worker's
 * own account of what it runs and holds ({@code answered} is false if it did not answer in time).
 */
public record WorkerView(
    String name,
    String host,
    String address,
    int nthreads,
    long pid,
    int assigned,
    boolean answered,
    int executing,
    int queued,
    int heldResults,
    long heldBytes,
    long transfersIn,
    long bytesIn,
    long transfersOut,
    long bytesOut,
    long tasksCompleted) {

  static WorkerView of(SchedulerProtocol.WorkerEntry e, WorkerProtocol.WorkerStatus s) {
    var i = e.info();
    if (s == null) {
      return new WorkerView(i.name(), i.host(), i.address(), i.nthreads(), i.pid(), e.processing(), false,
          0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
    return new WorkerView(i.name(), i.host(), i.address(), i.nthreads(), i.pid(), e.processing(), true,
        s.executing(), s.queued(), s.heldResults(), s.heldBytes(), s.transfersIn(), s.bytesIn(), s.transfersOut(),
        s.bytesOut(), s.tasksCompleted());
  }
}
