package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.worker.TestingTasks.TIMEOUT;
import static org.tasklane.worker.TestingTasks.spawnRegistered;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;

/** A worker stopping gracefully: it asks the scheduler to retire it and answers once told it may go. */
class WorkerRetireTest {
  static final Config config = ConfigFactory.load("application-test");
  static final ActorTestKit testKit = ActorTestKit.create(config);
  static final FunctionRegistry registry = FunctionRegistry.load();
  private static final AtomicInteger names = new AtomicInteger();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static TestingTasks.Registered spawn() {
    WorkerSettings s = WorkerSettings.fromConfig(config)
        .withIdentity("retiring-" + names.incrementAndGet(), "127.0.0.1", "127.0.0.1:0");
    return spawnRegistered(testKit, s, registry, ExecutorFactory.fixedThreadPool());
  }

  @Test
  void itAsksTheSchedulerAndAnswersWhenTheSchedulerSaysItMayGo() {
    TestingTasks.Registered w = spawn();
    TestProbe<Done> shutdown = testKit.createTestProbe();
    TestProbe<Done> again = testKit.createTestProbe();
    w.worker().tell(new Worker.Retire(shutdown.ref()));
    w.worker().tell(new Worker.Retire(again.ref()));
    SchedulerProtocol.RetireWorker asked =
        w.scheduler().expectMessageClass(SchedulerProtocol.RetireWorker.class, TIMEOUT);
    assertEquals(w.worker(), asked.worker());
    assertEquals(config.getDuration("tasklane.worker.retire-timeout"), asked.timeout());
    shutdown.expectNoMessage(Duration.ofMillis(200));
    w.scheduler().expectNoMessage(Duration.ofMillis(50)); // asked once

    w.worker().tell(new WorkerProtocol.Retired(3, 300, 0, false, 12));
    shutdown.expectMessage(TIMEOUT, Done.getInstance());
    again.expectMessage(TIMEOUT, Done.getInstance());
  }

  @Test
  void aWorkerNoSchedulerKnowsRetiresAtOnce() {
    WorkerSettings s = WorkerSettings.fromConfig(config).withIdentity("unregistered-retiring", "127.0.0.1", "127.0.0.1:0");
    var worker = testKit.spawn(Worker.create(s, registry, ExecutorFactory.fixedThreadPool()), "unregistered-retiring");
    TestProbe<Done> shutdown = testKit.createTestProbe();
    worker.tell(new Worker.Retire(shutdown.ref()));
    shutdown.expectMessage(TIMEOUT, Done.getInstance());
  }

  @Test
  void onlyAStopAskedForRetiresNotARemovalByTheCluster() {
    assertTrue(WorkerGuardian.isGraceful(Optional.of(CoordinatedShutdown.jvmExitReason())));
    assertTrue(WorkerGuardian.isGraceful(Optional.of(CoordinatedShutdown.actorSystemTerminateReason())));
    assertTrue(WorkerGuardian.isGraceful(Optional.empty()));
    assertFalse(WorkerGuardian.isGraceful(Optional.of(CoordinatedShutdown.clusterDowningReason())));
    assertFalse(WorkerGuardian.isGraceful(Optional.of(CoordinatedShutdown.clusterJoinUnsuccessfulReason())));
  }

  @Test
  void theShutdownPhaseItRetiresInIsLongEnoughForTheRetireTimeout() {
    Config c = WorkerMain.withRetirePhaseTimeout(
        ConfigFactory.parseString("tasklane.worker.retire-timeout = 40s").withFallback(ConfigFactory.load()));
    assertEquals(Duration.ofSeconds(40).plus(WorkerGuardian.RETIRE_PHASE_MARGIN),
        c.getDuration("pekko.coordinated-shutdown.phases.before-cluster-shutdown.timeout"));
    Config longer = ConfigFactory.parseString("pekko.coordinated-shutdown.phases.before-cluster-shutdown.timeout = 5m")
        .withFallback(ConfigFactory.load());
    assertEquals(Duration.ofMinutes(5), WorkerMain.withRetirePhaseTimeout(longer)
        .getDuration("pekko.coordinated-shutdown.phases.before-cluster-shutdown.timeout"));
  }
}
