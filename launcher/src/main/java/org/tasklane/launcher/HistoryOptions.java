package org.tasklane.launcher;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --history-dir DIR} and {@code --no-history}: where a dashboard keeps its run history. */
final class HistoryOptions {
  @Option(names = "--history-dir", paramLabel = "DIR",
      description = "The folder of the dashboard's run history, one file per graph (default: tasklane-history under "
          + "the working folder; created if missing). Two dashboards need two folders.")
  File historyDir;

  @Option(names = "--no-history", description = "Record no run history (the runs page lists nothing).")
  boolean noHistory;

  void check() {
    if (noHistory && historyDir != null) {
      throw new TasklaneCli.UserError("--history-dir and --no-history do not go together; choose one");
    }
  }

  /** Puts the options into a node's configuration (only what was given: the rest comes from reference.conf). */
  void apply(NodeConfig nc) {
    check();
    if (noHistory) {
      nc.set("tasklane.dashboard.history.enabled", false);
    }
    if (historyDir != null) {
      nc.set("tasklane.dashboard.history.dir", historyDir.getAbsolutePath());
    }
  }

  /** The same options for a child process's command line. */
  List<String> args() {
    check();
    List<String> out = new ArrayList<>();
    if (noHistory) {
      out.add("--no-history");
    }
    if (historyDir != null) {
      out.addAll(List.of("--history-dir", historyDir.getAbsolutePath()));
    }
    return out;
  }
}
