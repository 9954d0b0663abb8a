package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HostGroupsTest {

  static DashboardView.Worker worker(String name, String host, int threads, int executing, double cpu, long memory) {
    return TestingMetrics.row(name, host, host + ":1", threads, executing, 1, 2, 3, 100, 0, 0, 0, 0, 5, cpu,
        memory, 1000, 0.5, 0, 0, 0, 0, 0);
  }

  @Test
  void oneGroupPerHostInTheOrderHostsAppearWithTheirTotals() {
    List<HostGroups.Host> hosts = HostGroups.of(List.of(
        worker("w-b", "10.0.0.2", 2, 1, 50, 300),
        worker("w-c", "10.0.0.3", 4, 4, 390, 900),
        worker("w-a", "10.0.0.2", 2, 2, 150, 200)));
    assertEquals(List.of("10.0.0.2", "10.0.0.3"), hosts.stream().map(HostGroups.Host::host).toList());
    HostGroups.Host first = hosts.get(0);
    assertEquals(List.of("w-a", "w-b"), first.members().stream().map(DashboardView.Worker::name).toList());
    assertEquals(2, first.workers());
    assertEquals(4, first.threads());
    assertEquals(3, first.executing());
    assertEquals(2, first.queued());
    assertEquals(200.0, first.cpu());
    assertEquals(500, first.memory());
    assertEquals(200, first.heldBytes());
    assertEquals(1, hosts.get(1).workers());
  }

  @Test
  void aWorkerWithoutAHostIsGroupedAsUnknownAndNoWorkersMeansNoGroups() {
    assertEquals("(unknown host)", HostGroups.of(List.of(worker("w", "", 1, 0, 0, 0))).get(0).host());
    assertEquals(List.of(), HostGroups.of(List.of()));
  }
}
