package org.tasklane.dashboard.health;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;

/**
 * A Pekko Management readiness check ({@code pekko.management.health-checks.readiness-checks}):
 * ready while the dashboard holds a snapshot and has not been cut off from the scheduler for long
 * ({@link DashboardReadiness}). Not ready is a failed stage saying why (the 503's body).
 */
public final class DashboardReadyCheck implements Supplier<CompletionStage<Boolean>> {
  private final DashboardReadiness readiness;

  /** Pekko Management makes the check with the node's actor system. */
  public DashboardReadyCheck(ActorSystem system) {
    this.readiness = DashboardReadiness.get(system);
  }

  @Override
  public CompletionStage<Boolean> get() {
    String why = readiness.notReadyBecause();
    return why == null ? CompletableFuture.completedFuture(true)
        : CompletableFuture.failedFuture(new IllegalStateException("dashboard not ready: " + why));
  }
}
