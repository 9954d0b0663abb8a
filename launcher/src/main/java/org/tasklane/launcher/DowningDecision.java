package org.tasklane.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who a node downs, decided from what it sees of the cluster, with no actors in sight ({@link Downing}
 * feeds it and carries its answers out). The scheduler is the one node that downs others, and no
 * node ever downs the scheduler:
 *
 * <ul>
 *   <li><b>On the scheduler</b> (the oldest member with the scheduler role): a member that has been
 *       unreachable, by any member's account, for {@code stable-after} without a break is downed.
 *       Each member is timed on its own: other members dying, however many and however close
 *       together, neither delay nor widen the decision. The scheduler never downs itself, whatever
 *       it sees, and it is the only one that downs anyone else.
 *   <li><b>On any other node</b> (a worker, a dashboard): it downs itself, and nobody else, once it
 *       has lost the scheduler for {@code stable-after} without a break: the scheduler is unreachable
 *       and either has not seen the cluster's latest gossip (it is dead, or on the far side of a
 *       partition) or this node's own failure detector cannot reach it. Its launcher then waits for
 *       a scheduler at that address and joins it again. A scheduler that some node cannot reach but
 *       that still takes part in the gossip (one bad link) makes only that node go.
 * </ul>
 *
 * <p>Pekko's split-brain resolver, which this replaces, decides for the whole cluster on whichever
 * node is the leader (a worker, often), treats a dead worker that had marked an earlier dead worker
 * unreachable as "indirectly connected", and when that is still so after it set those records
 * aside, gives up and downs every node, the scheduler included ({@code SBR double
 * DownIndirectlyConnected decision, downing all instead}). Two workers dying within the few seconds
 * it takes to down the first were enough.
 */
final class DowningDecision {

  /** A member's status, as far as downing cares. */
  enum Status {
    JOINING, WEAKLY_UP, UP, LEAVING, EXITING, DOWN;

    /** Already on its way out: downing it changes nothing. */
    boolean isGoing() {
      return this == EXITING || this == DOWN;
    }
  }

  /**
   * One member.
   *
   * @param address its address ({@code pekko://tasklane@host:port}), as gossip's {@code seenBy} names it
   * @param uid its incarnation: a node started again at the same address is another member
   * @param scheduler it has the scheduler role
   * @param unreachable some member's failure detector marks it unreachable
   */
  record Node(String address, long uid, boolean scheduler, Status status, boolean unreachable) {
    String id() {
      return address + "#" + uid;
    }
  }

  /**
   * What one node sees of the cluster at one moment.
   *
   * @param self this node's {@link Node#id}
   * @param membersOldestFirst every member not yet removed, oldest first (by when it became Up)
   * @param seenBy the addresses of the members that have seen the latest gossip
   * @param schedulerUnreachableFromHere this node's own failure detector marks the scheduler unreachable
   */
  record View(String self, List<Node> membersOldestFirst, Set<String> seenBy, boolean schedulerUnreachableFromHere) {}

  private final long stableNanos;
  /** Members unreachable at the last look, by id: since when (System.nanoTime) without a break. */
  private final Map<String, Long> unreachableSince = new HashMap<>();
  /** Members already downed by this node (each is downed once). */
  private final Set<String> downed = new HashSet<>();
  /** Since when this node has lost the scheduler without a break, or null. */
  private Long schedulerLostSince;

  DowningDecision(Duration stableAfter) {
    this.stableNanos = stableAfter.toNanos();
  }

  /** The scheduler of this view: the oldest member with the scheduler role, or null. */
  static Node scheduler(View view) {
    for (Node n : view.membersOldestFirst()) {
      if (n.scheduler()) {
        return n;
      }
    }
    return null;
  }

  /**
   * The members to down now (by {@link Node#id}), each once; never the scheduler. On the scheduler,
   * others that stayed unreachable; elsewhere, at most this node itself.
   */
  List<Node> decide(View view, long nowNanos) {
    Node scheduler = scheduler(view);
    Node self = null;
    Set<String> present = new HashSet<>();
    for (Node n : view.membersOldestFirst()) {
      present.add(n.id());
      if (n.id().equals(view.self())) {
        self = n;
      }
    }
    downed.retainAll(present);
    unreachableSince.keySet().retainAll(present);
    if (self == null || self.status() == Status.DOWN) {
      return List.of(); // not (yet, or any more) a member: nothing of ours to decide
    }
    return scheduler != null && scheduler.id().equals(self.id())
        ? asScheduler(view, nowNanos)
        : asFollower(view, self, scheduler, nowNanos);
  }

  private List<Node> asScheduler(View view, long nowNanos) {
    List<Node> down = new ArrayList<>();
    for (Node n : view.membersOldestFirst()) {
      if (!n.unreachable() || n.status().isGoing() || n.id().equals(view.self())) {
        unreachableSince.remove(n.id());
        continue;
      }
      long since = unreachableSince.computeIfAbsent(n.id(), id -> nowNanos);
      if (nowNanos - since >= stableNanos && downed.add(n.id())) {
        down.add(n);
      }
    }
    return down;
  }

  private List<Node> asFollower(View view, Node self, Node scheduler, long nowNanos) {
    unreachableSince.clear();
    boolean lost = scheduler != null && scheduler.unreachable()
        && (!view.seenBy().contains(scheduler.address()) || view.schedulerUnreachableFromHere());
    if (!lost) {
      schedulerLostSince = null;
      return List.of();
    }
    if (schedulerLostSince == null) {
      schedulerLostSince = nowNanos;
    }
    if (nowNanos - schedulerLostSince >= stableNanos && downed.add(self.id())) {
      return List.of(self);
    }
    return List.of();
  }

  /** How long {@code node} has been unreachable without a break at {@code nowNanos}, as this scheduler timed it. */
  Duration unreachableFor(Node node, long nowNanos) {
    Long since = unreachableSince.get(node.id());
    return since == null ? Duration.ZERO : Duration.ofNanos(nowNanos - since);
  }
}
