package org.tasklane.scheduler.http;

import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;

/**
 * One worker in {@code GET /api/v1/workers}: what the scheduler assigned to it, and the worker's
 * own figures as it reports them ({@code answered} is false if it did not answer in time; its
 * figures are then all 0).
 */
public record WorkerView(
    String name,
    String host,
    String address,
    int nthreads,
    long pid,
    int assigned,
    boolean answered,
    DashboardProtocol.WorkerFigures figures) {

  static WorkerView of(SchedulerProtocol.WorkerEntry e, WorkerProtocol.WorkerStatus s) {
    var i = e.info();
    return new WorkerView(i.name(), i.host(), i.address(), i.nthreads(), i.pid(), e.processing(), s != null,
        s == null ? DashboardProtocol.WorkerFigures.NONE : s.figures());
  }
}
