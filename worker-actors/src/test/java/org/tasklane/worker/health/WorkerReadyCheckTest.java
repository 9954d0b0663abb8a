package org.tasklane.worker.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.worker.ExecutorFactory;
import org.tasklane.worker.FunctionRegistry;
import org.tasklane.worker.Worker;
import org.tasklane.worker.WorkerSettings;

/**
 * The worker's readiness as Pekko Management's check reads it: not ready until the scheduler it
 * registered with acknowledges it (its first ping), and not ready again while another scheduler
 * has not. One worker per actor system: the flag is the system's.
 */
class WorkerReadyCheckTest {
  static final Config config = ConfigFactory.load("application-test");
  static final ActorTestKit testKit = ActorTestKit.create(config);
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** The check's verdict: null if ready, else the reason it gives. */
  static String verdict(WorkerReadyCheck check) throws Exception {
    try {
      assertTrue(check.get().toCompletableFuture().get(5, TimeUnit.SECONDS));
      return null;
    } catch (java.util.concurrent.ExecutionException | CompletionException e) {
      return e.getCause().getMessage();
    }
  }

  @Test
  void readyOnlyOnceTheSchedulerItRegisteredWithAcknowledgesIt() throws Exception {
    WorkerReadyCheck check = new WorkerReadyCheck(Adapter.toClassic(testKit.system()));
    WorkerSettings settings = WorkerSettings.fromConfig(config).withIdentity("ready-worker", "127.0.0.1", "127.0.0.1:0");
    ActorRef<WorkerProtocol.Command> worker =
        testKit.spawn(Worker.create(settings, FunctionRegistry.load(), ExecutorFactory.fixedThreadPool()), "worker");
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();

    // started, no scheduler yet
    TestProbe<WorkerProtocol.WorkerStatus> status = testKit.createTestProbe();
    worker.tell(new WorkerProtocol.GetWorkerStatus(status.ref()));
    status.expectMessageClass(WorkerProtocol.WorkerStatus.class, TIMEOUT);
    assertEquals("worker not ready: no scheduler has acknowledged this worker yet", verdict(check));

    // registered, not yet acknowledged
    worker.tell(new WorkerProtocol.RegisterWith(scheduler.ref(), "first"));
    scheduler.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
    assertTrue(verdict(check).startsWith("worker not ready: registering with the scheduler at "), verdict(check));

    // the scheduler pings only the workers it registered: the acknowledgement
    worker.tell(new WorkerProtocol.Ping(System.nanoTime(), scheduler.ref()));
    scheduler.expectMessageClass(SchedulerProtocol.Pong.class, TIMEOUT);
    assertEquals(null, verdict(check));

    // a ping from someone else does not count; another scheduler makes it register again
    TestProbe<SchedulerProtocol.Command> second = testKit.createTestProbe();
    worker.tell(new WorkerProtocol.RegisterWith(second.ref(), "second"));
    second.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
    assertTrue(verdict(check) != null, "not ready while the new scheduler has not acknowledged it");
    worker.tell(new WorkerProtocol.Ping(System.nanoTime(), scheduler.ref()));
    scheduler.expectMessageClass(SchedulerProtocol.Pong.class, TIMEOUT);
    assertTrue(verdict(check) != null, "the old scheduler's ping does not acknowledge it");
    worker.tell(new WorkerProtocol.AssignTasks(java.util.List.of()));
    worker.tell(new WorkerProtocol.GetWorkerStatus(status.ref()));
    status.expectMessageClass(WorkerProtocol.WorkerStatus.class, TIMEOUT);
    assertEquals(null, verdict(check), "an assignment acknowledges it too");
  }
}
