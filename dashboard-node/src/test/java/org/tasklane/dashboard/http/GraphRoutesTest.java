package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.group;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.SchedulerProtocol;

/**
 * {@code api/v1/graphs.json}, {@code api/v1/graph.json}, the {@code graphs} event and the graph page,
 * over real HTTP, for a dashboard that joins while a graph runs (it learns the edges from the snapshot).
 */
class GraphRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("GraphRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final Duration WAIT = Duration.ofSeconds(10);
  static final String INC = "sched-1";
  static final String HTML_NAME = "<img src=x onerror=alert(1)>";
  static TestingDashboard d;

  /** A scheduler whose snapshot holds one running graph of three groups, a → b → HTML_NAME. */
  static Behavior<SchedulerProtocol.Command> testingScheduler() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(SchedulerProtocol.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(m -> {
        if (m instanceof SchedulerProtocol.GetDashboardSnapshot s) {
          s.replyTo().tell(new DashboardProtocol.Snapshot(INC, 1, 0, List.of(), List.of(), List.of(),
              List.of(new DashboardProtocol.GraphEvent("g-1", "three <b>groups</b>", "running", 1_000, 0, 30, 0,
                  List.of(group("a", 10, 4, 0, 0, 1), group("b", 10, 0, 0, 0, 0), group(HTML_NAME, 10, 0, 0, 0, 0)),
                  List.of(new DashboardProtocol.GroupEdge("a", "b"), new DashboardProtocol.GroupEdge("b", HTML_NAME)),
                  false))));
        }
        return Behaviors.same();
      });
    });
  }

  @BeforeAll
  static void start() throws Exception {
    d = TestingDashboard.start(testKit);
    testKit.spawn(testingScheduler(), "scheduler");
  }

  @AfterAll
  static void stop() throws Exception {
    d.close();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(d.uri(path)).timeout(WAIT).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** graph.json of g-1, once the dashboard has the scheduler's snapshot. */
  static JsonNode graphOnceKnown() throws Exception {
    HttpResponse<String> r = testKit.<Object>createTestProbe().awaitAssert(WAIT, Duration.ofMillis(100), () -> {
      try {
        HttpResponse<String> answer = get("api/v1/graph.json?id=g-1");
        assertEquals(200, answer.statusCode(), answer.body());
        return answer;
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
    return json.readTree(r.body());
  }

  @Test
  void aGraphLearnedFromTheSnapshotHasItsGroupsAndEdges() throws Exception {
    JsonNode g = graphOnceKnown();
    assertEquals("three <b>groups</b>", g.get("graph").get("name").asText());
    assertEquals(3, g.get("groups").size());
    assertEquals(HTML_NAME, g.get("groups").get(2).get("name").asText());
    assertEquals(4, g.get("groups").get(0).get("memory").asInt());
    assertEquals("b", g.get("edges").get(1).get("from").asText());
    assertEquals(HTML_NAME, g.get("edges").get(1).get("to").asText());
    assertFalse(g.get("edgesTruncated").asBoolean());

    HttpResponse<String> list = get("api/v1/graphs.json");
    assertEquals(200, list.statusCode());
    JsonNode item = json.readTree(list.body()).get("graphs").get(0);
    assertEquals("g-1", item.get("id").asText());
    assertEquals(3, item.get("groups").asInt());
    assertEquals("running", item.get("state").asText());
  }

  @Test
  void laterCountsComeAsGraphsEventsAboveTheAnswersSeq() throws Exception {
    long seq = graphOnceKnown().get("seq").asLong();
    try (SseClient c = SseClient.connect(http, d.uri("events"))) {
      assertEquals("snapshot", c.nextEvent(WAIT).type());
      d.dashboard.tell(new DashboardProtocol.SchedulerEvents(INC, 2, 0, List.of(), List.of(), List.of(), 0, List.of(),
          false, List.of(new DashboardProtocol.GraphEvent("g-1", "three <b>groups</b>", "running", 1_000, 0, 30, 0,
              List.of(group("b", 10, 6, 0, 0, 2))))));
      SseClient.Event e = c.nextEvent(WAIT);
      while (!"graphs".equals(e.type())) {
        e = c.nextEvent(WAIT);
      }
      JsonNode v = json.readTree(e.data());
      assertTrue(v.get("seq").asLong() > seq);
      JsonNode change = v.get("graphs").get(0);
      assertEquals("g-1", change.get("graph").get("id").asText());
      assertEquals(1, change.get("groups").size(), "only the group that changed");
      assertEquals(6, change.get("groups").get(0).get("memory").asInt());
    }
    assertEquals(2, graphOnceKnown().get("edges").size(), "a change keeps the edges");
  }

  @Test
  void aBadOrUnknownIdIsOneLineOfError() throws Exception {
    HttpResponse<String> none = get("api/v1/graph.json");
    assertEquals(400, none.statusCode());
    assertTrue(json.readTree(none.body()).get("error").asText().startsWith("graph.json needs the graph's id"));
    assertEquals(400, get("api/v1/graph.json?id=" + "x".repeat(GraphRoutes.MAX_ID_CHARS + 1)).statusCode());
    assertEquals(400, get("api/v1/graph.json?id=a%0Ab").statusCode());
    HttpResponse<String> unknown = get("api/v1/graph.json?id=nope");
    assertEquals(404, unknown.statusCode());
    assertTrue(json.readTree(unknown.body()).get("error").asText().startsWith("this dashboard holds no graph 'nope'"));
  }

  @Test
  void thePageAndTheLayoutLibraryAreServedFromTheJarUnderTheCsp() throws Exception {
    HttpResponse<String> r = get("graph");
    assertEquals(200, r.statusCode());
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null));
    assertTrue(r.body().contains("<script src=\"assets/graphview.js\" defer></script>"));
    HttpResponse<String> worker = get("assets/graphlayout.js");
    assertEquals(200, worker.statusCode());
    assertTrue(worker.body().contains("importScripts(\"vendor/dagre/dagre.min.js\")"), "the layout worker loads dagre");
    HttpResponse<String> lib = get("assets/vendor/dagre/dagre.min.js");
    assertEquals(200, lib.statusCode());
    assertTrue(lib.body().startsWith("\"use strict\";var dagre="), "the pinned build, as npm serves it");
    assertEquals(200, get("assets/vendor/dagre/LICENSE").statusCode());
    assertEquals(200, get("assets/graph.js").statusCode());
    assertEquals(200, get("assets/graphview.js").statusCode());
  }
}
