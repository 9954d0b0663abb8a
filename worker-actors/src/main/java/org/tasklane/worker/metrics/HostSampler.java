package org.tasklane.worker.metrics;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import oshi.SystemInfo;
import oshi.hardware.HWDiskStore;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.NetworkIF;
import oshi.software.os.OSProcess;
import oshi.software.os.OperatingSystem;

/**
 * Samples this process's CPU and memory and the host's network and disk rates with OSHI, on a
 * thread of its own (never the actor's), and keeps the latest {@link HostSample} for the worker
 * to publish. Rates come from counter deltas ({@link RateCounter}).
 */
public final class HostSampler implements AutoCloseable {
  private final SystemInfo system = new SystemInfo();
  private final OperatingSystem os = system.getOperatingSystem();
  private final HardwareAbstractionLayer hardware = system.getHardware();
  private final int pid = os.getProcessId();
  private final long memoryLimit;
  private final RateCounter cpuMillis = new RateCounter();
  private final RateCounter netIn = new RateCounter();
  private final RateCounter netOut = new RateCounter();
  private final RateCounter diskRead = new RateCounter();
  private final RateCounter diskWrite = new RateCounter();
  /** The host's interfaces and disks, listed anew now and then (listing costs more than reading counters). */
  private java.util.List<NetworkIF> interfaces = java.util.List.of();
  private java.util.List<HWDiskStore> disks = java.util.List.of();
  private long listedAtNanos = Long.MIN_VALUE / 2;
  private static final long RELIST_NANOS = 30_000_000_000L;
  private final AtomicReference<HostSample> latest = new AtomicReference<>(HostSample.EMPTY);
  private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "host-sampler");
    t.setDaemon(true);
    return t;
  });

  /** @param memoryLimitBytes the worker's memory limit; 0 for the host's total memory */
  public HostSampler(long memoryLimitBytes) {
    this.memoryLimit = memoryLimitBytes > 0 ? memoryLimitBytes : hardware.getMemory().getTotal();
  }

  /** Samples now and then every {@code interval}, in the background. */
  public HostSampler start(Duration interval) {
    thread.scheduleWithFixedDelay(this::sampleQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** The latest sample ({@link HostSample#EMPTY} before the first). */
  public HostSample latest() {
    return latest.get();
  }

  private void sampleQuietly() {
    try {
      latest.set(sample());
    } catch (RuntimeException e) {
      // a sample that fails (an interface vanishing mid-read) is skipped; the next one counts
    }
  }

  /** Takes one sample now (also used by the benchmark to measure its cost). */
  public HostSample sample() {
    long now = System.nanoTime();
    OSProcess p = os.getProcess(pid);
    double cpu = 0;
    long rss = 0;
    if (p != null) {
      // CPU milliseconds per second of wall time is a fraction of one core; * 100 for percent
      cpu = cpuMillis.sample(p.getKernelTime() + p.getUserTime(), now) / 10.0;
      rss = p.getResidentSetSize();
    }
    if (now - listedAtNanos > RELIST_NANOS) {
      interfaces = hardware.getNetworkIFs(true);
      disks = hardware.getDiskStores();
      listedAtNanos = now;
    }
    long in = 0;
    long out = 0;
    for (NetworkIF nif : interfaces) {
      nif.updateAttributes();
      in += nif.getBytesRecv();
      out += nif.getBytesSent();
    }
    long read = 0;
    long written = 0;
    for (HWDiskStore disk : disks) {
      disk.updateAttributes();
      read += disk.getReadBytes();
      written += disk.getWriteBytes();
    }
    return new HostSample(cpu, rss, memoryLimit, netIn.sample(in, now), netOut.sample(out, now),
        diskRead.sample(read, now), diskWrite.sample(written, now));
  }

  @Override
  public void close() {
    thread.shutdownNow();
  }
}
