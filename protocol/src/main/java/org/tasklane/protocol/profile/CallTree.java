package org.tasklane.protocol.profile;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.tasklane.protocol.DashboardProtocol;

/**
 * A call tree (prefix tree of stacks, root = outermost frame) of execution samples, with bounds:
 * stacks deeper than {@code maxDepth} frames count at their {@code maxDepth}-th frame (the deeper
 * frames fold into it), and past {@code maxNodes} nodes a new branch counts in its parent's
 * {@value #OTHER} child instead (at most one per parent, never with children, so a tree holds at most
 * twice {@code maxNodes}). {@link #prune} brings it down to a node count with the rarest branches
 * folded into {@value #OTHER} nodes. Workers build these per task group and interval; the dashboard
 * merges them. Not thread-safe.
 */
public final class CallTree {
  /** Where the rarest branches of a node go once a tree is full. */
  public static final String OTHER = "(other)";
  /** The user-frames view: samples of a task thread inside Tasklane, outside the task's function. */
  public static final String PLUMBING = "(tasklane)";

  /** One frame on one call path. */
  public static final class Node {
    private final String frame;
    private long total;
    private boolean entry;
    private Map<String, Node> children;

    private Node(String frame) {
      this.frame = frame;
    }

    /** {@code class.method}, or {@link #OTHER}, or {@link #PLUMBING}; null for the root. */
    public String frame() {
      return frame;
    }

    /** Samples in this frame or below it. */
    public long total() {
      return total;
    }

    /** Samples in this frame itself (not in a child). */
    public long self() {
      long s = total;
      for (Node c : children()) {
        s -= c.total;
      }
      return s;
    }

    /** Whether the task's function starts here (what is above is plumbing). */
    public boolean entry() {
      return entry;
    }

    public Collection<Node> children() {
      return children == null ? List.of() : children.values();
    }

    Node child(String frame) {
      return children == null ? null : children.get(frame);
    }

    Node addChild(String frame) {
      if (children == null) {
        children = new HashMap<>(4);
      }
      Node n = new Node(frame);
      children.put(frame, n);
      return n;
    }
  }

  private final Node root = new Node(null);
  private final int maxDepth;
  private final int maxNodes;
  private int size;

  /**
   * @param maxDepth frames per path, at most (deeper ones fold into the last kept frame)
   * @param maxNodes nodes before new branches go to {@value #OTHER} nodes
   */
  public CallTree(int maxDepth, int maxNodes) {
    if (maxDepth < 1 || maxNodes < 1) {
      throw new IllegalArgumentException("a call tree needs maxDepth and maxNodes of at least 1, got "
          + maxDepth + " and " + maxNodes);
    }
    this.maxDepth = maxDepth;
    this.maxNodes = maxNodes;
  }

  public Node root() {
    return root;
  }

  /** Nodes, the root not counted. */
  public int size() {
    return size;
  }

  /** Samples in the whole tree. */
  public long samples() {
    return root.total;
  }

  /**
   * Counts {@code count} samples of one stack.
   *
   * @param path the frames, outermost first
   * @param entry the index in {@code path} of the task function's first frame, or -1 if the sample
   *     is not inside the function
   */
  public void add(List<String> path, int entry, long count) {
    root.total += count;
    Node at = root;
    int depth = Math.min(path.size(), maxDepth);
    for (int i = 0; i < depth; i++) {
      Node next = step(at, path.get(i));
      next.total += count;
      if (i == entry) {
        next.entry = true;
      }
      if (next.frame.equals(OTHER) && !path.get(i).equals(OTHER)) {
        return; // folded: the rest of the path goes with it
      }
      at = next;
    }
  }

  /** The child of {@code at} for {@code frame}, made if there is room, else its {@value #OTHER} child. */
  private Node step(Node at, String frame) {
    Node next = at.child(frame);
    if (next != null) {
      return next;
    }
    if (size >= maxNodes && !frame.equals(OTHER)) {
      next = at.child(OTHER);
      if (next != null) {
        return next;
      }
      frame = OTHER;
    }
    size++;
    return at.addChild(frame);
  }

  /** Adds every sample of {@code other} to this tree, path by path. */
  public void merge(CallTree other) {
    mergeUnder(root, other.root, 0);
    root.total += other.root.total;
  }

  /** Adds the children of {@code from} (and below) under {@code into}, at {@code depth} (of {@code into}'s children). */
  private void mergeUnder(Node into, Node from, int depth) {
    for (Node c : from.children()) {
      if (depth >= maxDepth) {
        return; // deeper frames fold into {@code into}: its total already counts them
      }
      Node target = step(into, c.frame);
      target.total += c.total;
      target.entry |= c.entry;
      if (!(target.frame.equals(OTHER) && !c.frame.equals(OTHER))) {
        mergeUnder(target, c, depth + 1);
      }
    }
  }

  /**
   * Folds the rarest branches so that the tree has at most {@code max} nodes: the nodes with the
   * most samples stay (a parent always has at least its child's samples, so what stays hangs
   * together), and each kept node's dropped children become one {@value #OTHER} child.
   */
  public CallTree prune(int max) {
    if (size <= max) {
      return this;
    }
    Map<Node, Node> parents = new IdentityHashMap<>();
    List<Node> byWeight = breadthFirst(parents);
    byWeight.sort(Comparator.comparingLong((Node n) -> n.total).reversed()); // stable: shallower first on ties
    Set<Node> kept = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    kept.add(root);
    Map<Node, Integer> keptChildren = new IdentityHashMap<>();
    Set<Node> keptOther = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    int others = root.children().isEmpty() ? 0 : 1; // the (other) nodes folding everything not kept would add
    for (Node n : byWeight) {
      Node p = parents.get(n);
      int before = needsOther(p, keptChildren, keptOther);
      keptChildren.merge(p, 1, Integer::sum);
      boolean addedOther = n.frame.equals(OTHER) && keptOther.add(p);
      int after = needsOther(p, keptChildren, keptOther);
      int withN = others - before + after + (n.children().isEmpty() ? 0 : 1);
      if (kept.size() + withN > max) { // kept counts the root, which is not a node: kept.size() - 1 + 1
        keptChildren.merge(p, -1, Integer::sum);
        if (addedOther) {
          keptOther.remove(p);
        }
        break;
      }
      kept.add(n);
      others = withN;
    }
    size = 0;
    rebuild(root, kept);
    return this;
  }

  /** 1 if folding would give {@code p} a new {@value #OTHER} child: it has children not kept and no kept {@value #OTHER}. */
  private static int needsOther(Node p, Map<Node, Integer> keptChildren, Set<Node> keptOther) {
    return keptChildren.getOrDefault(p, 0) < p.children().size() && !keptOther.contains(p) ? 1 : 0;
  }

  private List<Node> breadthFirst(Map<Node, Node> parents) {
    List<Node> out = new ArrayList<>(size);
    ArrayDeque<Node> queue = new ArrayDeque<>();
    queue.add(root);
    while (!queue.isEmpty()) {
      Node n = queue.poll();
      if (n != root) {
        out.add(n);
      }
      for (Node c : n.children()) {
        parents.put(c, n);
        queue.add(c);
      }
    }
    return out;
  }

  private void rebuild(Node n, Set<Node> kept) {
    if (n.children == null) {
      return;
    }
    long dropped = 0;
    Map<String, Node> stay = new HashMap<>();
    for (Node c : n.children.values()) {
      if (kept.contains(c)) {
        stay.put(c.frame, c);
      } else {
        dropped += c.total;
      }
    }
    if (dropped > 0) {
      Node other = stay.get(OTHER);
      if (other == null) {
        other = new Node(OTHER);
        stay.put(OTHER, other);
      }
      other.total += dropped;
      other.children = null;
    }
    n.children = stay.isEmpty() ? null : stay;
    size += stay.size();
    for (Node c : stay.values()) {
      rebuild(c, kept);
    }
  }

  /**
   * The user-frames view: each subtree that starts at the task's function moved up to the root
   * (merged where they meet), and the samples outside the function (Tasklane's plumbing while it
   * ran the task: arguments, results) in one {@value #PLUMBING} node.
   */
  public CallTree userFrames() {
    CallTree out = new CallTree(maxDepth, maxNodes);
    long plumbing = cutInto(out, root);
    if (plumbing > 0) {
      Node p = out.step(out.root, PLUMBING);
      p.total += plumbing;
    }
    out.root.total = root.total;
    return out;
  }

  /** Moves the function subtrees under {@code n} into {@code out}; returns the plumbing samples met on the way. */
  private static long cutInto(CallTree out, Node n) {
    long plumbing = n == null || n.frame == null ? 0 : n.self();
    for (Node c : n.children()) {
      if (c.entry) {
        Node target = out.step(out.root, c.frame);
        target.total += c.total;
        target.entry = true;
        out.mergeUnder(target, c, 1);
      } else {
        plumbing += cutInto(out, c);
      }
    }
    return plumbing;
  }

  // ---------------------------------------------------------------- on the wire

  /** Assigns frame texts their index in a message's frame list. */
  public static final class FrameTable {
    private final Map<String, Integer> index = new HashMap<>();
    private final List<String> frames = new ArrayList<>();

    int indexOf(String frame) {
      return index.computeIfAbsent(frame, f -> {
        frames.add(f);
        return frames.size() - 1;
      });
    }

    public List<String> frames() {
      return frames;
    }
  }

  /** This tree in pre-order for a message, its frames put in {@code table}. */
  public DashboardProtocol.ProfileTree toWire(String group, FrameTable table) {
    List<Integer> frames = new ArrayList<>(size);
    List<Integer> parents = new ArrayList<>(size);
    List<Long> totals = new ArrayList<>(size);
    List<Integer> entries = new ArrayList<>();
    ArrayDeque<Object[]> stack = new ArrayDeque<>(); // {node, parent index}
    for (Node c : root.children()) {
      stack.push(new Object[] {c, -1});
    }
    while (!stack.isEmpty()) {
      Object[] top = stack.pop();
      Node n = (Node) top[0];
      int i = frames.size();
      frames.add(table.indexOf(n.frame));
      parents.add((Integer) top[1]);
      totals.add(n.total);
      if (n.entry) {
        entries.add(i);
      }
      for (Node c : n.children()) {
        stack.push(new Object[] {c, i});
      }
    }
    return new DashboardProtocol.ProfileTree(group, frames, parents, totals, entries);
  }

  /**
   * Adds a tree from a message to this one.
   *
   * @param intern gives the one copy of a frame text to keep (the dashboard's interner)
   * @throws IllegalArgumentException if the tree's indices do not fit (a parent after its child, a frame out of range)
   */
  public void addWire(DashboardProtocol.ProfileTree wire, List<String> frameTexts, UnaryOperator<String> intern) {
    int n = wire.frames().size();
    Node[] nodes = new Node[n];
    int[] depths = new int[n];
    boolean[] folded = new boolean[n];
    Set<Integer> entries = new java.util.HashSet<>(wire.entries());
    long samples = 0;
    for (int i = 0; i < n; i++) {
      int parent = wire.parents().get(i);
      int frame = wire.frames().get(i);
      if (parent >= i || parent < -1 || frame < 0 || frame >= frameTexts.size()) {
        throw new IllegalArgumentException("profile tree of group " + wire.group() + ": node " + i
            + " has parent " + parent + " and frame " + frame + " (of " + frameTexts.size() + ")");
      }
      long total = wire.totals().get(i);
      if (parent == -1) {
        samples += total;
      }
      if (parent >= 0 && (folded[parent] || depths[parent] >= maxDepth)) {
        nodes[i] = nodes[parent];
        folded[i] = true;
        depths[i] = depths[parent];
        continue; // the parent holds it already
      }
      Node under = parent == -1 ? root : nodes[parent];
      String text = intern.apply(frameTexts.get(frame));
      Node target = step(under, text);
      target.total += total;
      target.entry |= entries.contains(i);
      nodes[i] = target;
      depths[i] = parent == -1 ? 1 : depths[parent] + 1;
      folded[i] = target.frame.equals(OTHER) && !text.equals(OTHER);
    }
    root.total += samples;
  }
}
