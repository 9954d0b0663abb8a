package org.tasklane.worker.metrics;

/**
 * One sample of a worker process and its host.
 *
 * @param cpuPercent the process's CPU use, percent of one core (200 = two cores busy)
 * @param rssBytes the process's resident memory
 * @param memoryLimitBytes what the worker may use (its configured limit, else the host's memory)
 * @param netInBytesPerSec bytes received per second by the host, over all interfaces
 * @param netOutBytesPerSec bytes sent per second by the host
 * @param diskReadBytesPerSec bytes read per second from the host's disks
 * @param diskWriteBytesPerSec bytes written per second to the host's disks
 */
public record HostSample(
    double cpuPercent,
    long rssBytes,
    long memoryLimitBytes,
    double netInBytesPerSec,
    double netOutBytesPerSec,
    double diskReadBytesPerSec,
    double diskWriteBytesPerSec) {
  public static final HostSample EMPTY = new HostSample(0, 0, 0, 0, 0, 0, 0);
}
