package org.tasklane.worker.code;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.CodeProtocol;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskArgs;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.worker.ExecutorFactory;
import org.tasklane.worker.FunctionRegistry;
import org.tasklane.worker.Worker;
import org.tasklane.worker.WorkerSettings;

/**
 * A worker fetches the jars its java: tasks name from the code server the scheduler introduced,
 * chunk by chunk through its serializer, once; a jar whose bytes are not those of its digest errs
 * the task with one line, and the worker goes on.
 */
class CodeFetchTest {
  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());
  static final Duration TIMEOUT = Duration.ofSeconds(20);
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  static final String HELLO = "java:demo.Greeter::hello(Ljava/lang/String;)Ljava/lang/String;";

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A jar over two chunks: the greeter and 2.5 MiB of random bytes. */
  static byte[] bigJar(String version) {
    byte[] filler = new byte[5 << 19];
    new Random(7).nextBytes(filler);
    return TestJars.compile(Map.of("demo.Greeter", "package demo;\n"
        + "public class Greeter { public static String hello(String n) { return \"hello \" + n + \" from " + version
        + "\"; } }\n"), Map.of("filler.bin", filler));
  }

  /** A code server that serves {@code bytes} under any digest, and counts the chunks it sent. */
  static Behavior<CodeProtocol.Command> codeServer(byte[] bytes, AtomicInteger chunks) {
    return Behaviors.receive(CodeProtocol.Command.class)
        .onMessage(CodeProtocol.FetchCode.class, m -> {
          int from = (int) m.offset();
          int n = Math.min(CodeProtocol.MAX_CHUNK_BYTES, bytes.length - from);
          chunks.incrementAndGet();
          m.replyTo().tell(new CodeProtocol.CodeChunk(m.sha256(), m.offset(), bytes.length,
              java.util.Arrays.copyOfRange(bytes, from, from + n), null));
          return Behaviors.same();
        })
        .build();
  }

  record Started(ActorRef<WorkerProtocol.Command> worker, ActorRef<WorkerProtocol.DataCommand> data,
      TestProbe<SchedulerProtocol.Command> scheduler) {}

  static Started worker(String name, ActorRef<CodeProtocol.Command> code) {
    WorkerSettings settings = WorkerSettings.fromConfig(testKit.system().settings().config()).withIdentity(name, "", "");
    ActorRef<WorkerProtocol.Command> worker = testKit.spawn(
        Worker.create(settings, FunctionRegistry.load(), ExecutorFactory.fixedThreadPool()), name);
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();
    worker.tell(new WorkerProtocol.RegisterWith(scheduler.ref(), "incarnation", code));
    SchedulerProtocol.RegisterWorker r = scheduler.expectMessageClass(SchedulerProtocol.RegisterWorker.class, TIMEOUT);
    return new Started(worker, r.data(), scheduler);
  }

  static TaskAssignment hello(long id, String who, List<String> code) {
    ObjectNode frame = NODES.objectNode().put("call", 1);
    frame.putArray("params").add(NODES.objectNode().put("v", who));
    return new TaskAssignment(id, "hello-" + id, "hello", HELLO, TaskArgs.of(List.of(frame)), List.of(), code, 0);
  }

  static TaskReport next(TestProbe<SchedulerProtocol.Command> scheduler) {
    SchedulerProtocol.TasksFinished f = scheduler.expectMessageClass(SchedulerProtocol.TasksFinished.class, TIMEOUT);
    assertEquals(1, f.reports().size());
    return f.reports().get(0);
  }

  static JsonNode value(ActorRef<WorkerProtocol.DataCommand> data, long id) {
    TestProbe<WorkerProtocol.DataFetched> probe = testKit.createTestProbe();
    data.tell(new WorkerProtocol.FetchData(1, List.of(id), probe.ref()));
    return probe.expectMessageClass(WorkerProtocol.DataFetched.class, TIMEOUT).items().get(0).value();
  }

  @Test
  void aJarIsFetchedInChunksOnceAndItsClassesRunTheTasks() {
    byte[] jar = bigJar("big");
    assertTrue(jar.length > 2 * CodeProtocol.MAX_CHUNK_BYTES, "three chunks: " + jar.length);
    AtomicInteger chunks = new AtomicInteger();
    Started w = worker("fetching", testKit.spawn(codeServer(jar, chunks)));
    List<String> code = List.of(TestJars.sha256(jar));

    w.worker().tell(new WorkerProtocol.AssignTasks(List.of(hello(1, "ann", code), hello(2, "bob", code))));
    List<TaskReport> reports = new java.util.ArrayList<>();
    while (reports.size() < 2) {
      reports.addAll(w.scheduler().expectMessageClass(SchedulerProtocol.TasksFinished.class, TIMEOUT).reports());
    }
    for (TaskReport r : reports) {
      assertEquals(TaskReport.Outcome.OK, r.outcome(), r.error());
    }
    assertEquals("hello ann from big", value(w.data(), 1).textValue());
    assertEquals("hello bob from big", value(w.data(), 2).textValue());
    assertEquals(3, chunks.get(), "fetched once, in three chunks, for both tasks");

    w.worker().tell(new WorkerProtocol.AssignTasks(List.of(hello(3, "cy", code))));
    assertEquals(TaskReport.Outcome.OK, next(w.scheduler()).outcome());
    assertEquals(3, chunks.get(), "a jar fetched is kept");
    testKit.stop(w.worker());
  }

  @Test
  void aJarAlteredOnTheSchedulerErrsItsTasksByItsHashAndTheWorkerGoesOn() {
    byte[] uploaded = TestJars.greeter("v1");
    byte[] altered = TestJars.greeter("v666");
    Started w = worker("tampered", testKit.spawn(codeServer(altered, new AtomicInteger())));
    String sha = TestJars.sha256(uploaded);

    w.worker().tell(new WorkerProtocol.AssignTasks(List.of(hello(1, "ann", List.of(sha)))));
    TaskReport r = next(w.scheduler());
    assertEquals(TaskReport.Outcome.ERRED, r.outcome());
    assertEquals("jar " + sha + " fetched from the scheduler does not match its SHA-256 (got "
        + TestJars.sha256(altered) + "); it was altered or corrupted", r.error());

    w.worker().tell(new WorkerProtocol.AssignTasks(List.of(
        new TaskAssignment(2, "inc-2", "inc", "inc", List.of(NODES.numberNode(41)), List.of()))));
    assertEquals(TaskReport.Outcome.OK, next(w.scheduler()).outcome());
    assertEquals(42, value(w.data(), 2).longValue());
    testKit.stop(w.worker());
  }

  @Test
  void withoutACodeServerAJavaTaskWithJarsErrsInOneLine() {
    Started w = worker("no-code-server", null);
    w.worker().tell(new WorkerProtocol.AssignTasks(List.of(hello(1, "ann", List.of("ab".repeat(32))))));
    TaskReport r = next(w.scheduler());
    assertEquals(TaskReport.Outcome.ERRED, r.outcome());
    assertTrue(r.error().startsWith("this worker knows no code server to fetch jar abab"), r.error());
    testKit.stop(w.worker());
  }
}
