package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskKeys;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerProtocol;

/** Builders and probes shared by the worker tests. */
final class TestingTasks {
  private TestingTasks() {}

  static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  static JsonNode num(long n) {
    return NODES.numberNode(n);
  }

  static JsonNode text(String s) {
    return NODES.textNode(s);
  }

  static JsonNode ref(String key) {
    return NODES.objectNode().put("ref", key);
  }

  static TaskAssignment task(long id, String key, String fn, JsonNode... args) {
    return new TaskAssignment(id, key, TaskKeys.group(key), fn, List.of(args), List.of());
  }

  static TaskAssignment task(long id, String key, String fn, List<JsonNode> args, List<TaskAssignment.Input> inputs) {
    return new TaskAssignment(id, key, TaskKeys.group(key), fn, args, inputs);
  }

  @SafeVarargs
  static TaskAssignment.Input input(long id, String key, long nbytes, ActorRef<WorkerProtocol.DataCommand>... holders) {
    List<ActorRef<WorkerProtocol.DataCommand>> list = new ArrayList<>();
    for (ActorRef<WorkerProtocol.DataCommand> holder : holders) {
      list.add(holder);
    }
    return new TaskAssignment.Input(id, key, nbytes, list);
  }

  /** Reports from TasksFinished messages until there are exactly n. */
  static List<TaskReport> reports(TestProbe<SchedulerProtocol.Command> scheduler, int n) {
    List<TaskReport> out = new ArrayList<>();
    while (out.size() < n) {
      out.addAll(scheduler.expectMessageClass(SchedulerProtocol.TasksFinished.class, TIMEOUT).reports());
    }
    assertEquals(n, out.size(), "more reports than tasks: " + out);
    return out;
  }

  /** The single report of the next TasksFinished. */
  static TaskReport report(TestProbe<SchedulerProtocol.Command> scheduler) {
    return reports(scheduler, 1).get(0);
  }

  static WorkerProtocol.WorkerStatus status(ActorTestKit kit, ActorRef<WorkerProtocol.Command> worker) {
    TestProbe<WorkerProtocol.WorkerStatus> probe = kit.createTestProbe();
    worker.tell(new WorkerProtocol.GetWorkerStatus(probe.ref()));
    return probe.expectMessageClass(WorkerProtocol.WorkerStatus.class, TIMEOUT);
  }

  /** Ask a data endpoint for these ids, as a peer would. */
  static WorkerProtocol.DataFetched fetch(ActorTestKit kit, ActorRef<WorkerProtocol.DataCommand> data, Long... ids) {
    TestProbe<WorkerProtocol.DataFetched> probe = kit.createTestProbe();
    data.tell(new WorkerProtocol.FetchData(77, List.of(ids), probe.ref()));
    WorkerProtocol.DataFetched reply = probe.expectMessageClass(WorkerProtocol.DataFetched.class, TIMEOUT);
    assertEquals(77, reply.requestId());
    return reply;
  }

  /** A worker under test, registered with a probe as its scheduler. */
  record Registered(
      ActorRef<WorkerProtocol.Command> worker,
      ActorRef<WorkerProtocol.DataCommand> data,
      TestProbe<SchedulerProtocol.Command> scheduler,
      SchedulerProtocol.RegisterWorker registration) {

    void assign(TaskAssignment... tasks) {
      worker.tell(new WorkerProtocol.AssignTasks(List.of(tasks)));
    }
  }

  static Registered spawnRegistered(
      ActorTestKit kit, WorkerSettings settings, FunctionRegistry registry, ExecutorFactory executors) {
    ActorRef<WorkerProtocol.Command> worker = kit.spawn(Worker.create(settings, registry, executors), settings.name());
    TestProbe<SchedulerProtocol.Command> scheduler = kit.createTestProbe();
    worker.tell(new WorkerProtocol.RegisterWith(scheduler.ref(), "test-incarnation"));
    SchedulerProtocol.RegisterWorker registration =
        scheduler.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
    return new Registered(worker, registration.data(), scheduler, registration);
  }
}
