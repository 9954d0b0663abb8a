package org.tasklane.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The hosts of a cluster, one per line: the first plain line is the scheduler, the other plain
 * lines are workers; a line may also name its role ({@code scheduler HOST}, {@code worker HOST},
 * {@code dashboard HOST}). A worker line may end with {@code nworkers=N}: that host's worker JVM
 * runs N workers ({@code worker --nworkers N}; default 1). Blank lines and {@code #} comments are ignored.
 *
 * @param nworkers the workers of each worker host's JVM, in the order of {@code workers}
 */
record HostsFile(String scheduler, List<String> workers, String dashboard, List<Integer> nworkers) {

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
    List<Integer> nworkers = new ArrayList<>();
    int n = 0;
    for (String raw : lines) {
      n++;
      String line = raw.replaceAll("#.*", "").trim();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      int count = 1;
      if (parts.length >= 2 && parts[parts.length - 1].startsWith("nworkers=")) {
        count = nworkersOf(parts[parts.length - 1], name, n);
        parts = java.util.Arrays.copyOf(parts, parts.length - 1);
        if (parts.length == 2 && !parts[0].equals("worker")) {
          throw new TasklaneCli.UserError(name + " line " + n + ": nworkers= is for worker lines, got '" + line + "'");
        }
        if (parts.length == 1 && scheduler == null) {
          throw new TasklaneCli.UserError(name + " line " + n + ": the first plain line is the scheduler; nworkers= is "
              + "for worker lines");
        }
      }
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
        case "worker" -> {
          workers.add(host);
          nworkers.add(count);
        }
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
    return new HostsFile(scheduler, List.copyOf(workers), dashboard, List.copyOf(nworkers));
  }

  private static int nworkersOf(String word, String name, int line) {
    String value = word.substring("nworkers=".length());
    try {
      int count = Integer.parseInt(value);
      org.tasklane.worker.WorkerNames.check(count);
      return count;
    } catch (NumberFormatException e) {
      throw new TasklaneCli.UserError(name + " line " + line + ": nworkers= wants a number, got '" + value + "'");
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError(name + " line " + line + ": " + e.getMessage().replace("--nworkers", "nworkers"));
    }
  }
}
