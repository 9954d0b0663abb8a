package org.tasklane.launcher;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;

/** Keeps a node's main thread until its actor system ends, and turns the reason into an exit code. */
final class NodeRunner {
  private NodeRunner() {}

  /** Starts a node's actor system (after waiting for the scheduler, if it has one to join). */
  interface Starter {
    ActorSystem<?> start() throws Exception;
  }

  /**
   * Runs a node that joins the scheduler's cluster. If the cluster removes it (the scheduler died,
   * or a partition cut this node off), it says so in one line and starts again in this process,
   * joining whatever scheduler answers at the same address; it ends when stopped, or when no
   * scheduler can be reached within the join timeout.
   */
  static int runRejoining(String what, Starter starter) throws Exception {
    while (true) {
      ActorSystem<?> system = starter.start();
      Outcome outcome = await(system, what);
      if (outcome != Outcome.REMOVED) {
        return outcome == Outcome.STOPPED ? 0 : TasklaneCli.EXIT_FAILURE;
      }
      System.err.println(what + ": lost the cluster (the scheduler is gone or unreachable); joining again");
    }
  }

  /** Waits for a node that does not rejoin (the scheduler itself). */
  static int awaitTermination(ActorSystem<?> system, String what) {
    Outcome outcome = await(system, what);
    if (outcome == Outcome.REMOVED) {
      System.err.println(what + ": this node was removed from the cluster; start it again to rejoin");
    }
    return outcome == Outcome.STOPPED ? 0 : TasklaneCli.EXIT_FAILURE;
  }

  private enum Outcome { STOPPED, REMOVED, FAILED }

  private static Outcome await(ActorSystem<?> system, String what) {
    try {
      system.getWhenTerminated().toCompletableFuture().join();
    } catch (RuntimeException e) {
      // terminated anyway
    }
    Optional<CoordinatedShutdown.Reason> reason = CoordinatedShutdown.get(system).getShutdownReason();
    String r = reason.map(Object::toString).orElse("");
    if (r.contains("JoinUnsuccessful")) {
      System.err.println(what + ": could not join the cluster at "
          + system.settings().config().getStringList("pekko.cluster.seed-nodes")
          + " in time; is the scheduler running and reachable from here?");
      return Outcome.FAILED;
    }
    if (r.contains("Downing")) {
      return Outcome.REMOVED;
    }
    return Outcome.STOPPED;
  }
}
