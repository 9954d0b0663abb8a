package org.tasklane.system.soak;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The figures of one soak run, and the one table {@code bench/soak} prints. */
final class SoakReport {
  /** Peak and final heap of one process (final: right after a full GC at the end), in bytes. */
  record Heap(long peakBytes, long finalBytes, long peakRssBytes) {}

  long seconds;
  long seed;
  long graphsSubmitted;
  long graphsCompleted;
  long graphsCorrect;
  String lastGraphProblem = "";
  long workerKills;
  long workerGracefulStops;
  long workerStarts;
  long resultsHandedOff;
  long dashboardRestarts;
  long dashboardRestartsSurvived;
  boolean countsMatchAtEnd;
  String countsAtEnd = "";
  int sseClients;
  int sseStallers;
  int sseHeldAtEnd;
  long sseEvents;
  long sseReconnects;
  long badInputsTried;
  long badInputsRejectedCleanly;
  long badInputsValid;
  String lastUncleanAnswer = "";
  boolean clusterHealthyAtEnd;
  final Map<String, Heap> heaps = new LinkedHashMap<>();

  /** Nothing lost and nothing let through: what a soak run must show. */
  List<String> problems() {
    List<String> p = new ArrayList<>();
    if (graphsSubmitted == 0 || graphsCompleted != graphsSubmitted || graphsCorrect != graphsSubmitted) {
      p.add("graphs submitted " + graphsSubmitted + ", completed " + graphsCompleted + ", correct " + graphsCorrect
          + (lastGraphProblem.isEmpty() ? "" : "; last problem: " + lastGraphProblem));
    }
    if (dashboardRestartsSurvived != dashboardRestarts) {
      p.add("dashboard restarts " + dashboardRestarts + ", survived " + dashboardRestartsSurvived);
    }
    if (!countsMatchAtEnd) {
      p.add("the dashboard's counts differ from the scheduler's at the end: " + countsAtEnd);
    }
    if (badInputsRejectedCleanly + badInputsValid != badInputsTried) {
      p.add("bad inputs tried " + badInputsTried + ", rejected cleanly " + badInputsRejectedCleanly + ", valid "
          + badInputsValid + "; last unclean answer: " + lastUncleanAnswer);
    }
    if (sseHeldAtEnd < sseClients) {
      p.add("SSE readers connected at the end: " + sseHeldAtEnd + " of " + sseClients);
    }
    if (!clusterHealthyAtEnd) {
      p.add("a tiny graph did not run at the end");
    }
    return p;
  }

  String table() {
    StringBuilder b = new StringBuilder();
    b.append(String.format(Locale.ROOT, "Tasklane soak: %d s, seed %d%n", seconds, seed));
    row(b, "graphs submitted / completed / correct", graphsSubmitted + " / " + graphsCompleted + " / " + graphsCorrect);
    row(b, "worker SIGKILLs / graceful stops / starts survived",
        workerKills + " / " + workerGracefulStops + " / " + workerStarts);
    row(b, "results handed off by graceful stops", "" + resultsHandedOff);
    row(b, "dashboard SIGKILLs / restarts survived", dashboardRestarts + " / " + dashboardRestartsSurvived);
    row(b, "dashboard counts = scheduler's at the end", countsMatchAtEnd ? "yes" : "NO: " + countsAtEnd);
    row(b, "SSE readers held at the end / of", sseHeldAtEnd + " / " + sseClients
        + " (+" + sseStallers + " stalling; " + sseEvents + " events, " + sseReconnects + " reconnect attempts)");
    row(b, "bad inputs tried / rejected cleanly / valid",
        badInputsTried + " / " + badInputsRejectedCleanly + " / " + badInputsValid);
    row(b, "cluster healthy at the end", clusterHealthyAtEnd ? "yes" : "NO");
    b.append(String.format(Locale.ROOT, "%-28s %14s %22s %14s%n", "process", "peak heap", "final heap (after GC)",
        "peak RSS"));
    heaps.forEach((name, h) -> b.append(String.format(Locale.ROOT, "%-28s %14s %22s %14s%n", name,
        mib(h.peakBytes()), mib(h.finalBytes()), mib(h.peakRssBytes()))));
    List<String> problems = problems();
    b.append(problems.isEmpty() ? "nothing lost: completed = correct = submitted\n"
        : "PROBLEMS:\n  " + String.join("\n  ", problems) + "\n");
    return b.toString();
  }

  private static void row(StringBuilder b, String what, String value) {
    b.append(String.format(Locale.ROOT, "%-52s %s%n", what, value));
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
