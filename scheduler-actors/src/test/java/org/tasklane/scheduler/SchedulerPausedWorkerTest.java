package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.FishingOutcomes;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;

/** The scheduler actor hears that a worker paused for memory: it gives it nothing until it resumes. */
class SchedulerPausedWorkerTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static TestProbe<WorkerProtocol.Command> worker(String name) {
    TestProbe<WorkerProtocol.Command> probe = testKit.createTestProbe();
    TestProbe<WorkerProtocol.DataCommand> data = testKit.createTestProbe();
    testKit.system().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, probe.ref()));
    WorkerProtocol.RegisterWith hello = probe.expectMessageClass(WorkerProtocol.RegisterWith.class, TIMEOUT);
    hello.scheduler().tell(new SchedulerProtocol.RegisterWorker(probe.ref(), data.ref(),
        new WorkerInfo(name, "127.0.0.1", "127.0.0.1:1", 1, List.of("inc"), 1)));
    return probe;
  }

  private static int assigned(TestProbe<WorkerProtocol.Command> probe) {
    List<WorkerProtocol.Command> got = probe.fishForMessage(TIMEOUT, m -> m instanceof WorkerProtocol.AssignTasks
        ? FishingOutcomes.complete() : FishingOutcomes.continueAndIgnore());
    return ((WorkerProtocol.AssignTasks) got.get(got.size() - 1)).tasks().size();
  }

  /** Tasks processing per worker name, as the scheduler counts them. */
  private static Map<String, Integer> processing(ActorRef<SchedulerProtocol.Command> scheduler) {
    TestProbe<SchedulerProtocol.WorkerList> reply = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.ListWorkers(reply.ref()));
    return reply.expectMessageClass(SchedulerProtocol.WorkerList.class, TIMEOUT).workers().stream()
        .collect(Collectors.toMap(e -> e.info().name(), SchedulerProtocol.WorkerEntry::processing));
  }

  @Test
  void aPausedWorkerGetsNoTasksUntilItResumes() {
    ActorRef<SchedulerProtocol.Command> scheduler =
        testKit.spawn(Scheduler.create(SchedulerSettings.fromConfig(testKit.system().settings().config())), "scheduler");
    TestProbe<WorkerProtocol.Command> running = worker("running");
    TestProbe<WorkerProtocol.Command> paused = worker("paused");
    scheduler.tell(new SchedulerProtocol.WorkerPaused(paused.ref(), true));

    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      tasks.add(new TaskSpec("inc-" + i, "inc", List.of(JsonNodeFactory.instance.numberNode(i)), null));
    }
    TestProbe<SchedulerProtocol.SubmitReply> submitter = testKit.createTestProbe();
    scheduler.tell(new SchedulerProtocol.SubmitGraph("g1", new GraphSpec("g", tasks, null), submitter.ref()));
    assertTrue(submitter.expectMessageClass(SchedulerProtocol.SubmitReply.class, TIMEOUT).accepted());

    assertEquals(2, assigned(running), "its capacity: one thread and one queued");
    assertEquals(Map.of("running", 2, "paused", 0), processing(scheduler), "nothing for the paused worker");

    scheduler.tell(new SchedulerProtocol.WorkerPaused(paused.ref(), false));
    assertEquals(2, assigned(paused), "resumed: the two tasks left go to it at once");
    assertEquals(Map.of("running", 2, "paused", 2), processing(scheduler));
  }
}
