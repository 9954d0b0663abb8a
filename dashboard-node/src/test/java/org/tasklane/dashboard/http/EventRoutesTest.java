package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import com.typesafe.config.ConfigFactory;

/** The SSE contract of docs/dashboard.md, over real HTTP against a real dashboard actor. */
class EventRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("EventRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String INC = "sched-1";

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static JsonNode data(SseClient.Event e) {
    try {
      return json.readTree(e.data());
    } catch (IOException ex) {
      throw new AssertionError("not JSON: " + e.data(), ex);
    }
  }

  /** A dashboard that has a snapshot with one group and two tasks. */
  static TestingDashboard started() throws Exception {
    TestingDashboard d = TestingDashboard.start(testKit);
    d.dashboard.tell(snapshot(INC, 0, List.of(group("load", 4, 1, 0, 0, 1)), tasks(1, 2), List.of(summary("w1", 2, 1))));
    return d;
  }

  @Test
  void theStreamIsAnEventStreamThatStartsWithASnapshot() throws Exception {
    try (TestingDashboard d = started(); SseClient c = SseClient.connect(http, d.uri("events"))) {
      assertEquals(200, c.response.statusCode());
      assertTrue(c.response.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"),
          c.response.headers().toString());
      assertEquals("no-cache", c.response.headers().firstValue("Cache-Control").orElse(""));
      assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY,
          c.response.headers().firstValue("Content-Security-Policy").orElse(""));
      SseClient.Event first = c.nextEvent(WAIT);
      assertEquals("snapshot", first.type());
      JsonNode s = data(first);
      assertEquals(Long.parseLong(first.id()), s.get("seq").asLong(), "the id is the snapshot's seq");
      assertTrue(s.has("now") && s.has("connected") && s.has("resources"), s.toString());
      assertFalse(s.get("connected").asBoolean(), "no scheduler in this test");
      assertEquals("load", s.get("groups").get(0).get("name").asText());
      assertEquals(2, s.get("tasks").size());
      assertEquals(1, s.get("workers").size());
    }
  }

  @Test
  void everyEventIsNamedAndItsIdGrowsByOne() throws Exception {
    try (TestingDashboard d = started(); SseClient c = SseClient.connect(http, d.uri("events"))) {
      SseClient.Event snap = c.nextEvent(WAIT);
      assertEquals("snapshot", snap.type());
      long last = Long.parseLong(snap.id());
      d.dashboard.tell(batch(INC, 1, List.of(group("load", 4, 2, 0, 0, 2)), List.of(), tasks(3, 5)));
      Set<String> seen = new HashSet<>();
      while (!seen.containsAll(Set.of("progress", "tasks", "workers", "resources"))) {
        SseClient.Event e = c.nextEvent(WAIT);
        long id = Long.parseLong(e.id());
        assertEquals(last + 1, id, "ids grow by one: " + e);
        last = id;
        JsonNode data = data(e);
        assertEquals(id, data.get("seq").asLong(), "data.seq is the id");
        seen.add(e.type());
        switch (e.type()) {
          case "progress" -> {
            assertEquals("load", data.get("groups").get(0).get("name").asText());
            assertEquals(2, data.get("groups").get(0).get("memory").asInt());
            assertTrue(data.get("removed").isArray());
          }
          case "tasks" -> assertEquals(List.of(3L, 4L, 5L), ids(data.get("tasks")));
          case "workers" -> assertEquals("w1", data.get("workers").get(0).get("name").asText());
          case "resources" -> assertEquals(1, data.get("resources").get("workers").asInt());
          default -> fail("unexpected event " + e);
        }
      }
    }
  }

  static List<Long> ids(JsonNode tasks) {
    List<Long> out = new ArrayList<>();
    tasks.forEach(t -> out.add(t.get("id").asLong()));
    return out;
  }

  @Test
  void anIdleStreamGetsCommentHeartbeats() throws Exception {
    try (TestingDashboard d = started(); SseClient c = SseClient.connect(http, d.uri("events"))) {
      assertEquals("snapshot", c.nextEvent(WAIT).type());
      // heartbeat = 300ms in application-test.conf; updates come at most every second when idle
      long deadline = System.nanoTime() + WAIT.toNanos();
      SseClient.Event e;
      do {
        e = c.next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      } while (!e.isComment());
      assertEquals("", e.data(), "a bare comment line");
    }
  }

  @Test
  void aReconnectWithAnyLastEventIdGetsAFreshSnapshotFirst() throws Exception {
    try (TestingDashboard d = started()) {
      try (SseClient first = SseClient.connect(http, d.uri("events"))) {
        assertEquals("snapshot", first.nextEvent(WAIT).type());
        d.dashboard.tell(batch(INC, 1, List.of(group("more", 3, 0, 0, 0, 3)), List.of(), tasks(3, 3)));
        assertEquals("progress", awaitType(first, "progress").type());
      }
      for (String lastId : List.of("42", "garbage", "")) {
        try (SseClient again = SseClient.connect(http, d.uri("events"), "Last-Event-ID", lastId)) {
          assertEquals(200, again.response.statusCode());
          SseClient.Event e = again.nextEvent(WAIT);
          assertEquals("snapshot", e.type(), "Last-Event-ID '" + lastId + "'");
          JsonNode s = data(e);
          assertEquals(List.of("load", "more"), List.of(s.get("groups").get(0).get("name").asText(),
              s.get("groups").get(1).get("name").asText()), "the current state");
          assertEquals(List.of(1L, 2L, 3L), ids(s.get("tasks")));
        }
      }
    }
  }

  static SseClient.Event awaitType(SseClient c, String type) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (true) {
      SseClient.Event e = c.nextEvent(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (e.type().equals(type)) {
        return e;
      }
    }
  }

  @Test
  void aStalledClientIsDroppedWhileAReadingClientGetsEveryEvent() throws Exception {
    try (TestingDashboard d = started(); SseClient reader = SseClient.connect(http, d.uri("events"));
        Socket stalled = new Socket()) {
      SseClient.Event snap = reader.nextEvent(WAIT);
      assertEquals("snapshot", snap.type());
      long[] last = {Long.parseLong(snap.id())};

      stalled.setReceiveBufferSize(4096);
      stalled.connect(new InetSocketAddress("127.0.0.1", d.port()), 5000);
      stalled.getOutputStream().write(("GET " + d.settings.prefixPath() + "events HTTP/1.1\r\nHost: 127.0.0.1\r\n"
          + "Accept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      stalled.getOutputStream().flush();
      TestProbe<Void> probe = testKit.createTestProbe();
      probe.awaitAssert(WAIT, () -> {
        assertEquals(2, d.stats.clients());
        return null;
      });

      // large updates (tasks with 2 KB errors), until the stalled client's buffer overflows
      String error = "x".repeat(2048);
      long[] seq = {1};
      long[] nextTask = {100};
      probe.awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(50), () -> {
        List<DashboardProtocol.TaskEvent> big = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
          long id = nextTask[0]++;
          big.add(erred(id, "big-" + id, error));
        }
        d.dashboard.tell(batch(INC, seq[0]++, List.of(group("big", (int) nextTask[0], 0, 0, 0, 1)), List.of(), big));
        drainInOrder(reader, last);
        assertEquals(1, d.stats.clients(), "the stalled client is dropped");
        return null;
      });
      assertEquals(1, d.stats.clientsDropped());

      // its connection is closed by the server (after what was already in flight)
      stalled.setSoTimeout(10_000);
      assertTrue(readsToTheEnd(stalled.getInputStream()), "the server closed the stalled connection");

      // the reading client still gets every event, in order
      d.dashboard.tell(batch(INC, seq[0]++, List.of(), List.of(), List.of(task(999_999, "after-drop"))));
      probe.awaitAssert(WAIT, () -> {
        assertTrue(drainInOrder(reader, last).contains("after-drop"), "the reading client got the later tasks");
        return null;
      });
      assertFalse(reader.ended());
    }
  }

  /** Takes the events received so far; asserts their ids follow each other; returns their data. */
  static String drainInOrder(SseClient c, long[] last) {
    StringBuilder all = new StringBuilder();
    SseClient.Event e;
    while ((e = c.poll()) != null) {
      if (e.isComment()) {
        continue;
      }
      long id = Long.parseLong(e.id());
      assertEquals(last[0] + 1, id, "the reading client missed nothing: " + e.type());
      last[0] = id;
      if (e.data().contains("after-drop")) {
        all.append("after-drop");
      }
    }
    return all.toString();
  }

  /** True if the stream ends (or is reset) before a read times out. */
  static boolean readsToTheEnd(InputStream in) throws IOException {
    byte[] buf = new byte[64 * 1024];
    try {
      while (in.read(buf) >= 0) {
        // what was in flight
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset by the server
    }
  }
}
