package org.tasklane.dashboard;

import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.DashboardProtocol.WorkerFigures;

/** Tests' short ways to a worker's metrics and a worker row, from the figures in one list. */
public final class TestingMetrics {
  private TestingMetrics() {}

  /** A worker's metrics without memory details. */
  public static DashboardProtocol.WorkerMetrics flat(
      String worker, String incarnation, long seq, long timeMillis, String host, String address, int nthreads,
      int executing, int queued, int heldResults, long heldBytes, long transfersIn, long bytesIn, long transfersOut,
      long bytesOut, long tasksCompleted, double cpuPercent, long rssBytes, long memoryLimitBytes, double netIn,
      double netOut, double diskRead, double diskWrite) {
    return flat(worker, incarnation, seq, timeMillis, host, address, nthreads, executing, queued, heldResults,
        heldBytes, transfersIn, bytesIn, transfersOut, bytesOut, tasksCompleted, cpuPercent, rssBytes,
        memoryLimitBytes, netIn, netOut, diskRead, diskWrite, DashboardProtocol.WorkerMemory.NONE);
  }

  public static DashboardProtocol.WorkerMetrics flat(
      String worker, String incarnation, long seq, long timeMillis, String host, String address, int nthreads,
      int executing, int queued, int heldResults, long heldBytes, long transfersIn, long bytesIn, long transfersOut,
      long bytesOut, long tasksCompleted, double cpuPercent, long rssBytes, long memoryLimitBytes, double netIn,
      double netOut, double diskRead, double diskWrite, DashboardProtocol.WorkerMemory memory) {
    return new DashboardProtocol.WorkerMetrics(worker, incarnation, seq, timeMillis, host, address, nthreads,
        new WorkerFigures(new WorkerFigures.Tasks(executing, queued, heldResults, heldBytes, tasksCompleted),
            new WorkerFigures.Transfers(transfersIn, bytesIn, transfersOut, bytesOut),
            new WorkerFigures.Process(cpuPercent, rssBytes, memoryLimitBytes),
            WorkerFigures.Host.ofRates(netIn, netOut, diskRead, diskWrite), memory));
  }

  /** A row of the worker table. */
  public static DashboardView.Worker row(
      String name, String host, String address, int nthreads, int executing, int queued, int processing,
      int heldResults, long heldBytes, long transfersIn, long bytesIn, long transfersOut, long bytesOut,
      long tasksCompleted, double cpu, long memory, long memoryLimit, double latency, long netIn, long netOut,
      long diskRead, long diskWrite, long lastSeen) {
    return row(name, host, address, nthreads, executing, queued, processing, heldResults, heldBytes, transfersIn,
        bytesIn, transfersOut, bytesOut, tasksCompleted, cpu, memory, memoryLimit, latency, netIn, netOut, diskRead,
        diskWrite, lastSeen, DashboardProtocol.WorkerMemory.NONE);
  }

  public static DashboardView.Worker row(
      String name, String host, String address, int nthreads, int executing, int queued, int processing,
      int heldResults, long heldBytes, long transfersIn, long bytesIn, long transfersOut, long bytesOut,
      long tasksCompleted, double cpu, long memory, long memoryLimit, double latency, long netIn, long netOut,
      long diskRead, long diskWrite, long lastSeen, DashboardProtocol.WorkerMemory heap) {
    return new DashboardView.Worker(name, host, address, nthreads, processing, latency, lastSeen,
        new WorkerFigures(new WorkerFigures.Tasks(executing, queued, heldResults, heldBytes, tasksCompleted),
            new WorkerFigures.Transfers(transfersIn, bytesIn, transfersOut, bytesOut),
            new WorkerFigures.Process(cpu, memory, memoryLimit), new WorkerFigures.Host(netIn, netOut, diskRead, diskWrite),
            heap));
  }
}
