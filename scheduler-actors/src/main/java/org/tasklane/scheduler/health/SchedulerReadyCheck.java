package org.tasklane.scheduler.health;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * A Pekko Management readiness check ({@code pekko.management.health-checks.readiness-checks}):
 * ready when the client API is bound and the scheduler singleton answers an ask
 * ({@link SchedulerProtocol.ListWorkers}, the cheapest question it answers) within
 * {@code tasklane.scheduler.health.ask-timeout}. Not ready is a failed stage saying why (the 503's body).
 */
public final class SchedulerReadyCheck implements Supplier<CompletionStage<Boolean>> {
  private final org.apache.pekko.actor.typed.ActorSystem<Void> system;
  private final SchedulerReadiness readiness;
  private final Duration askTimeout;

  /** Pekko Management makes the check with the node's actor system. */
  public SchedulerReadyCheck(ActorSystem system) {
    this.system = Adapter.toTyped(system);
    this.readiness = SchedulerReadiness.get(system);
    this.askTimeout = system.settings().config().getDuration("tasklane.scheduler.health.ask-timeout");
  }

  @Override
  public CompletionStage<Boolean> get() {
    if (!readiness.apiBound()) {
      return notReady("the client API is not listening yet");
    }
    ActorRef<SchedulerProtocol.Command> scheduler = readiness.scheduler();
    if (scheduler == null) {
      return notReady("the scheduler singleton has not started");
    }
    CompletableFuture<Boolean> ready = new CompletableFuture<>();
    AskPattern.<SchedulerProtocol.Command, SchedulerProtocol.WorkerList>ask(
            scheduler, SchedulerProtocol.ListWorkers::new, askTimeout, system.scheduler())
        .whenComplete((answer, failure) -> {
          if (failure == null) {
            ready.complete(true);
          } else {
            ready.completeExceptionally(new IllegalStateException(
                "scheduler not ready: its singleton did not answer in " + askTimeout.toMillis() + " ms"));
          }
        });
    return ready;
  }

  private static CompletionStage<Boolean> notReady(String why) {
    return CompletableFuture.failedFuture(new IllegalStateException("scheduler not ready: " + why));
  }
}
