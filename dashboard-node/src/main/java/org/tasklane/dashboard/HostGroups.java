package org.tasklane.dashboard;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker table grouped by physical host, as the pages show it: one group per host (in the
 * order hosts first appear, workers sorted by name within), with the host's totals.
 */
public final class HostGroups {
  private HostGroups() {}

  /** One host and the workers on it. */
  public record Host(
      String host, int workers, int threads, int executing, int queued, double cpu, long memory, long heldBytes,
      List<DashboardView.Worker> members) {}

  public static List<Host> of(List<DashboardView.Worker> workers) {
    Map<String, List<DashboardView.Worker>> byHost = new LinkedHashMap<>();
    for (DashboardView.Worker w : workers) {
      String host = w.host() == null || w.host().isEmpty() ? "(unknown host)" : w.host();
      byHost.computeIfAbsent(host, h -> new ArrayList<>()).add(w);
    }
    List<Host> out = new ArrayList<>(byHost.size());
    byHost.forEach((host, members) -> {
      members.sort((a, b) -> a.name().compareTo(b.name()));
      int threads = 0;
      int executing = 0;
      int queued = 0;
      double cpu = 0;
      long memory = 0;
      long held = 0;
      for (DashboardView.Worker w : members) {
        threads += w.nthreads();
        executing += w.figures().tasks().executing();
        queued += w.figures().tasks().queued();
        cpu += w.figures().process().cpuPercent();
        memory += w.figures().process().rssBytes();
        held += w.figures().tasks().heldBytes();
      }
      out.add(new Host(host, members.size(), threads, executing, queued, cpu, memory, held, List.copyOf(members)));
    });
    return out;
  }
}
