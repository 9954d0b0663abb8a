package org.tasklane.launcher.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.MemberStatus;

/**
 * A Pekko Management liveness check ({@code pekko.management.health-checks.liveness-checks}): alive
 * while the actor system runs (the management server answering at all says that) and this node has
 * not been downed or removed from the cluster (its cluster extension then shuts down). A node that
 * has not joined yet (its status reads {@code Removed} until then) is alive: it is not ready.
 */
public final class MemberAliveCheck implements Supplier<CompletionStage<Boolean>> {
  private final Cluster cluster;

  /** Pekko Management makes the check with the node's actor system. */
  public MemberAliveCheck(ActorSystem system) {
    this.cluster = Cluster.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    MemberStatus status = cluster.selfMember().status();
    if (cluster.isTerminated() || status.equals(MemberStatus.down())) {
      return CompletableFuture.failedFuture(new IllegalStateException(
          "this node is " + (cluster.isTerminated() ? "no longer a cluster member" : status) + "; restart it to rejoin"));
    }
    return CompletableFuture.completedFuture(true);
  }
}
