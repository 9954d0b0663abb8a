package org.tasklane.dashboard.profile;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.TreeSet;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.profile.CallTree;

/**
 * The workers' profiles merged into time buckets (by the dashboard's clock when a message arrives:
 * the workers' clocks may differ), one call tree per worker and task group in each bucket, and the
 * answers the profile page asks for. Bounded: {@link #BUCKET_MILLIS} buckets over the last
 * {@link #KEEP_MILLIS}, at most {@link #MAX_TREE_NODES} nodes per tree and {@link #MAX_BUCKET_NODES}
 * per bucket (past them the rarest branches fold into "(other)"), {@link #MAX_KEYS_PER_BUCKET} trees
 * per bucket (further groups of a worker go to "(other groups)"), and answers of at most
 * {@link #MAX_ANSWER_NODES} nodes. Each answer also says how many messages (and bytes) arrived since the
 * dashboard started: what profiling costs the wire. Not thread-safe (one actor owns it).
 */
public final class ProfileStore {
  /** Where a bucket's groups past {@link #MAX_KEYS_PER_BUCKET} go (the workers' name for theirs too). */
  public static final String OTHER_GROUPS = "(other groups)";
  public static final long BUCKET_MILLIS = 10_000;
  public static final long KEEP_MILLIS = 15 * 60_000;
  static final int MAX_DEPTH = 128; // a worker's depth (64) plus room: the worker's own cap is what binds
  static final int MAX_TREE_NODES = 2_000;
  static final int MAX_BUCKET_NODES = 20_000;
  static final int MAX_KEYS_PER_BUCKET = 512;
  public static final int MAX_ANSWER_NODES = 3_000;
  /** Nodes a query's merged tree may hold before it is cut to its answer (bounds the query's memory). */
  static final int MAX_MERGE_NODES = 50_000;
  /** Names listed for the page's filters, at most. */
  static final int MAX_NAMES = 1_000;
  static final int MAX_INTERNED = 100_000;

  /** One bucket: per worker, per group, a tree; and the counts of samples that are no task's. */
  private static final class Bucket {
    final Map<String, Map<String, CallTree>> trees = new HashMap<>();
    /** Per worker: {samples of its task threads with no task, samples of its other threads}. */
    final Map<String, long[]> counts = new HashMap<>();
    int keys;
    int nodes;
  }

  /** What a query asks for: empty strings mean "all". */
  public record Query(String group, String worker, long fromMillis, long toMillis, boolean all) {}

  /** The answer: the merged tree (user frames unless {@code all}), its samples, and what the filters can choose from. */
  public record Answer(
      long fromMillis, long toMillis, long samples, long unattributedSamples, long otherThreadSamples, int periodMillis,
      boolean all, boolean folded, List<String> groups, List<String> workers, Frame root, long receivedMessages,
      long receivedBytes) {}

  /** One node of the answer's tree: a frame, its samples (itself and below), its callees by name. */
  public record Frame(String name, long value, List<Frame> children) {}

  private final TreeMap<Long, Bucket> buckets = new TreeMap<>();
  private final Map<String, String> interned = new HashMap<>();
  private int periodMillis;
  private long refused;
  private long receivedMessages;
  private long receivedBytes;

  /** One message of {@code bytes} (its size on the wire, CBOR) arrived: counted for the figures. */
  public void countReceived(long bytes) {
    receivedMessages++;
    receivedBytes += bytes;
  }

  /** Adds a worker's message, received at {@code nowMillis}; a malformed tree is dropped (and counted). */
  public void add(DashboardProtocol.WorkerProfile p, long nowMillis) {
    expire(nowMillis);
    long start = nowMillis - Math.floorMod(nowMillis, BUCKET_MILLIS);
    Bucket b = buckets.computeIfAbsent(start, s -> new Bucket());
    periodMillis = p.periodMillis();
    Map<String, CallTree> ofWorker = b.trees.computeIfAbsent(intern(p.worker()), w -> new HashMap<>());
    for (DashboardProtocol.ProfileTree wire : p.trees()) {
      String group = intern(wire.group());
      CallTree tree = ofWorker.get(group);
      if (tree == null) {
        if (b.keys >= MAX_KEYS_PER_BUCKET) {
          group = OTHER_GROUPS;
          tree = ofWorker.get(group);
        }
        if (tree == null) {
          tree = new CallTree(MAX_DEPTH, MAX_TREE_NODES);
          ofWorker.put(group, tree);
          b.keys++;
        }
      }
      int before = tree.size();
      try {
        tree.addWire(wire, p.frames(), this::intern);
      } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
        refused++;
      }
      b.nodes += tree.size() - before;
    }
    long[] counts = b.counts.computeIfAbsent(intern(p.worker()), w -> new long[2]);
    counts[0] += p.unattributedSamples();
    counts[1] += p.otherThreadSamples();
    if (b.nodes > MAX_BUCKET_NODES) {
      shrink(b);
    }
  }

  /** Prunes each tree of a bucket to its share of {@link #MAX_BUCKET_NODES}. */
  private static void shrink(Bucket b) {
    int total = b.nodes;
    b.nodes = 0;
    for (Map<String, CallTree> ofWorker : b.trees.values()) {
      for (CallTree t : ofWorker.values()) {
        b.nodes += t.prune(Math.max(1, (int) ((long) t.size() * MAX_BUCKET_NODES / total))).size();
      }
    }
  }

  private void expire(long nowMillis) {
    buckets.headMap(nowMillis - KEEP_MILLIS - BUCKET_MILLIS, true).clear();
    // a clock set back: buckets "from the future" would never expire
    buckets.tailMap(nowMillis + BUCKET_MILLIS, false).clear();
  }

  private String intern(String s) {
    String known = interned.get(s);
    if (known != null) {
      return known;
    }
    if (interned.size() >= MAX_INTERNED) {
      interned.clear();
    }
    interned.put(s, s);
    return s;
  }

  /** Trees refused because their indices did not fit (a bug or a foreign sender), since start. */
  public long refused() {
    return refused;
  }

  /** Nodes held in all buckets. */
  public int nodes() {
    int n = 0;
    for (Bucket b : buckets.values()) {
      n += b.nodes;
    }
    return n;
  }

  public Answer query(Query q, long nowMillis) {
    expire(nowMillis);
    CallTree merged = new CallTree(MAX_DEPTH, MAX_MERGE_NODES);
    TreeSet<String> groups = new TreeSet<>();
    TreeSet<String> workers = new TreeSet<>();
    long unattributed = 0;
    long otherThreads = 0;
    NavigableMap<Long, Bucket> window = buckets.subMap(q.fromMillis() - BUCKET_MILLIS, false, q.toMillis(), true);
    for (Bucket b : window.values()) {
      for (Map.Entry<String, Map<String, CallTree>> w : b.trees.entrySet()) {
        if (workers.size() < MAX_NAMES) {
          workers.add(w.getKey());
        }
        boolean workerWanted = q.worker().isEmpty() || q.worker().equals(w.getKey());
        for (Map.Entry<String, CallTree> g : w.getValue().entrySet()) {
          if (groups.size() < MAX_NAMES) {
            groups.add(g.getKey());
          }
          if (workerWanted && (q.group().isEmpty() || q.group().equals(g.getKey()))) {
            merged.merge(g.getValue());
          }
        }
        long[] counts = b.counts.get(w.getKey());
        if (workerWanted && counts != null) {
          unattributed += counts[0];
          otherThreads += counts[1];
        }
      }
    }
    CallTree shown = q.all() ? merged : merged.userFrames();
    int size = shown.size();
    shown.prune(MAX_ANSWER_NODES);
    return new Answer(q.fromMillis(), q.toMillis(), shown.samples(), unattributed, otherThreads, periodMillis, q.all(), size > shown.size(), List.copyOf(groups), List.copyOf(workers),
        frame("all", shown.samples(), shown.root()), receivedMessages, receivedBytes);
  }

  private static Frame frame(String name, long value, CallTree.Node n) {
    List<Frame> children = new ArrayList<>(n.children().size());
    for (CallTree.Node c : n.children()) {
      children.add(frame(c.frame(), c.total(), c));
    }
    children.sort(Comparator.comparing(Frame::name));
    return new Frame(name, value, children);
  }
}
