package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.worker.TestingTasks.TIMEOUT;

import com.typesafe.config.ConfigFactory;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.Test;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.Topics;
import org.tasklane.worker.health.WorkerReadiness;
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

  /** Live threads of this name in the JVM. */
  static long threads(String name) {
    return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals(name) && t.isAlive()).count();
  }

  @Test
  void threeWorkersInOneJvmHaveTheirOwnNamesActorsAndDataButOneSamplerOneMonitorAndOneBatch() {
    var config = ConfigFactory.parseString("tasklane.worker.nworkers = 3")
        .withFallback(ConfigFactory.load("application-test"));
    long samplers = threads("host-sampler");
    long monitors = threads("memory-monitor");
    ActorSystem<Void> system =
        ActorSystem.create(WorkerGuardian.create(WorkerSettings.fromConfig(config)), "WorkerGuardianTest3", config);
    try {
      TestProbe<Receptionist.Listing> listings = TestProbe.create(system);
      system.receptionist().tell(Receptionist.subscribe(WorkerProtocol.SERVICE_KEY, listings.ref()));
      java.util.Set<ActorRef<WorkerProtocol.Command>> workers = listings.fishForMessage(TIMEOUT, l ->
              l.getServiceInstances(WorkerProtocol.SERVICE_KEY).size() < 3
                  ? FishingOutcomes.continueAndIgnore()
                  : FishingOutcomes.complete())
          .get(0).getServiceInstances(WorkerProtocol.SERVICE_KEY);
      assertEquals(java.util.Set.of("/user/worker-1", "/user/worker-2", "/user/worker-3"),
          workers.stream().map(w -> w.path().toStringWithoutAddress()).collect(java.util.stream.Collectors.toSet()));
      assertEquals(samplers + 1, threads("host-sampler"), "one host sampler for the JVM's three workers");
      assertEquals(monitors + 1, threads("memory-monitor"), "one memory monitor for the JVM's heap");

      WorkerReadiness readiness = WorkerReadiness.get(system);
      TestProbe<SchedulerProtocol.Command> scheduler = TestProbe.create(system);
      java.util.Map<String, String> dataOf = new java.util.TreeMap<>();
      for (ActorRef<WorkerProtocol.Command> w : workers) {
        assertTrue(!readiness.isRegistered(), "not ready until all three are acknowledged: " + readiness.reason());
        w.tell(new WorkerProtocol.RegisterWith(scheduler.ref(), "1"));
        SchedulerProtocol.RegisterWorker reg = scheduler.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
        dataOf.put(reg.info().name(), reg.data().path().toStringWithoutAddress());
        assertEquals(2, reg.info().nthreads(), "each has its own --nthreads threads");
        w.tell(new WorkerProtocol.Ping(System.nanoTime(), scheduler.ref()));
        scheduler.expectMessageClass(SchedulerProtocol.Pong.class, TIMEOUT);
      }
      assertEquals(java.util.Map.of("test-worker-1", "/user/worker-1/data", "test-worker-2", "/user/worker-2/data",
          "test-worker-3", "/user/worker-3/data"), dataOf);
      assertEquals("", readiness.reason(), "ready: all three acknowledged");

      // their figures leave in one message per interval
      TestProbe<DashboardProtocol.Command> dashboard = TestProbe.create(system);
      ActorRef<Topic.Command<DashboardProtocol.Command>> topic = system.systemActorOf(
          Topic.create(DashboardProtocol.Command.class, Topics.WORKER_METRICS), "test-metrics-topic",
          org.apache.pekko.actor.typed.Props.empty());
      topic.tell(Topic.subscribe(dashboard.ref()));
      DashboardProtocol.Command batch = dashboard.fishForMessage(java.time.Duration.ofSeconds(20), m ->
          m instanceof DashboardProtocol.WorkerMetricsBatch b && b.workers().size() == 3
              ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore()).get(0);
      assertEquals(java.util.List.of("test-worker-1", "test-worker-2", "test-worker-3"),
          ((DashboardProtocol.WorkerMetricsBatch) batch).workers().stream()
              .map(DashboardProtocol.WorkerMetrics::worker).sorted().toList());
    } finally {
      ActorTestKit.shutdown(system);
    }
  }
}
