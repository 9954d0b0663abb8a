package org.tasklane.launcher;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.eventstream.EventStream;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.ClusterEvent;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.remote.artery.ThisActorSystemQuarantinedEvent;

/**
 * Every node's downing actor (started by the cluster through {@link TasklaneDowningProvider}): once a
 * second it shows its node's view of the cluster to a {@link DowningDecision} and downs whom that
 * names. On the scheduler it downs the members that stayed unreachable; elsewhere, at most its own
 * node, when it lost the scheduler. Nothing here ever downs the scheduler.
 */
final class Downing {
  private Downing() {}

  /** By name, not the adapted actor's: this is the scheduler's account of whom it downs. */
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Downing.class);

  interface Command {}

  private enum Tick implements Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** Another node quarantined this one: it will not talk to this incarnation again. */
  private record Quarantined(ThisActorSystemQuarantinedEvent event) implements Command, NoSerializationVerificationNeeded {}

  static final Duration TICK = Duration.ofSeconds(1);

  static Behavior<Command> create(Duration stableAfter, String schedulerRole) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      ActorRef<ThisActorSystemQuarantinedEvent> quarantined =
          context.messageAdapter(ThisActorSystemQuarantinedEvent.class, Quarantined::new);
      context.getSystem().eventStream().tell(new EventStream.Subscribe<>(ThisActorSystemQuarantinedEvent.class, quarantined));
      timers.startTimerWithFixedDelay(Tick.INSTANCE, TICK);
      DowningDecision decision = new DowningDecision(stableAfter);
      Cluster cluster = Cluster.get(Adapter.toClassic(context.getSystem())); // its failure detector is classic-only
      return Behaviors.receive(Command.class)
          .onMessageEquals(Tick.INSTANCE, () -> {
            act(cluster, decision, schedulerRole, stableAfter);
            return Behaviors.same();
          })
          .onMessage(Quarantined.class, q -> {
            onQuarantined(cluster, schedulerRole, q.event());
            return Behaviors.same();
          })
          .build();
    }));
  }

  private static void act(Cluster cluster, DowningDecision decision, String schedulerRole, Duration stableAfter) {
    ClusterEvent.CurrentClusterState state = cluster.state();
    Map<String, Member> byId = new HashMap<>();
    DowningDecision.View view = view(cluster, state, schedulerRole, byId);
    long now = System.nanoTime();
    for (DowningDecision.Node n : decision.decide(view, now)) {
      Member m = byId.get(n.id());
      if (n.id().equals(view.self())) {
        log.debug("Downing this node: it lost the scheduler for {} s", stableAfter.toSeconds());
      } else {
        log.info("Downing {} (roles {}): unreachable for {} s", m.address(), m.getRoles(),
            decision.unreachableFor(n, now).toSeconds());
      }
      cluster.down(m.address());
    }
  }

  /** The cluster as {@link DowningDecision} takes it; {@code byId} is filled with the members by id. */
  static DowningDecision.View view(
      Cluster cluster, ClusterEvent.CurrentClusterState state, String schedulerRole, Map<String, Member> byId) {
    Set<Member> unreachable = state.getUnreachable();
    List<Member> members = new ArrayList<>();
    state.getMembers().forEach(members::add);
    members.sort((a, b) -> a.isOlderThan(b) ? -1 : b.isOlderThan(a) ? 1 : 0);
    List<DowningDecision.Node> nodes = new ArrayList<>(members.size());
    Member scheduler = null;
    for (Member m : members) {
      DowningDecision.Node n = new DowningDecision.Node(m.address().toString(), m.uniqueAddress().longUid(),
          m.hasRole(schedulerRole), status(m.status()), unreachable.contains(m));
      nodes.add(n);
      byId.put(n.id(), m);
      if (scheduler == null && n.scheduler()) {
        scheduler = m;
      }
    }
    Set<String> seenBy = new HashSet<>();
    for (Address a : state.getSeenBy()) {
      seenBy.add(a.toString());
    }
    boolean schedulerUnreachableFromHere = scheduler != null
        && cluster.failureDetector().isMonitoring(scheduler.address())
        && !cluster.failureDetector().isAvailable(scheduler.address());
    String self = cluster.selfMember().address() + "#" + cluster.selfMember().uniqueAddress().longUid();
    return new DowningDecision.View(self, nodes, seenBy, schedulerUnreachableFromHere);
  }

  private static DowningDecision.Status status(MemberStatus s) {
    if (s == MemberStatus.up()) {
      return DowningDecision.Status.UP;
    } else if (s == MemberStatus.weaklyUp()) {
      return DowningDecision.Status.WEAKLY_UP;
    } else if (s == MemberStatus.leaving()) {
      return DowningDecision.Status.LEAVING;
    } else if (s == MemberStatus.exiting()) {
      return DowningDecision.Status.EXITING;
    } else if (s == MemberStatus.joining()) {
      return DowningDecision.Status.JOINING;
    }
    return DowningDecision.Status.DOWN; // down, removed, shutting down
  }

  /**
   * A member quarantined this node: it will not talk to this incarnation again, so a worker or
   * dashboard downs itself (and its launcher joins again as a new one). The scheduler does not: it
   * stays, and the node that quarantined it is downed like any it cannot reach.
   */
  private static void onQuarantined(Cluster cluster, String schedulerRole, ThisActorSystemQuarantinedEvent e) {
    Address from = e.remoteAddress().address();
    boolean byMember = false;
    for (Member m : cluster.state().getMembers()) {
      byMember |= m.address().equals(from);
    }
    if (!byMember) {
      return;
    }
    if (cluster.selfMember().hasRole(schedulerRole)) {
      log.info("{} quarantined this scheduler; the scheduler stays (it never downs itself)", from);
      return;
    }
    log.debug("Downing this node: {} quarantined it", from);
    cluster.down(cluster.selfAddress());
  }
}
