package org.tasklane.launcher;

import java.util.List;
import java.util.Optional;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.AddressFromURIString;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/** Keeps a node's main thread until its actor system ends, and turns the reason into an exit code. */
final class NodeRunner {
  private NodeRunner() {}

  /** Starts a node's actor system (after waiting for the scheduler, if it has one to join). */
  interface Starter {
    ActorSystem<?> start() throws Exception;
  }

  /** How often a node that lost its scheduler tries the scheduler's port. */
  static final long POLL_MILLIS = 500;

  /**
   * Runs a node that joins the scheduler's cluster. If the cluster removes it (the scheduler died,
   * or a partition cut this node off), it says so in one line and keeps its process: it waits,
   * with no time limit, until something answers at the scheduler's address again, then starts
   * again in this process and joins that scheduler. It ends when stopped, or when its first join
   * fails (no scheduler within the join timeout).
   */
  static int runRejoining(String what, Starter starter) throws Exception {
    ClusterChatterFilter.quiet(); // this node says in its own words what happens to it, below
    ActorSystem<?> system = starter.start();
    boolean wasMember = false;
    while (true) {
      Outcome outcome = await(system, what);
      if (outcome == Outcome.MEMORY) {
        return ChildExit.MEMORY_RESTART; // said why in its log; its nanny, if any, starts it again
      }
      if (outcome == Outcome.STOPPED || (outcome == Outcome.FAILED && !wasMember)) {
        return outcome == Outcome.STOPPED ? 0 : TasklaneCli.EXIT_FAILURE;
      }
      // removed by the cluster (or, having been a member before, a join that did not complete):
      // one line, then wait for the scheduler's address to answer again, for as long as it takes
      wasMember = true;
      if (system.settings().config().getStringList("pekko.cluster.seed-nodes").isEmpty()) {
        // found by Cluster Bootstrap: no one address to wait for; bootstrap again, which finds the
        // cluster through discovery (and waits, probing, until its contact points answer)
        System.err.println(what + ": removed from the cluster (the scheduler stopped, or the network to it failed); "
            + "finding the cluster again by Cluster Bootstrap");
        system = starter.start();
        continue;
      }
      Address seed = seed(system);
      if (outcome == Outcome.REMOVED) {
        System.err.println(what + ": lost the scheduler at " + hostPort(seed) + " (it stopped, or the network to it "
            + "failed); waiting for a scheduler to come back at that address");
      }
      system = restart(what, seed, starter);
    }
  }

  /** Waits, saying nothing more, until the scheduler's port answers; then starts the node again. */
  private static ActorSystem<?> restart(String what, Address seed, Starter starter) throws Exception {
    String host = seed.getHost().orElseThrow();
    int port = seed.getPort().orElseThrow();
    while (true) {
      while (HostAddress.tryConnect(host, port, 2000) != null) {
        Thread.sleep(POLL_MILLIS);
      }
      System.err.println(what + ": " + hostPort(seed) + " answers again; joining the scheduler there");
      try {
        return starter.start();
      } catch (TlsProbe.Refused e) {
        throw e; // another scheduler, whose TLS this node cannot meet: waiting will not help
      } catch (TasklaneCli.UserError e) {
        // it went away again before this node could join (the starter said so): wait again
      }
    }
  }

  /** The node's seed: the scheduler it joins. */
  private static Address seed(ActorSystem<?> system) {
    List<String> seeds = system.settings().config().getStringList("pekko.cluster.seed-nodes");
    return AddressFromURIString.parse(seeds.get(0));
  }

  private static String hostPort(Address a) {
    return a.getHost().orElse("?") + ":" + a.getPort().map(String::valueOf).orElse("?");
  }

  /** Waits for a node that does not rejoin (the scheduler itself). */
  static int awaitTermination(ActorSystem<?> system, String what) {
    Outcome outcome = await(system, what);
    if (outcome == Outcome.REMOVED) {
      System.err.println(what + ": this node was removed from the cluster; start it again to rejoin");
    }
    return outcome == Outcome.STOPPED ? 0 : TasklaneCli.EXIT_FAILURE;
  }

  private enum Outcome { STOPPED, REMOVED, FAILED, MEMORY }

  private static Outcome await(ActorSystem<?> system, String what) {
    try {
      system.getWhenTerminated().toCompletableFuture().join();
    } catch (RuntimeException e) {
      // terminated anyway
    }
    Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
    if (reason.isPresent() && reason.get() == org.tasklane.worker.memory.MemoryLimitExceeded.INSTANCE) {
      return Outcome.MEMORY;
    }
    String r = reason.map(Object::toString).orElse("");
    if (r.contains("JoinUnsuccessful")) {
      // the scheduler's port answered before this node started (SchedulerReachability), so the
      // likely cause is a scheduler of another cluster name: Pekko drops joins addressed to another name
      System.err.println(what + ": could not join the cluster at "
          + system.settings().config().getStringList("pekko.cluster.seed-nodes")
          + ": no scheduler of a cluster named '" + system.name() + "' answered in time; check --cluster-name "
          + "(it must be the scheduler's, default " + NodeConfig.SYSTEM_NAME + ") and that the scheduler is running");
      return Outcome.FAILED;
    }
    if (r.contains("Downing")) {
      return Outcome.REMOVED;
    }
    return Outcome.STOPPED;
  }
}
