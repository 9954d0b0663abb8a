package org.tasklane.worker.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * A Pekko Management readiness check ({@code pekko.management.health-checks.readiness-checks}):
 * ready once the worker is registered with a reachable scheduler ({@link WorkerReadiness}). That
 * it joined the cluster is Pekko's own {@code cluster-membership} check, listed beside this one.
 * Not ready answers with a failed stage whose message says why (the 503's body).
 */
public final class WorkerReadyCheck implements Supplier<CompletionStage<Boolean>> {
  private final WorkerReadiness readiness;

  /** Pekko Management makes the check with the node's actor system. */
  public WorkerReadyCheck(ActorSystem system) {
    this.readiness = WorkerReadiness.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    if (readiness.isRegistered()) {
      return CompletableFuture.completedFuture(true);
    }
    return CompletableFuture.failedFuture(new IllegalStateException("worker not ready: " + readiness.reason()));
  }
}
