package org.tasklane.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The sampler reads this real process and host through OSHI. */
class HostSamplerTest {

  @Test
  void busyThreadShowsCpuAndTheProcessHasResidentMemory() {
    try (HostSampler sampler = new HostSampler(0)) {
      sampler.sample();
      long end = System.nanoTime() + 300_000_000L;
      long x = 0;
      while (System.nanoTime() < end) {
        x += System.nanoTime() % 7; // keep one core busy
      }
      HostSample s = sampler.sample();
      assertTrue(x >= 0);
      assertTrue(s.cpuPercent() > 20, "a busy core shows: " + s.cpuPercent());
      assertTrue(s.rssBytes() > 10_000_000, "resident memory: " + s.rssBytes());
      assertTrue(s.memoryLimitBytes() > s.rssBytes(), "the host's memory is the default limit");
      assertTrue(s.netInBytesPerSec() >= 0 && s.diskWriteBytesPerSec() >= 0);
    }
  }

  @Test
  void aConfiguredLimitIsKept() {
    try (HostSampler sampler = new HostSampler(123_456_789L)) {
      assertTrue(sampler.sample().memoryLimitBytes() == 123_456_789L);
    }
  }
}
