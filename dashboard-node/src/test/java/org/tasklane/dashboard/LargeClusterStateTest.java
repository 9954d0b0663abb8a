package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.DashboardProtocol.WorkerFigures;

/** The dashboard's state with 1,000 workers on 250 hosts (4 workers each), as a large cluster's. */
class LargeClusterStateTest {
  static final long NOW = 1_700_000_100_000L;
  static final int WORKERS = 1000;
  static final int PER_HOST = 4;

  static DashboardProtocol.WorkerMetrics metrics(int i, long seq) {
    String name = "w-" + (i / PER_HOST) + "-" + (i % PER_HOST + 1);
    String host = "10.1." + (i / PER_HOST / 250) + "." + (i / PER_HOST % 250);
    return new DashboardProtocol.WorkerMetrics(name, "winc-" + i, seq, NOW, host, "pekko://tasklane@" + host + ":25520",
        2, new WorkerFigures(new WorkerFigures.Tasks(i % 3, i % 2, 10 + i % 7, 1000L * (i % 50), 100 + i),
            new WorkerFigures.Transfers(i % 5, 4096L * (i % 5), i % 4, 4096L * (i % 4)),
            new WorkerFigures.Process(10.0 + i % 190, 100_000_000L + 1_000_000L * (i % 200), 1L << 30),
            WorkerFigures.Host.ofRates(20_000, 30_000, 1_000, 5_000),
            new DashboardProtocol.WorkerMemory(1000L * (i % 50), 0, 0, 50_000_000L, 1L << 28, 0.6, 0.7, 0.8, 0.95,
                false, 0, 0, 0, 0)));
  }

  static DashboardState withThousandWorkers() {
    DashboardState s = new DashboardState(LargeClusterSettings.DEFAULT);
    s.apply(TestingEvents.snapshot("inc-1", 0, List.of(), List.of(), List.of()), NOW);
    for (int i = 0; i < WORKERS; i++) {
      s.apply(metrics(i, 1), NOW);
    }
    return s;
  }

  @Test
  void aThousandWorkersAreAThousandRowsAndTheirSumsAndALargeCluster() {
    DashboardState s = withThousandWorkers();
    List<DashboardView.Worker> rows = s.workers(NOW);
    assertEquals(WORKERS, rows.size());
    assertEquals(250, rows.stream().map(DashboardView.Worker::host).distinct().count());
    DashboardView.Resources r = s.resources(rows, NOW);
    assertEquals(WORKERS, r.workers());
    assertEquals(2 * WORKERS, r.threads());
    long executing = 0;
    for (int i = 0; i < WORKERS; i++) {
      executing += i % 3;
    }
    assertEquals(executing, r.executing());
    assertTrue(s.largeCluster().isLarge(rows));
    assertTrue(s.snapshot(1, NOW, true).largeCluster(), "the snapshot says so: the pages switch by themselves");
    assertFalse(s.largeCluster().isLarge(rows.subList(0, 80)), "80 workers on 20 hosts: not yet");
  }

  @Test
  void thresholdsAreWorkersOrHosts() {
    LargeClusterSettings t = new LargeClusterSettings(100, 20, java.time.Duration.ofSeconds(2));
    List<DashboardView.Worker> rows = withThousandWorkers().workers(NOW);
    assertFalse(t.isLarge(rows.subList(0, 80)), "80 workers on 20 hosts");
    assertTrue(t.isLarge(rows.subList(0, 84)), "84 workers on 21 hosts: more hosts than 20");
    assertTrue(new LargeClusterSettings(100, 1000, java.time.Duration.ofSeconds(2)).isLarge(rows.subList(0, 101)),
        "101 workers");
  }

  @Test
  void newerMetricsReplaceAWorkersFiguresAndOldOnesAreIgnored() {
    DashboardState s = withThousandWorkers();
    for (int i = 0; i < WORKERS; i++) {
      s.apply(metrics(i, 3), NOW + 500);
      s.apply(metrics(i, 2), NOW + 500); // late: older than what it has
    }
    List<DashboardView.Worker> rows = s.workers(NOW + 500);
    assertEquals(WORKERS, rows.size());
    assertTrue(rows.stream().allMatch(w -> w.lastSeen() == NOW + 500));
  }

  /**
   * What a browser is sent for the worker table of 1,000 workers: one workers event per
   * workers-interval (2 s) in a large cluster. Printed for the README; bounded here.
   */
  @Test
  void theWorkersEventOfAThousandWorkersIsBounded() throws Exception {
    DashboardState s = withThousandWorkers();
    List<DashboardView.Worker> rows = s.workers(NOW);
    byte[] json = new ObjectMapper().writeValueAsString(new DashboardView.Workers(1, rows, true))
        .getBytes(StandardCharsets.UTF_8);
    byte[] resources = new ObjectMapper().writeValueAsString(new DashboardView.ResourcesUpdate(2,
        s.resources(rows, NOW), s.recordResources(rows, NOW))).getBytes(StandardCharsets.UTF_8);
    double perSecond = json.length / (LargeClusterSettings.DEFAULT.workersInterval().toMillis() / 1000.0)
        + resources.length;
    System.out.printf(Locale.ROOT, "1,000 workers: workers event %d bytes (%d per worker), resources %d bytes; "
        + "%.0f KiB/s per browser for both%n", json.length, json.length / WORKERS, resources.length, perSecond / 1024);
    assertTrue(json.length < 1000 * 1024, "under 1 KiB per worker: " + json.length);
  }

  /** The dashboard's cost per worker message stays flat: 100 times the messages, about 100 times the time. */
  @Test
  void aWorkerMessageCostsTheSameWithAThousandWorkers() {
    DashboardState s = withThousandWorkers();
    List<DashboardProtocol.WorkerMetrics> messages = new ArrayList<>();
    for (int round = 0; round < 50; round++) {
      for (int i = 0; i < WORKERS; i++) {
        messages.add(metrics(i, 10 + round));
      }
    }
    long t0 = System.nanoTime();
    for (DashboardProtocol.WorkerMetrics m : messages) {
      s.apply(m, NOW + 1000);
    }
    double microsEach = (System.nanoTime() - t0) / 1000.0 / messages.size();
    System.out.printf(Locale.ROOT, "1,000 workers: %.2f µs per worker message (%d messages)%n", microsEach,
        messages.size());
    assertEquals(WORKERS, s.workers(NOW + 1000).size());
    assertTrue(microsEach < 1000, "a worker message costs " + microsEach + " µs");
  }
}
