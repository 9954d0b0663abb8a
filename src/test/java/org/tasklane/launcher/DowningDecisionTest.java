package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.tasklane.launcher.DowningDecision.Status.DOWN;
import static org.tasklane.launcher.DowningDecision.Status.EXITING;
import static org.tasklane.launcher.DowningDecision.Status.JOINING;
import static org.tasklane.launcher.DowningDecision.Status.UP;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who each node downs, from synthetic members and reachability: never the scheduler. */
class DowningDecisionTest {
  static final Duration STABLE = Duration.ofSeconds(7);
  static final long S = 1_000_000_000L; // a second, in nanoseconds

  /** A cluster as tests write it: members oldest first, each up and reachable unless said otherwise. */
  static final class Cluster {
    final Map<String, DowningDecision.Node> nodes = new LinkedHashMap<>();
    final Set<String> seenBy = new HashSet<>();

    Cluster(String... names) {
      for (String n : names) {
        nodes.put(n, new DowningDecision.Node(address(n), 1, n.startsWith("s"), UP, false));
        seenBy.add(address(n));
      }
    }

    static String address(String name) {
      return "pekko://tasklane@" + name + ":1";
    }

    Cluster unreachable(String... names) {
      for (String n : names) {
        DowningDecision.Node old = nodes.get(n);
        nodes.put(n, new DowningDecision.Node(old.address(), old.uid(), old.scheduler(), old.status(), true));
        seenBy.remove(address(n)); // a dead node sees no more gossip
      }
      return this;
    }

    Cluster reachable(String name) {
      DowningDecision.Node old = nodes.get(name);
      nodes.put(name, new DowningDecision.Node(old.address(), old.uid(), old.scheduler(), old.status(), false));
      return this;
    }

    Cluster status(String name, DowningDecision.Status status) {
      DowningDecision.Node old = nodes.get(name);
      nodes.put(name, new DowningDecision.Node(old.address(), old.uid(), old.scheduler(), status, old.unreachable()));
      return this;
    }

    Cluster removed(String name) {
      nodes.remove(name);
      return this;
    }

    DowningDecision.View seenFrom(String self, boolean schedulerUnreachableFromHere) {
      return new DowningDecision.View(nodes.get(self).id(), new ArrayList<>(nodes.values()), Set.copyOf(seenBy),
          schedulerUnreachableFromHere);
    }

    DowningDecision.View seenFrom(String self) {
      return seenFrom(self, false);
    }
  }

  /** The names of the nodes a decision downs. */
  static List<String> names(List<DowningDecision.Node> downed) {
    return downed.stream().map(n -> n.address().substring("pekko://tasklane@".length(), n.address().length() - 2)).toList();
  }

  @Test
  void theSchedulerDownsAWorkerThatStayedUnreachableForStableAfter() {
    var c = new Cluster("s", "w1", "w2");
    var d = new DowningDecision(STABLE);
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 0));
    c.unreachable("w1");
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 1 * S));
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 7 * S + S / 2));
    assertEquals(List.of("w1"), names(d.decide(c.seenFrom("s"), 8 * S)));
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 9 * S), "downed once");
    c.status("w1", DOWN);
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 10 * S));
  }

  @Test
  void aWorkerThatComesBackStartsItsTimeAgain() {
    var c = new Cluster("s", "w1");
    var d = new DowningDecision(STABLE);
    c.unreachable("w1");
    d.decide(c.seenFrom("s"), 0);
    c.reachable("w1");
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 5 * S));
    c.unreachable("w1");
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 6 * S));
    assertEquals(List.of(), d.decide(c.seenFrom("s"), 12 * S));
    assertEquals(List.of("w1"), names(d.decide(c.seenFrom("s"), 13 * S)));
  }

  /**
   * Workers killed one after another, each marked unreachable (and having marked the earlier ones)
   * before the first is downed: what made Pekko's resolver down every node. Each is downed on its
   * own clock; the scheduler goes on.
   */
  @Test
  void workersDyingWithinASecondOfEachOtherAreEachDownedOnTheirOwnClockAndTheSchedulerStays() {
    var c = new Cluster("s", "w1", "w2", "w3", "w4", "w5");
    var d = new DowningDecision(STABLE);
    List<String> downed = new ArrayList<>();
    long t = 0;
    for (String w : List.of("w1", "w2", "w3")) {
      c.unreachable(w);
      downed.addAll(names(d.decide(c.seenFrom("s"), t)));
      t += S;
    }
    for (; t <= 12 * S; t += S / 2) {
      List<String> now = names(d.decide(c.seenFrom("s"), t));
      downed.addAll(now);
      if (t == 7 * S) {
        assertEquals(List.of("w1"), now, "w1, 7 s after it became unreachable, although w2 and w3 died since");
      }
    }
    assertEquals(List.of("w1", "w2", "w3"), downed);
  }

  @Test
  void joiningAndLeavingMembersAreDownedTooButNotThoseAlreadyGoing() {
    var c = new Cluster("s", "j", "x");
    c.status("j", JOINING).status("x", EXITING).unreachable("j", "x");
    var d = new DowningDecision(STABLE);
    d.decide(c.seenFrom("s"), 0);
    assertEquals(List.of("j"), names(d.decide(c.seenFrom("s"), 7 * S)));
  }

  @Test
  void aWorkerDownsNobodyElse() {
    var c = new Cluster("s", "w1", "w2");
    c.unreachable("w2");
    var d = new DowningDecision(STABLE);
    for (long t = 0; t <= 30 * S; t += S) {
      assertEquals(List.of(), d.decide(c.seenFrom("w1"), t));
    }
  }

  @Test
  void aWorkerThatLostTheSchedulerDownsItselfAfterStableAfter() {
    var c = new Cluster("s", "w1", "w2");
    c.unreachable("s"); // dead, or across a partition: it sees none of this side's gossip
    var d = new DowningDecision(STABLE);
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 0));
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 6 * S));
    assertEquals(List.of("w1"), names(d.decide(c.seenFrom("w1"), 7 * S)), "itself, and only itself");
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 8 * S), "once");
  }

  @Test
  void aSchedulerThatOneWorkerCannotReachButThatStillGossipsKeepsTheOthers() {
    var c = new Cluster("s", "w1", "w2");
    c.unreachable("s");
    c.seenBy.add(Cluster.address("s")); // w2 marks it, but it still takes part in the gossip
    var w1 = new DowningDecision(STABLE);
    var w2 = new DowningDecision(STABLE);
    for (long t = 0; t <= 30 * S; t += S) {
      assertEquals(List.of(), w1.decide(c.seenFrom("w1"), t), "w1 reaches the scheduler");
    }
    w2.decide(c.seenFrom("w2", true), 0);
    assertEquals(List.of("w2"), names(w2.decide(c.seenFrom("w2", true), 7 * S)), "the node that cannot reach it goes");
  }

  @Test
  void aSchedulerBackInTimeStopsTheClock() {
    var c = new Cluster("s", "w1");
    c.unreachable("s");
    var d = new DowningDecision(STABLE);
    d.decide(c.seenFrom("w1"), 0);
    c.reachable("s");
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 5 * S));
    c.unreachable("s");
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 6 * S));
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 12 * S));
    assertEquals(List.of("w1"), names(d.decide(c.seenFrom("w1"), 13 * S)));
  }

  @Test
  void aYoungerSchedulerRoleNodeDecidesNothingForOthers() {
    var c = new Cluster("s1", "s2", "w1");
    c.unreachable("w1");
    var d = new DowningDecision(STABLE);
    d.decide(c.seenFrom("s2"), 0);
    assertEquals(List.of(), d.decide(c.seenFrom("s2"), 10 * S), "only the oldest scheduler downs others");
  }

  @Test
  void aNodeThatIsNoMemberOrDownDecidesNothing() {
    var c = new Cluster("s", "w1");
    c.unreachable("s");
    var d = new DowningDecision(STABLE);
    c.status("w1", DOWN);
    d.decide(c.seenFrom("w1"), 0);
    assertEquals(List.of(), d.decide(c.seenFrom("w1"), 10 * S));
    var gone = new DowningDecision.View("pekko://tasklane@w9:1#1", new ArrayList<>(c.nodes.values()), Set.of(), true);
    assertEquals(List.of(), new DowningDecision(STABLE).decide(gone, 10 * S));
  }

  /**
   * Any sequence of deaths, returns, partitions and gossip, seen by any node, at any pace: no
   * decision on any node names the scheduler.
   */
  @Test
  void noSequenceOfEventsOnAnyNodeEverDownsTheScheduler() {
    Random random = new Random(42);
    for (int run = 0; run < 200; run++) {
      List<String> names = new ArrayList<>(List.of("s"));
      int workers = 2 + random.nextInt(8);
      for (int i = 1; i <= workers; i++) {
        names.add("w" + i);
      }
      names.add("d");
      var c = new Cluster(names.toArray(new String[0]));
      Map<String, DowningDecision> deciders = new LinkedHashMap<>();
      names.forEach(n -> deciders.put(n, new DowningDecision(STABLE)));
      long t = 0;
      for (int step = 0; step < 200; step++) {
        String n = names.get(random.nextInt(names.size()));
        if (c.nodes.containsKey(n)) {
          switch (random.nextInt(6)) {
            case 0, 1 -> c.unreachable(n);
            case 2 -> c.reachable(n);
            case 3 -> c.status(n, DowningDecision.Status.values()[random.nextInt(DowningDecision.Status.values().length)]);
            case 4 -> c.seenBy.add(Cluster.address(n));
            default -> {
              if (!n.equals("s")) {
                c.removed(n);
              }
            }
          }
        }
        t += random.nextInt(3) * S / 2;
        for (String self : List.copyOf(c.nodes.keySet())) {
          List<String> downed = names(deciders.get(self).decide(c.seenFrom(self, random.nextBoolean()), t));
          assertFalse(downed.contains("s"), () -> self + " downed the scheduler in " + c.nodes.values());
          if (!self.equals("s")) {
            assertEquals(downed.isEmpty() ? List.of() : List.of(self), downed, "a follower downs at most itself");
          }
        }
      }
    }
  }
}
