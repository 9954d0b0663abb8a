package org.tasklane.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hosts of a cluster, one per line: the first plain line is the scheduler, the other plain
 * lines are workers; a line may also name its role ({@code scheduler HOST}, {@code worker HOST},
 * {@code dashboard HOST}). Blank lines and {@code #} comments are ignored.
 */
record HostsFile(String scheduler, List<String> workers, String dashboard) {

  /** Every host named, each once, the scheduler's first. */
  List<String> all() {
    java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
    all.add(scheduler);
    all.addAll(workers);
    if (dashboard != null) {
      all.add(dashboard);
    }
    return List.copyOf(all);
  }

  static HostsFile read(Path path) {
    List<String> lines;
    try {
      lines = Files.readAllLines(path);
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot read the hosts file " + path + ": " + e.getMessage());
    }
    return parse(lines, path.toString());
  }

  static HostsFile parse(List<String> lines, String name) {
    String scheduler = null;
    String dashboard = null;
    List<String> workers = new ArrayList<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.replaceAll("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length > 2) {
        throw new TasklaneCli.UserError(name + " line " + n + ": expected HOST or ROLE HOST, got '" + line + "'");
      }
      String role = parts.length == 2 ? parts[0] : (scheduler == null ? "scheduler" : "worker");
      String host = parts[parts.length - 1];
      switch (role) {
        case "scheduler" -> {
          if (scheduler != null) {
            throw new TasklaneCli.UserError(name + " line " + n + ": a second scheduler (" + host + "); a cluster has one");
          }
          scheduler = host;
        }
        case "worker" -> workers.add(host);
        case "dashboard" -> {
          if (dashboard != null) {
            throw new TasklaneCli.UserError(name + " line " + n + ": a second dashboard host (" + host + ")");
          }
          dashboard = host;
        }
        default -> throw new TasklaneCli.UserError(
            name + " line " + n + ": unknown role '" + role + "'; roles are scheduler, worker, dashboard");
      }
    }
    if (scheduler == null) {
      throw new TasklaneCli.UserError(name + " names no host; put the scheduler's host on the first line");
    }
    return new HostsFile(scheduler, List.copyOf(workers), dashboard);
  }
}
