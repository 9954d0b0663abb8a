package org.tasklane.launcher;

import java.util.Optional;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;

/** Keeps a node's main thread until its actor system ends, and turns the reason into an exit code. */
final class NodeRunner {
  private NodeRunner() {}

  static int awaitTermination(ActorSystem<?> system, String what) {
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
      return TasklaneCli.EXIT_FAILURE;
    }
    if (r.contains("Downing")) {
      System.err.println(what + ": this node was removed from the cluster (the scheduler lost contact with it); "
          + "start it again to rejoin");
      return TasklaneCli.EXIT_FAILURE;
    }
    return 0;
  }

  /** The node's own cluster address as host:port. */
  static String selfAddress(ActorSystem<?> system) {
    var a = Cluster.get(system).selfMember().address();
    return a.host().get() + ":" + a.port().get();
  }
}
