package org.tasklane.worker.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * Gives each execution sample to the task its thread ran at the sample's time: a sample of a task
 * thread goes to the group its {@link TaskTimeline} says ran then, with its stack cut marked
 * ({@link StackCut}); a task thread's sample at a moment with no task is counted as unattributed;
 * a sample of any other thread (actors, network, JFR itself) is counted apart and dropped.
 */
public final class SampleAttributor {
  private final LongFunction<TaskTimeline> timelines;
  private final ProfileAggregator aggregator;
  /** The frame texts seen, so that equal frames share one string (bounded: cleared when full). */
  private final Map<String, String> texts = new java.util.HashMap<>();
  static final int MAX_TEXTS = 50_000;

  /** @param timelines the timeline of the task thread with this Java thread id, or null if it is no task thread */
  public SampleAttributor(LongFunction<TaskTimeline> timelines, ProfileAggregator aggregator) {
    this.timelines = timelines;
    this.aggregator = aggregator;
  }

  /**
   * One sample.
   *
   * @param classes its frames' class names, innermost first (as JFR gives them)
   * @param methods its frames' method names, innermost first
   */
  public void onSample(long threadId, long micros, List<String> classes, List<String> methods, boolean truncated) {
    TaskTimeline timeline = timelines.apply(threadId);
    if (timeline == null) {
      aggregator.otherThread();
      return;
    }
    String group = timeline.groupAt(micros);
    if (group == null) {
      aggregator.unattributed(micros / 1000);
      return;
    }
    int n = classes.size();
    List<String> rootFirstClasses = new ArrayList<>(n);
    List<String> rootFirstMethods = new ArrayList<>(n);
    List<String> path = new ArrayList<>(n);
    for (int i = n - 1; i >= 0; i--) {
      String c = classes.get(i);
      String m = methods.get(i);
      rootFirstClasses.add(c);
      rootFirstMethods.add(m);
      path.add(text(c, m));
    }
    aggregator.add(group, path, StackCut.entryIndex(rootFirstClasses, rootFirstMethods), truncated, micros / 1000);
  }

  /**
   * {@code class.method}; a lambda's class without its number and address ({@code Foo$$Lambda$14/0x08.run},
   * or {@code +0x08} as JFR writes it, is {@code Foo$$Lambda.run}), which differ from JVM to JVM: so that
   * the workers' trees merge.
   */
  static String frameText(String className, String method) {
    int lambda = className.indexOf("$$Lambda");
    String c = lambda < 0 ? className : className.substring(0, lambda + "$$Lambda".length());
    if (lambda < 0) {
      int hidden = Math.max(className.indexOf('/'), className.indexOf("+0x"));
      c = hidden < 0 ? className : className.substring(0, hidden);
    }
    return c + "." + method;
  }

  private String text(String className, String method) {
    String t = frameText(className, method);
    String known = texts.get(t);
    if (known != null) {
      return known;
    }
    if (texts.size() >= MAX_TEXTS) {
      texts.clear();
    }
    texts.put(t, t);
    return t;
  }
}
