package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.SnapshotPieces;
import org.tasklane.protocol.Topics;

/** The Dashboard actor: finding the scheduler, snapshots, gaps, losing and regaining it, topics. */
class DashboardTest {
  static final ActorTestKit testKit = ActorTestKit.create("DashboardTest", ConfigFactory.load("application-test"));
  static final ObjectMapper json = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** A dashboard actor and what it offers to browsers (pings left out). */
  record Watched(ActorRef<DashboardProtocol.Command> dashboard, BlockingQueue<UpdateHub.Update> updates,
      Materializer materializer) implements AutoCloseable {

    static Watched start() {
      Materializer mat = Materializer.createMaterializer(testKit.system());
      UpdateHub hub = UpdateHub.start(mat, 1024, 256);
      BlockingQueue<UpdateHub.Update> q = new LinkedBlockingQueue<>();
      hub.source().runWith(Sink.foreach(q::add), mat);
      // the hub gives a new consumer only what comes after it has attached, which happens on the
      // stream's own time: wait until a ping gets through before the dashboard speaks (else its
      // first status can go by unseen)
      long deadline = System.nanoTime() + WAIT.toNanos();
      UpdateHub.Update seen = null;
      while (seen == null) {
        assertTrue(System.nanoTime() < deadline, "the test's consumer never attached to the hub");
        hub.offer(new UpdateHub.Update(0, UpdateHub.PING, null));
        try {
          seen = q.poll(50, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }
      q.clear();
      ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-json", Optional.empty());
      DashboardSettings settings = DashboardSettings.fromConfig(testKit.system().settings().config());
      return new Watched(testKit.spawn(Dashboard.create(settings, hub, mapper)), q, mat);
    }

    /** The next update named {@code event} (others are skipped), as JSON. */
    JsonNode next(String event) throws InterruptedException, IOException {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        UpdateHub.Update u = updates.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        assertNotNull(u, "no " + event + " update within " + WAIT);
        if (u.event().equals(event)) { // pings (and the ones start() sent) are skipped here too
          JsonNode data = json.readTree(u.json());
          assertEquals(u.seq(), data.get("seq").asLong());
          return data;
        }
      }
    }

    @Override
    public void close() {
      testKit.stop(dashboard);
      materializer.shutdown();
    }
  }

  static void register(ActorRef<SchedulerProtocol.Command> scheduler) {
    testKit.system().receptionist().tell(Receptionist.register(SchedulerProtocol.SERVICE_KEY, scheduler));
  }

  static void deregister(ActorRef<SchedulerProtocol.Command> scheduler) {
    testKit.system().receptionist().tell(Receptionist.deregister(SchedulerProtocol.SERVICE_KEY, scheduler));
  }

  static ActorRef<DashboardProtocol.SnapshotAnswer> expectSnapshotRequest(TestProbe<SchedulerProtocol.Command> scheduler) {
    return scheduler.expectMessageClass(SchedulerProtocol.GetDashboardSnapshot.class, WAIT).replyTo();
  }

  static <T> T ask(ActorRef<DashboardProtocol.Command> d, java.util.function.Function<ActorRef<T>, DashboardProtocol.Command> f) {
    TestProbe<T> probe = testKit.createTestProbe();
    d.tell(f.apply(probe.ref()));
    return probe.receiveMessage(WAIT);
  }

  @Test
  void itAsksTheSchedulerForASnapshotWhenItAppearsOnAGapAndOnANewIncarnation() throws Exception {
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();
    register(scheduler.ref());
    try (Watched w = Watched.start()) {
      expectSnapshotRequest(scheduler).tell(snapshot("inc-A", 5, List.of(group("load", 3, 1, 0, 0, 1)),
          tasks(1, 3), List.of(summary("w1", 2, 1))));
      JsonNode status = w.next("status");
      assertTrue(status.get("connected").asBoolean());
      assertTrue(status.get("message").asText().startsWith("connected to the scheduler at "), status.toString());
      JsonNode snap = w.next("snapshot");
      assertTrue(snap.get("connected").asBoolean(), "every browser gets the state again");
      assertEquals("load", snap.get("groups").get(0).get("name").asText());
      assertEquals(3, snap.get("tasks").size());

      // in order: no question
      w.dashboard().tell(groupsBatch("inc-A", 6, group("load", 3, 2, 0, 0, 1)));
      assertEquals(2, w.next("progress").get("groups").get(0).get("memory").asInt());
      scheduler.expectNoMessage(Duration.ofMillis(300));

      // batch 7 is lost: a gap
      w.dashboard().tell(groupsBatch("inc-A", 8, group("load", 3, 3, 0, 0, 0), group("sum", 1, 0, 0, 0, 0)));
      expectSnapshotRequest(scheduler).tell(snapshot("inc-A", 8, List.of(group("load", 3, 3, 0, 0, 0),
          group("sum", 1, 0, 0, 0, 0)), tasks(1, 4), List.of(summary("w1", 2, 0))));
      Dashboard.GroupsReply groups = ask(w.dashboard(), Dashboard.GetGroups::new);
      assertEquals(List.of("load", "sum"), groups.groups().stream().map(DashboardView.Group::name).toList());
      w.dashboard().tell(batch("inc-A", 9, List.of(), List.of(), tasks(5, 5)));
      scheduler.expectNoMessage(Duration.ofMillis(300));

      // the scheduler restarted: a new incarnation, whose tasks replace the old ones in every browser
      w.dashboard().tell(batch("inc-B", 1, List.of(group("fresh", 1, 0, 0, 0, 1)), List.of(), tasks(1, 1)));
      expectSnapshotRequest(scheduler).tell(snapshot("inc-B", 1, List.of(group("fresh", 1, 0, 0, 0, 1)),
          tasks(1, 1), List.of()));
      JsonNode fresh = w.next("snapshot");
      assertEquals(1, fresh.get("tasks").size());
      Dashboard.TasksReply tasks = ask(w.dashboard(), r -> new Dashboard.GetTasks(100, r));
      assertEquals(1, tasks.tasks().size());
      Dashboard.GroupsReply after = ask(w.dashboard(), Dashboard.GetGroups::new);
      assertEquals(List.of("fresh"), after.groups().stream().map(DashboardView.Group::name).toList());
    } finally {
      deregister(scheduler.ref());
    }
  }

  @Test
  void itSaysWhenItLosesTheSchedulerAndSendsAFreshSnapshotWhenItIsBack() throws Exception {
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();
    register(scheduler.ref());
    try (Watched w = Watched.start()) {
      expectSnapshotRequest(scheduler).tell(snapshot("inc-A", 1, List.of(group("load", 2, 0, 0, 0, 2)),
          List.of(), List.of()));
      assertTrue(w.next("status").get("connected").asBoolean());

      deregister(scheduler.ref());
      JsonNode lost = w.next("status");
      assertFalse(lost.get("connected").asBoolean());
      assertTrue(lost.get("message").asText().matches("lost the scheduler at .+; showing the last known state"),
          lost.toString());
      Dashboard.SnapshotReply meanwhile = ask(w.dashboard(), Dashboard.GetSnapshot::new);
      assertFalse(meanwhile.snapshot().connected());
      assertEquals("load", meanwhile.snapshot().groups().get(0).name(), "the last known state");

      register(scheduler.ref());
      expectSnapshotRequest(scheduler).tell(snapshot("inc-A", 4, List.of(group("load", 2, 2, 0, 0, 0)),
          tasks(1, 2), List.of()));
      assertTrue(w.next("status").get("connected").asBoolean());
      JsonNode again = w.next("snapshot");
      assertTrue(again.get("connected").asBoolean());
      assertEquals(2, again.get("groups").get(0).get("memory").asInt());
    } finally {
      deregister(scheduler.ref());
    }
  }

  @Test
  void aSnapshotThatDoesNotComeIsAskedForAgain() throws Exception {
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();
    register(scheduler.ref());
    try (Watched w = Watched.start()) {
      expectSnapshotRequest(scheduler); // never answered (ask-timeout = 2s in application-test.conf)
      expectSnapshotRequest(scheduler).tell(snapshot("inc-A", 1, List.of(), List.of(), List.of()));
      assertTrue(w.next("status").get("connected").asBoolean());
    } finally {
      deregister(scheduler.ref());
    }
  }

  /** As a scheduler on another node answers: the snapshot's bytes in pieces, a bad piece failing the request. */
  @Test
  void aSnapshotInPiecesIsPutTogetherAndABadPieceMakesItAskAgain() throws Exception {
    TestProbe<SchedulerProtocol.Command> scheduler = testKit.createTestProbe();
    register(scheduler.ref());
    try (Watched w = Watched.start()) {
      SchedulerProtocol.GetDashboardSnapshot first =
          scheduler.expectMessageClass(SchedulerProtocol.GetDashboardSnapshot.class, WAIT);
      // more than one piece: 3,000 task records with keys of 500 characters
      List<DashboardProtocol.TaskEvent> many = new java.util.ArrayList<>();
      for (long id = 1; id <= 3000; id++) {
        many.add(task(id, "k".repeat(500) + "-" + id));
      }
      List<DashboardProtocol.SnapshotPiece> pieces = SnapshotPieces.split(testKit.system(), first.request(),
          snapshot("inc-A", 5, List.of(group("load", 3000, 3000, 0, 0, 0)), many, List.of()));
      assertTrue(pieces.size() > 1, pieces.toString());
      // a piece out of order fails the request; the dashboard asks again after a while
      first.replyTo().tell(pieces.get(1));
      SchedulerProtocol.GetDashboardSnapshot second =
          scheduler.expectMessageClass(SchedulerProtocol.GetDashboardSnapshot.class, Duration.ofSeconds(15));
      assertTrue(second.request() > first.request());
      // the first request's pieces, late, are not taken for the second's
      pieces.forEach(first.replyTo()::tell);
      scheduler.expectNoMessage(Duration.ofMillis(300));
      SnapshotPieces.split(testKit.system(), second.request(),
          snapshot("inc-A", 5, List.of(group("load", 3000, 3000, 0, 0, 0)), many, List.of()))
          .forEach(second.replyTo()::tell);
      JsonNode snap;
      do {
        snap = w.next("snapshot");
      } while (!snap.get("connected").asBoolean());
      assertEquals(3000, snap.get("groups").get(0).get("memory").asInt());
      assertEquals("k".repeat(500) + "-3000", snap.get("tasks").get(snap.get("tasks").size() - 1).get("key").asText());
    } finally {
      deregister(scheduler.ref());
    }
  }

  @Test
  void itFollowsBothTopics() throws Exception {
    try (Watched w = Watched.start()) {
      ActorRef<Topic.Command<DashboardProtocol.WorkerMetrics>> metrics = testKit.spawn(
          Topic.create(DashboardProtocol.WorkerMetrics.class, Topics.WORKER_METRICS));
      ActorRef<Topic.Command<DashboardProtocol.SchedulerEvents>> events = testKit.spawn(
          Topic.create(DashboardProtocol.SchedulerEvents.class, Topics.SCHEDULER_EVENTS));
      TestProbe<Void> probe = testKit.createTestProbe();
      long[] seq = {0};
      // a topic delivers only to subscribers it knows: publish until the first one arrives
      probe.awaitAssert(WAIT, () -> {
        seq[0]++;
        metrics.tell(Topic.publish(metrics("w7", seq[0], 3, 1)));
        events.tell(Topic.publish(groupsBatch("inc-T", seq[0], group("topic-group", 5, seq[0] > 5 ? 5 : (int) seq[0],
            0, 0, 0))));
        Dashboard.WorkersReply workers = ask(w.dashboard(), Dashboard.GetWorkers::new);
        assertEquals(List.of("w7"), workers.workers().stream().map(DashboardView.Worker::name).toList());
        Dashboard.GroupsReply groups = ask(w.dashboard(), Dashboard.GetGroups::new);
        assertEquals(List.of("topic-group"), groups.groups().stream().map(DashboardView.Group::name).toList());
        return null;
      });
      JsonNode workers = w.next("workers");
      assertEquals(3, workers.get("workers").get(0).at("/figures/tasks/executing").asInt());
      JsonNode resources = w.next("resources");
      assertEquals(1, resources.get("resources").get("workers").asInt());
      assertEquals(4, resources.get("resources").get("threads").asInt());
    }
  }

  @Test
  void itAppliesEachEntryOfAWorkerJvmsBatchFromTheTopic() throws Exception {
    try (Watched w = Watched.start()) {
      // a worker JVM's publisher speaks on the topic as DashboardProtocol.Command (MetricsPublisher)
      ActorRef<Topic.Command<DashboardProtocol.Command>> metrics = testKit.spawn(
          Topic.create(DashboardProtocol.Command.class, Topics.WORKER_METRICS));
      TestProbe<Void> probe = testKit.createTestProbe();
      long[] seq = {0};
      probe.awaitAssert(WAIT, () -> {
        seq[0]++;
        metrics.tell(Topic.publish(new DashboardProtocol.WorkerMetricsBatch(List.of(
            metrics("jvm-1", seq[0], 1, 0), metrics("jvm-2", seq[0], 2, 0), metrics("jvm-3", seq[0], 0, 0)))));
        Dashboard.WorkersReply workers = ask(w.dashboard(), Dashboard.GetWorkers::new);
        assertEquals(List.of("jvm-1", "jvm-2", "jvm-3"),
            workers.workers().stream().map(DashboardView.Worker::name).sorted().toList());
        return null;
      });
    }
  }

  @Test
  void everySecondItAddsAPointToThePlotThatTheResourcesEventAndLaterSnapshotsCarry() throws Exception {
    try (Watched w = Watched.start()) {
      w.dashboard().tell(metrics("w1", 1, 1, 0));
      w.dashboard().tell(metrics("w2", 1, 0, 0));
      JsonNode first = w.next("resources");
      JsonNode point = first.get("point");
      assertEquals(java.util.Set.of("time", "cpu", "memory", "memoryLimit", "workers", "managed", "unmanaged", "spilled"), fieldNames(point));
      assertEquals(0, point.get("time").asLong() % 1000, "the start of its second");
      assertEquals(2, point.get("workers").asInt());
      assertEquals(50.0, point.get("cpu").asDouble(), "25 % + 25 %");
      assertEquals(400_000_000L, point.get("memory").asLong());
      assertEquals(2_000_000_000L, point.get("memoryLimit").asLong());
      JsonNode totals = first.get("resources");
      assertEquals(50.0, totals.get("cpu").asDouble());
      assertEquals(400_000_000L, totals.get("memory").asLong());
      assertEquals(2_000_000_000L, totals.get("memoryLimit").asLong());

      JsonNode second = w.next("resources").get("point");
      assertTrue(second.get("time").asLong() > point.get("time").asLong(), "one point per second");

      Dashboard.SnapshotReply snap = ask(w.dashboard(), Dashboard.GetSnapshot::new);
      List<DashboardView.ResourcePoint> history = snap.snapshot().history();
      assertTrue(history.size() >= 2, history.toString());
      assertEquals(point.get("time").asLong(), history.get(0).time(), "a new page gets the points it missed");
      Dashboard.ResourceHistoryReply direct = ask(w.dashboard(), Dashboard.GetResourceHistory::new);
      assertEquals(history.subList(0, 2), direct.points().subList(0, 2));
    }
  }

  static java.util.Set<String> fieldNames(JsonNode n) {
    java.util.Set<String> out = new java.util.TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}
