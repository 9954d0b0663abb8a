package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.ConfigFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.jackson.JacksonCborSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GraphSummary;
import org.tasklane.protocol.api.GroupProgress;

/** Every record that crosses a process boundary survives CBOR and back, equal to itself. */
class ProtocolSerializationTest {

  /** Starts logging before the actor system does, so that SLF4J does not replay its first calls. */
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ProtocolSerializationTest.class);

  static final ActorTestKit testKit = ActorTestKit.create(
      ConfigFactory.parseString("pekko.actor.serialize-messages = on").withFallback(ConfigFactory.load()));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Numbers (int, long, double), text, a binary node, null, a boolean and nested structures. */
  private static JsonNode richValue() {
    ObjectNode v = NODES.objectNode();
    v.put("int", 7);
    v.put("long", 12_345_678_901L);
    v.put("double", 1.5);
    v.put("text", "héllo, wörld");
    v.put("binary", "bytes\0\1\2".getBytes(StandardCharsets.UTF_8));
    v.putNull("nothing");
    v.put("flag", true);
    v.putObject("nested").put("depth", 2).putArray("list").add(1).add("two").addNull().add(NODES.objectNode());
    return v;
  }

  private static List<JsonNode> richArgs() {
    return List.of(NODES.numberNode(1), NODES.textNode("x"), NODES.objectNode().put("ref", "load-0"),
        NODES.nullNode(), richValue());
  }

  private static <T> ActorRef<T> ref() {
    return testKit.<T>createTestProbe().ref();
  }

  private static WorkerInfo workerInfo() {
    return new WorkerInfo("worker-1", "10.0.0.5", "10.0.0.5:25521", 4, List.of("inc", "sum"), 4242L);
  }

  private static Transfer transfer() {
    return new Transfer(11L, "load-0", "worker-2", 2048L, 1_700_000_000_000_000L, 1_700_000_000_000_250L);
  }

  private static TaskAssignment.Input input() {
    return new TaskAssignment.Input(11L, "load-0", 2048L, List.of(ref(), ref()));
  }

  private static GroupProgress groupProgress() {
    return new GroupProgress("load", 10, 3, 2, 1, 2, 2);
  }

  private static GraphStatus graphStatus() {
    return new GraphStatus("g-1", "demo", "running", 10, 5, 1, Map.of("memory", 3, "released", 2, "erred", 1),
        List.of(groupProgress(), new GroupProgress("total", 1, 0, 0, 0, 0, 1)), 4L, 8192L,
        1_700_000_000_000L, 0L, Map.of("load-7", "ValueError: boom"), 2, 3);
  }

  private static GraphSummary graphSummary() {
    return new GraphSummary("g-1", "demo", "done", 10, 9, 1, 1_700_000_000_000L);
  }

  private static TaskSpec taskSpec() {
    return new TaskSpec("total", "sum", richArgs(), "totals");
  }

  private static GraphSpec graphSpec() {
    return new GraphSpec("demo", List.of(new TaskSpec("load-0", "sleep", List.of(NODES.numberNode(0.1)), null),
        taskSpec()), List.of("total"));
  }

  private static TaskReport taskReport() {
    return new TaskReport(12L, TaskReport.Outcome.ERRED, 0L, 1_700_000_000_000_000L, 1_700_000_000_100_000L,
        "tasklane-exec-1", List.of(transfer()), "ArithmeticException: / by zero", List.of(13L, 14L));
  }

  private static DashboardProtocol.TaskEvent taskEvent() {
    return new DashboardProtocol.TaskEvent(12L, "<b>total</b>", "total", "g-1", "worker-1", "exec-0",
        1_700_000_000_000_000L, 1_700_000_000_100_000L, "erred", 0L, "ValueError: no", List.of(transfer()),
        List.of(7L, 9L));
  }

  private static DashboardProtocol.GraphEvent graphEvent() {
    return new DashboardProtocol.GraphEvent("g-1", "<i>demo</i>", "done", 1_700_000_000_000L, 1_700_000_001_000L, 10, 1,
        List.of(groupProgress()), List.of(groupEdge()), true);
  }

  private static DashboardProtocol.GroupEdge groupEdge() {
    return new DashboardProtocol.GroupEdge("load", "<b>total</b>");
  }

  private static DashboardProtocol.WorkerSummary workerSummary() {
    return new DashboardProtocol.WorkerSummary("worker-1", "10.0.0.2", "10.0.0.2:4242", 2, 3, 4, 4096L, 0.75);
  }

  private static WorkerProtocol.LogLine logLine() {
    return new WorkerProtocol.LogLine(7L, 1_700_000_000_000L, "INFO", "org.tasklane.worker.Worker", "exec-0",
        "load-1", "<script>alert(1)</script> started");
  }

  private static WorkerProtocol.ThreadStack threadStack() {
    return new WorkerProtocol.ThreadStack("exec-0", 31L, "TIMED_WAITING", null, "slowinc-1", 1_700_000_000_000_000L,
        List.of("java.base/java.lang.Thread.sleep(Native Method)", "org.tasklane.worker.builtin.SlowInc.call(SlowInc.java:30)"),
        5);
  }

  /** One instance of every record; {@link #everyProtocolRecordHasASample} keeps this list complete. */
  static Stream<Object> samples() {
    return Stream.of(
        // SchedulerProtocol
        new SchedulerProtocol.SubmitGraph("g-1", graphSpec(), ref()),
        new SchedulerProtocol.SubmitReply("g-1", 2, null, false),
        new SchedulerProtocol.SubmitReply("g-2", 0, "full", true),
        new SchedulerProtocol.GetGraphStatus("g-1", Duration.ofSeconds(30), ref()),
        new SchedulerProtocol.StatusReply(graphStatus()),
        new SchedulerProtocol.GetFinishedKeys("g-1", 3, Duration.ofSeconds(10), ref()),
        new SchedulerProtocol.FinishedKeysReply(
            new org.tasklane.protocol.api.FinishedKeys("g-1", "running", List.of("a", "b"), 5, 9)),
        new org.tasklane.protocol.api.FinishedKeys("g-1", "done", List.of(), 9, 9),
        new SchedulerProtocol.ListGraphs(ref()),
        new SchedulerProtocol.GraphList(List.of(graphSummary())),
        new SchedulerProtocol.GetResultLocations("g-1", ref()),
        new SchedulerProtocol.ResultLocations(null,
            Map.of("total", new SchedulerProtocol.Location(12L, List.of(ref()))), Map.of("load-7", "boom")),
        new SchedulerProtocol.ResultLocations(null, Map.of(), Map.of("load-7", "boom"),
            Map.of("load-7", "java.lang.IllegalStateException: boom\n\tat demo.Greeter.hello(Greeter.java:3)\n")),
        new SchedulerProtocol.Location(12L, List.of(ref(), ref())),
        new SchedulerProtocol.ForgetGraph("g-1", ref()),
        new SchedulerProtocol.ForgetReply("g-1", true),
        new SchedulerProtocol.ListWorkers(ref()),
        new SchedulerProtocol.WorkerList(List.of(new SchedulerProtocol.WorkerEntry(workerInfo(), ref(), 3, 17))),
        new SchedulerProtocol.WorkerEntry(workerInfo(), ref(), 0, 0),
        new SchedulerProtocol.RegisterWorker(ref(), ref(), workerInfo()),
        new SchedulerProtocol.TasksFinished(ref(), List.of(taskReport())),
        new SchedulerProtocol.Pong(ref(), 123_456_789L),
        new SchedulerProtocol.Pong(ref(), 123_456_789L, true),
        new SchedulerProtocol.WorkerPaused(ref(), true),
        new SchedulerProtocol.RetireWorker(ref(), Duration.ofSeconds(30)),
        new SchedulerProtocol.ReplicasFetched(ref(), List.of(11L, 12L), List.of(13L)),
        new SchedulerProtocol.GetDashboardSnapshot(3L, ref()),
        new SchedulerProtocol.ExplainTask("g-1", "<b>total</b>", ref()),
        new SchedulerProtocol.ExplainReply(taskExplanation(), null),
        new SchedulerProtocol.ExplainReply(null, "no graph g-9 on this scheduler"),
        // DashboardProtocol
        new DashboardProtocol.SchedulerEvents("inc-1", 7L, 1_700_000_000_000L, List.of(groupProgress()), List.of("old"),
            List.of(taskEvent()), 3L, List.of(workerSummary()), true, List.of(graphEvent())),
        taskEvent(),
        new DashboardProtocol.TaskEvent(13L, "fail-1", "fail", "g-1", "worker-1", "exec-0", 1L, 2L, "erred", 0L,
            "RuntimeException: <b>no</b>", List.of(), List.of(),
            "java.lang.RuntimeException: <b>no</b>\n\tat demo.Job.run(Job.java:3)\n"),
        workerSummary(),
        new DashboardProtocol.WorkerMetrics("worker-1", "winc-1", 4L, 1_700_000_000_000L, "10.0.0.2", "10.0.0.2:4242",
            2, DashboardProtocol.WorkerFigures.NONE),
        new DashboardProtocol.WorkerMetrics("worker-1", "winc-1", 5L, 1_700_000_000_500L, "10.0.0.2", "10.0.0.2:4242",
            2, workerFigures()),
        workerFigures(),
        workerFigures().tasks(),
        workerFigures().transfers(),
        workerFigures().process(),
        workerFigures().host(),
        DashboardProtocol.WorkerMemory.NONE,
        new DashboardProtocol.WorkerMetricsBatch(List.of(
            new DashboardProtocol.WorkerMetrics("w-1", "winc-2", 1L, 1_700_000_000_000L, "10.0.0.3", "10.0.0.3:4243",
                1, DashboardProtocol.WorkerFigures.NONE),
            new DashboardProtocol.WorkerMetrics("w-2", "winc-3", 1L, 1_700_000_000_000L, "10.0.0.3", "10.0.0.3:4243",
                1, workerFigures()))),
        new WorkerProtocol.LargeAssignment(new WorkerProtocol.AssignTasks(List.of())),
        new DashboardProtocol.SnapshotPiece(3L, 1, 2, new byte[] {1, 2, 3}),
        new DashboardProtocol.Snapshot("inc-1", 7L, 1_700_000_000_000L, List.of(groupProgress()), List.of(taskEvent()),
            List.of(workerSummary()), List.of(graphEvent())),
        graphEvent(),
        groupEdge(),
        new DashboardProtocol.WorkerProfile("worker-1", "winc-1", 3L, 1_700_000_000_000L, 1_700_000_002_000L, 20,
            List.of("java.lang.Thread.run", "demo.Job.<b>spin</b>"),
            List.of(new DashboardProtocol.ProfileTree("spin", List.of(0, 1), List.of(-1, 0), List.of(40L, 38L), List.of(1))),
            2L, 7L),
        new DashboardProtocol.ProfileTree("<b>g</b>", List.of(0), List.of(-1), List.of(1L), List.of()),
        // WorkerProtocol
        new WorkerProtocol.Ping(123_456_789L, ref()),
        new WorkerProtocol.RegisterWith(ref(), "incarnation-1"),
        new WorkerProtocol.RegisterWith(ref(), "incarnation-2", ref()),
        new WorkerProtocol.AssignTasks(List.of(
            new TaskAssignment(12L, "total", "total", "sum", richArgs(), List.of(input())))),
        new WorkerProtocol.ReleaseResults(List.of(11L, 12L)),
        new WorkerProtocol.FetchReplicas(List.of(input())),
        new WorkerProtocol.Retired(12, 4096L, 1, false, 230L),
        new WorkerProtocol.GetWorkerStatus(ref()),
        new WorkerProtocol.WorkerStatus(workerInfo(), workerFigures(), List.of(1L, 2L, 3L)),
        new WorkerProtocol.FetchData(77L, List.of(11L, 12L), ref()),
        new WorkerProtocol.DataFetched(77L, "worker-2", List.of(new WorkerProtocol.DataItem(11L, richValue(), 300L)),
            List.of(12L)),
        new WorkerProtocol.DataItem(11L, richValue(), 300L),
        new WorkerProtocol.GetRunningTasks(ref()),
        new WorkerProtocol.RunningTasks("worker-1", 1_700_000_000_000L, 3,
            List.of(new WorkerProtocol.RunningTask(12L, "<b>slowinc-1</b>", "exec-0", 1_700_000_000_000_000L))),
        new WorkerProtocol.RunningTask(12L, "slowinc-1", "exec-0", 1_700_000_000_000_000L),
        new WorkerProtocol.GetLogs(41L, 1000, ref()),
        new WorkerProtocol.Logs("worker-1", List.of(logLine()), 4L, 7L),
        logLine(),
        new WorkerProtocol.GetThreadDump(ref()),
        new WorkerProtocol.ThreadDump("worker-1", 1_700_000_000_000L, List.of(threadStack()), 40, false),
        threadStack(),
        new WorkerProtocol.Refused("one thread dump per 5 s: try again in 3.2 s", 3200L),
        // CodeProtocol
        new CodeProtocol.FetchCode("ab".repeat(32), 1L << 20, ref()),
        new CodeProtocol.CodeChunk("ab".repeat(32), 0L, 3L, new byte[] {'P', 'K', 3}, null),
        CodeProtocol.CodeChunk.failed("cd".repeat(32), 0L, "this scheduler does not hold jar cdcd..."),
        // the records they carry
        new TaskAssignment(12L, "total", "total", "sum", richArgs(), List.of(input())),
        input(),
        taskReport(),
        new TaskReport(13L, TaskReport.Outcome.OK, 512L, 1L, 2L, "tasklane-exec-2", List.of(), null, List.of()),
        transfer(),
        workerInfo(),
        graphSpec(),
        taskSpec(),
        // api
        graphStatus(),
        groupProgress(),
        graphSummary(),
        taskExplanation(),
        taskExplanation().inputs().get(0),
        taskExplanation().lastRun());
  }

  private static org.tasklane.protocol.api.TaskExplanation taskExplanation() {
    return new org.tasklane.protocol.api.TaskExplanation("g-1", "total", "total", "sum", "memory",
        "Done: its result (8 bytes) is held by worker-1.", List.of("it was computed again"), null, List.of("worker-1"),
        8L, List.of(new org.tasklane.protocol.api.TaskExplanation.Input("load-0", "memory", 100L, List.of("worker-2"),
            null)), 3, 100L, 0, 2, 0, 1, 0, 3, 0L, 1_700_000_000_000L, null, null,
        new org.tasklane.protocol.api.TaskExplanation.Run("worker-1", "exec-0", 1_700_000_000_000.5,
            1_700_000_000_100.25, "memory", 1, 100L, 0.5));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void roundTripsEqual(Object message) {
    Object back = testKit.serializationTestKit().verifySerialization(message, true);
    assertNotSame(message, back);
    assertEquals(message, back);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("samples")
  void usesJacksonCbor(Object message) {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    Serializer serializer = serialization.findSerializerFor(message);
    assertInstanceOf(JacksonCborSerializer.class, serializer, () -> message.getClass() + ": " + serializer);
    int cborId = testKit.system().settings().config().getInt("pekko.actor.serialization-identifiers.jackson-cbor");
    assertEquals(cborId, serializer.identifier());
  }

  @Test
  void jsonValuesKeepTheirNodeTypes() {
    WorkerProtocol.DataItem back =
        testKit.serializationTestKit().verifySerialization(new WorkerProtocol.DataItem(1L, richValue(), 10L), true);
    JsonNode v = back.value();
    assertTrue(v.get("int").isInt());
    assertTrue(v.get("long").isLong());
    assertTrue(v.get("double").isDouble());
    assertTrue(v.get("binary").isBinary());
    assertTrue(v.get("nothing").isNull());
    assertTrue(v.get("nested").get("list").isArray());
  }

  /** A new record in the protocol module must get a sample above. */
  @Test
  void everyProtocolRecordHasASample() throws Exception {
    Set<String> covered = samples().map(m -> m.getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
    Set<String> records = new TreeSet<>();
    for (String name : protocolClassNames()) {
      Class<?> c = Class.forName(name, false, CborSerializable.class.getClassLoader());
      if (c.isRecord() && CborSerializable.class.isAssignableFrom(c)) {
        records.add(name);
      }
    }
    assertTrue(records.size() > 30, "found the records: " + records);
    records.removeAll(covered);
    assertEquals(Set.of(), records, "CborSerializable records without a sample in samples()");
  }

  /** The classes of the protocol module and of the API records' module, from their classes directories or jars. */
  private static List<String> protocolClassNames() throws Exception {
    List<String> names = new java.util.ArrayList<>();
    for (Class<?> inModule : List.of(CborSerializable.class, TaskAssignment.class)) {
      Path root = Path.of(inModule.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (Files.isDirectory(root)) {
        names.addAll(classNames(root));
      } else {
        try (FileSystem jar = FileSystems.newFileSystem(root)) {
          names.addAll(classNames(jar.getPath("/")));
        }
      }
    }
    return names;
  }

  private static List<String> classNames(Path root) throws Exception {
    try (Stream<Path> files = Files.walk(root.resolve("org/tasklane/protocol"))) {
      return files
          .map(f -> root.relativize(f).toString())
          .filter(f -> f.endsWith(".class"))
          .map(f -> f.substring(0, f.length() - ".class".length()).replace('/', '.').replace('\\', '.'))
          .collect(Collectors.toList());
    }
  }

  private static DashboardProtocol.WorkerFigures workerFigures() {
    return new DashboardProtocol.WorkerFigures(
        new DashboardProtocol.WorkerFigures.Tasks(1, 3, 10, 4096L, 70L),
        new DashboardProtocol.WorkerFigures.Transfers(5L, 500L, 6L, 600L),
        new DashboardProtocol.WorkerFigures.Process(87.5, 300_000_000L, 268_435_456L),
        DashboardProtocol.WorkerFigures.Host.ofRates(1234.5, 2345.5, 0.0, 4096.0),
        new DashboardProtocol.WorkerMemory(150_000_000L, 900_000_000L, 110, 40_000_000L, 268_435_456L,
            0.6, 0.7, 0.8, 0.95, true, 120L, 30L, 2L, 1L));
  }
}
