package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tasklane.worker.TestingTasks.TIMEOUT;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;

/** The guardian as a real system guardian: the paths the configuration relies on. */
class WorkerGuardianTest {

  @Test
  void spawnsTheWorkerAtUserWorkerWithItsDataEndpointAtUserWorkerData() {
    var config = ConfigFactory.load("application-test");
    ActorSystem<Void> system =
        ActorSystem.create(WorkerGuardian.create(WorkerSettings.fromConfig(config)), "WorkerGuardianTest", config);
    try {
      TestProbe<Receptionist.Listing> listings = TestProbe.create(system);
      system.receptionist().tell(Receptionist.subscribe(WorkerProtocol.SERVICE_KEY, listings.ref()));
      ActorRef<WorkerProtocol.Command> worker = listings.fishForMessage(TIMEOUT, l ->
              l.getServiceInstances(WorkerProtocol.SERVICE_KEY).isEmpty()
                  ? FishingOutcomes.continueAndIgnore()
                  : FishingOutcomes.complete())
          .get(0).getServiceInstances(WorkerProtocol.SERVICE_KEY).iterator().next();
      assertEquals("/user/worker", worker.path().toStringWithoutAddress());

      TestProbe<SchedulerProtocol.Command> scheduler = TestProbe.create(system);
      worker.tell(new WorkerProtocol.RegisterWith(scheduler.ref(), "1"));
      SchedulerProtocol.RegisterWorker reg = scheduler.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
      assertEquals("/user/worker/data", reg.data().path().toStringWithoutAddress());
      assertEquals("test-worker", reg.info().name(), "from application-test.conf");
      assertEquals(2, reg.info().nthreads());
    } finally {
      ActorTestKit.shutdown(system);
    }
  }
}
