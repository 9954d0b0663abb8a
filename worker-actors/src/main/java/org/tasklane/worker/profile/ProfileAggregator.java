package org.tasklane.worker.profile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.profile.CallTree;

/**
 * One interval's samples on a worker: a call tree per task group, and counts of the samples that
 * are no task's. {@link #drain} makes the interval's one message, within the settings' bounds
 * (groups, nodes per tree, nodes per message), and starts the next interval. Used on the
 * profiler's stream thread only.
 */
public final class ProfileAggregator {
  /** Where the samples of groups past {@code max-groups} go. */
  public static final String OTHER_GROUPS = "(other groups)";
  /** The root of a stack deeper than JFR keeps (its outermost frames are missing). */
  public static final String TRUNCATED = "(truncated)";
  /**
   * A message's size, about, at most: well under Artery's ordinary frame (256 KiB), which the topic's
   * messages take; past it the trees are pruned further.
   */
  static final int MAX_MESSAGE_BYTES = 128 * 1024;
  /** Trees may grow to this many times {@code max-tree-nodes} before {@link #drain} prunes them. */
  static final int GROWTH = 4;

  private final ProfileSettings settings;
  private final Map<String, CallTree> trees = new TreeMap<>();
  private long unattributed;
  private long otherThreads;
  private long fromMillis = Long.MAX_VALUE;
  private long toMillis = Long.MIN_VALUE;

  public ProfileAggregator(ProfileSettings settings) {
    this.settings = settings;
  }

  /**
   * One sample of a task of {@code group}.
   *
   * @param path its frames, outermost first
   * @param entry where the function starts in {@code path} (see {@link StackCut}), or -1
   * @param truncated the stack had more frames than JFR keeps: its outermost ones are missing
   */
  public void add(String group, List<String> path, int entry, boolean truncated, long timeMillis) {
    if (truncated) {
      List<String> rooted = new ArrayList<>(path.size() + 1);
      rooted.add(TRUNCATED);
      rooted.addAll(path);
      path = rooted;
      // the runner's frames are among the missing outer ones: the whole stack is the function's
      entry = entry >= 0 ? entry + 1 : 0;
    }
    CallTree tree = trees.get(group);
    if (tree == null) {
      String key = trees.size() < settings.maxGroups() - 1 ? group : OTHER_GROUPS;
      tree = trees.computeIfAbsent(key,
          k -> new CallTree(settings.maxDepth(), settings.maxTreeNodes() * GROWTH));
    }
    tree.add(path, entry, 1);
    seen(timeMillis);
  }

  /** A sample of a task thread at a moment it ran no task (or no longer known). */
  public void unattributed(long timeMillis) {
    unattributed++;
    seen(timeMillis);
  }

  /** A sample of a thread that is not a task thread. */
  public void otherThread() {
    otherThreads++;
  }

  private void seen(long timeMillis) {
    fromMillis = Math.min(fromMillis, timeMillis);
    toMillis = Math.max(toMillis, timeMillis);
  }

  /**
   * The interval's message, or null if no task thread was sampled in it; either way the next
   * interval starts empty.
   */
  public DashboardProtocol.WorkerProfile drain(String worker, String incarnation, long seq) {
    try {
      if (trees.isEmpty() && unattributed == 0) {
        return null;
      }
      int nodes = 0;
      for (CallTree t : trees.values()) {
        nodes += t.prune(settings.maxTreeNodes()).size();
      }
      if (nodes > settings.maxMessageNodes()) {
        for (CallTree t : trees.values()) { // each keeps its share of the message
          t.prune(Math.max(1, (int) ((long) t.size() * settings.maxMessageNodes() / nodes)));
        }
      }
      List<DashboardProtocol.ProfileTree> wire = new ArrayList<>(trees.size());
      CallTree.FrameTable table = toWire(wire);
      while (estimatedBytes(table, wire) > MAX_MESSAGE_BYTES) { // long frame texts: fewer nodes
        int before = 0;
        for (CallTree t : trees.values()) {
          before += t.size();
          t.prune(Math.max(1, t.size() * 2 / 3));
        }
        if (before <= trees.size()) {
          break; // one node per tree: as small as it gets
        }
        wire.clear();
        table = toWire(wire);
      }
      return new DashboardProtocol.WorkerProfile(worker, incarnation, seq, fromMillis, toMillis,
          (int) settings.period().toMillis(), table.frames(), wire, unattributed, otherThreads);
    } finally {
      trees.clear();
      unattributed = 0;
      otherThreads = 0;
      fromMillis = Long.MAX_VALUE;
      toMillis = Long.MIN_VALUE;
    }
  }

  private CallTree.FrameTable toWire(List<DashboardProtocol.ProfileTree> wire) {
    CallTree.FrameTable table = new CallTree.FrameTable();
    trees.forEach((group, tree) -> wire.add(tree.toWire(group, table)));
    return table;
  }

  /** A message's CBOR size, about: its texts, and a few bytes per number. */
  static long estimatedBytes(CallTree.FrameTable table, List<DashboardProtocol.ProfileTree> wire) {
    long bytes = 200;
    for (String f : table.frames()) {
      bytes += f.length() + 2;
    }
    for (DashboardProtocol.ProfileTree t : wire) {
      bytes += t.group().length() + 8 + 10L * t.frames().size() + 3L * t.entries().size();
    }
    return bytes;
  }
}
