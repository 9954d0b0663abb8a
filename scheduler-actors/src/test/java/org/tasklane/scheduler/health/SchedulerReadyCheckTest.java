package org.tasklane.scheduler.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * The scheduler's readiness as Pekko Management's check reads it: the client API bound and the
 * scheduler actor answering. The actor here is a stand-in that answers {@code ListWorkers}, or a
 * probe that never answers.
 */
class SchedulerReadyCheckTest {
  static final ActorTestKit testKit = ActorTestKit.create(ConfigFactory.parseString(
      "tasklane.scheduler.health.ask-timeout = 300ms").withFallback(ConfigFactory.load("application-test")));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static String verdict(SchedulerReadyCheck check) throws Exception {
    try {
      assertTrue(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS));
      return null;
    } catch (ExecutionException e) {
      return e.getCause().getMessage();
    }
  }

  @Test
  void readyWhenTheApiIsBoundAndTheSchedulerAnswers() throws Exception {
    SchedulerReadiness readiness = SchedulerReadiness.get(testKit.system());
    SchedulerReadyCheck check = new SchedulerReadyCheck(Adapter.toClassic(testKit.system()));
    assertEquals("scheduler not ready: the client API is not listening yet", verdict(check));

    ActorRef<SchedulerProtocol.Command> answering = testKit.spawn(Behaviors.receiveMessage(m -> {
      if (m instanceof SchedulerProtocol.ListWorkers list) {
        list.replyTo().tell(new SchedulerProtocol.WorkerList(List.of()));
      }
      return Behaviors.same();
    }));
    TestProbe<SchedulerProtocol.Command> silent = testKit.createTestProbe();
    ActorRef<SchedulerProtocol.Command>[] current = new ActorRef[] {null};
    CompletableFuture<InetSocketAddress> apiBound = new CompletableFuture<>();
    readiness.attach(() -> current[0], apiBound);

    assertEquals("scheduler not ready: the client API is not listening yet", verdict(check));
    apiBound.complete(new InetSocketAddress("127.0.0.1", 8786));
    assertEquals("scheduler not ready: the scheduler singleton has not started", verdict(check));

    current[0] = silent.ref();
    assertEquals("scheduler not ready: its singleton did not answer in 300 ms", verdict(check));
    silent.expectMessageClass(SchedulerProtocol.ListWorkers.class, Duration.ofSeconds(5));

    current[0] = answering;
    assertEquals(null, verdict(check));
  }

  @Test
  void aClientApiThatCouldNotBindIsNeverReady() throws Exception {
    CompletableFuture<InetSocketAddress> failed = CompletableFuture.failedFuture(new java.net.BindException("in use"));
    ActorTestKit other = ActorTestKit.create("FailedBind", ConfigFactory.load("application-test"));
    try {
      SchedulerReadiness.get(other.system()).attach(() -> other.createTestProbe(SchedulerProtocol.Command.class).ref(), failed);
      assertEquals("scheduler not ready: the client API is not listening yet",
          verdict(new SchedulerReadyCheck(Adapter.toClassic(other.system()))));
    } finally {
      other.shutdownTestKit();
    }
  }
}
