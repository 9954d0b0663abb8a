package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.WorkerProtocol;

/** The worker page finds a worker's actor, also among the several workers of one JVM (one address). */
class WorkerDetailsTest {
  static final ActorTestKit testKit = ActorTestKit.create("WorkerDetailsTest", ConfigFactory.load("application-test"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void workerNameIIsTheActorWorkerIOfItsJvm() {
    for (int i = 1; i <= 3; i++) {
      ActorRef<WorkerProtocol.Command> w = testKit.spawn(Behaviors.<WorkerProtocol.Command>empty(), "worker-" + i);
      testKit.system().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, w));
    }
    ActorRef<DashboardProtocol.Command> details = testKit.spawn(WorkerDetails.create());
    String address = testKit.system().address().getHost().orElse("") + ":"
        + testKit.system().address().getPort().map(String::valueOf).orElse("0");
    for (int i = 1; i <= 3; i++) {
      details.tell(new DashboardProtocol.WorkerMetrics("W-" + i, "inc", 1, System.currentTimeMillis(), "h", address,
          1, DashboardProtocol.WorkerFigures.NONE));
    }
    TestProbe<WorkerDetails.FoundWorker> found = testKit.createTestProbe();
    found.awaitAssert(Duration.ofSeconds(10), () -> {
      details.tell(new WorkerDetails.FindWorker("W-2", found.ref()));
      WorkerDetails.FoundWorker f = found.expectMessageClass(WorkerDetails.FoundWorker.class);
      assertNotNull(f.worker(), "listed by the receptionist");
      assertEquals("worker-2", f.worker().path().name());
      return null;
    });
  }
}
