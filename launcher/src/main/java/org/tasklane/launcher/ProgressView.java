package org.tasklane.launcher;

import java.io.PrintStream;
import java.util.List;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GroupProgress;

/**
 * A graph's progress as text: one bar per task group ({@code #} completed, {@code !} erred,
 * {@code .} not yet done). On a terminal it redraws in place; elsewhere it prints when something changed.
 */
final class ProgressView {
  static final int BAR = 40;
  static final int MAX_GROUPS = 20;

  private final PrintStream out;
  private final boolean terminal;
  private int linesDrawn;
  private String last = "";

  ProgressView(PrintStream out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  void show(GraphStatus s) {
    String text = render(s);
    if (text.equals(last)) {
      return;
    }
    last = text;
    if (terminal && linesDrawn > 0) {
      out.print("\u001b[" + linesDrawn + "F\u001b[J"); // back to the first line drawn, clear below
    }
    out.print(text);
    out.flush();
    linesDrawn = (int) text.chars().filter(c -> c == '\n').count();
  }

  static String render(GraphStatus s) {
    StringBuilder b = new StringBuilder();
    List<GroupProgress> groups = s.groups();
    int width = 5;
    for (GroupProgress g : groups) {
      width = Math.max(width, Math.min(30, g.name().length()));
    }
    int shown = 0;
    for (GroupProgress g : groups) {
      if (shown++ == MAX_GROUPS) {
        b.append("  ... and ").append(groups.size() - MAX_GROUPS).append(" more groups\n");
        break;
      }
      b.append(String.format("  %-" + width + "s [%s] %d/%d", clip(g.name(), width), bar(g), g.memory() + g.released(), g.total()));
      if (g.erred() > 0) {
        b.append("  erred ").append(g.erred());
      }
      b.append('\n');
    }
    b.append(String.format("  %s: %d of %d tasks done, %d erred, %d transfers%n",
        s.state(), s.done(), s.tasks(), s.erred(), s.transfers()));
    return b.toString();
  }

  static String bar(GroupProgress g) {
    int total = Math.max(1, g.total());
    int done = (g.memory() + g.released()) * BAR / total;
    int erred = g.erred() * BAR / total;
    if (g.erred() > 0 && erred == 0) {
      erred = 1;
    }
    done = Math.min(done, BAR - erred);
    return "#".repeat(done) + "!".repeat(erred) + ".".repeat(BAR - done - erred);
  }

  private static String clip(String s, int width) {
    // keys are user input: keep control characters out of the terminal
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= width ? clean : clean.substring(0, width - 1) + "~";
  }
}
