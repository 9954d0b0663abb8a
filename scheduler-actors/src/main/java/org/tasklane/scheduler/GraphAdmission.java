package org.tasklane.scheduler;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Decides whether a new graph fits in the scheduler: at most {@code maxRunningGraphs} graphs run at
 * once, and the graphs held (running, and finished ones kept for their clients) have at most
 * {@code maxTasks} tasks between them, since every task costs the scheduler memory.
 *
 * <p>Finished graphs are only kept as a courtesy, so the oldest of them are forgotten to make room
 * before a new graph is refused. A graph that could never fit is refused for good; one that does
 * not fit now is refused with "try again later" (HTTP 429), and nothing is kept of it.
 */
public final class GraphAdmission {

  /** The verdict on one graph. */
  public sealed interface Verdict permits Admit, Refuse {}

  /** Accept it, after forgetting these finished graphs (oldest first) to make room. */
  public record Admit(List<GraphRecord> forgetFirst) implements Verdict {}

  /**
   * Refuse it.
   *
   * @param reason one line for the client: what limit, and what to do
   * @param retryLater true if it may fit once running graphs finish; false if it never can
   */
  public record Refuse(String reason, boolean retryLater) implements Verdict {}

  private final int maxRunningGraphs;
  private final long maxTasks;

  public GraphAdmission(int maxRunningGraphs, long maxTasks) {
    if (maxRunningGraphs < 1 || maxTasks < 1) {
      throw new IllegalArgumentException("max-running-graphs and max-tasks must be at least 1");
    }
    this.maxRunningGraphs = maxRunningGraphs;
    this.maxTasks = maxTasks;
  }

  /**
   * @param size the new graph's number of tasks
   * @param held the graphs the scheduler holds now
   */
  public Verdict judge(int size, Collection<GraphRecord> held) {
    if (size > maxTasks) {
      return new Refuse("the graph has " + size + " tasks and this scheduler holds at most " + maxTasks
          + " (tasklane.scheduler.max-tasks); split it into smaller graphs or raise the limit", false);
    }
    int running = 0;
    long runningTasks = 0;
    long heldTasks = 0;
    List<GraphRecord> finished = new ArrayList<>();
    for (GraphRecord g : held) {
      heldTasks += g.tasks.length;
      if (g.isFinished()) {
        finished.add(g);
      } else {
        running++;
        runningTasks += g.tasks.length;
      }
    }
    if (running >= maxRunningGraphs) {
      return new Refuse(running + " graphs are running, the most this scheduler runs at once "
          + "(tasklane.scheduler.max-running-graphs); retry when one has finished", true);
    }
    if (runningTasks + size > maxTasks) {
      return new Refuse("running graphs hold " + runningTasks + " tasks and this one has " + size
          + ", over the limit of " + maxTasks + " (tasklane.scheduler.max-tasks); retry when one has finished",
          true);
    }
    List<GraphRecord> forget = new ArrayList<>();
    if (heldTasks + size > maxTasks) {
      finished.sort(Comparator.comparingLong(g -> g.finishedMillis));
      for (GraphRecord g : finished) {
        if (heldTasks + size <= maxTasks) {
          break;
        }
        forget.add(g);
        heldTasks -= g.tasks.length;
      }
    }
    return new Admit(forget);
  }
}
