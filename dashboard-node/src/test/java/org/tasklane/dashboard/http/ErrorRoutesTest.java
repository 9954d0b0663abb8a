package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.net.URI;
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
import org.tasklane.protocol.api.TaskExplanation;

/** {@code api/v1/errors.json}, {@code api/v1/explain.json} and the errors page, over real HTTP. */
class ErrorRoutesTest {
  static final ActorTestKit testKit = ActorTestKit.create("ErrorRoutesTest", ConfigFactory.load("application-test"));
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final ObjectMapper json = new ObjectMapper();
  static final String INC = "sched-1";
  static final String HTML_MESSAGE = "<img src=x onerror=alert(1)>";
  static final String TRACE = "java.lang.IllegalStateException: " + HTML_MESSAGE + "\n\tat my.Job.run(Job.java:7)\n"
      + "\tat java.base/java.lang.Thread.run(Thread.java:840)\n";
  static TestingDashboard d;

  /** A scheduler that holds one task, {@code total} of graph {@code g-1}, and answers snapshots with nothing. */
  static Behavior<SchedulerProtocol.Command> testingScheduler() {
    return Behaviors.setup(ctx -> {
      ctx.getSystem().receptionist().tell(Receptionist.register(SchedulerProtocol.SERVICE_KEY, ctx.getSelf()));
      return Behaviors.receiveMessage(m -> {
        if (m instanceof SchedulerProtocol.GetDashboardSnapshot s) {
          s.replyTo().tell(snapshot(INC, 0, List.of(), List.of(), List.of()));
        } else if (m instanceof SchedulerProtocol.ExplainTask e) {
          e.replyTo().tell("g-1".equals(e.graphId()) && "total".equals(e.key())
              ? new SchedulerProtocol.ExplainReply(new TaskExplanation("g-1", "total", "total", "sum", "waiting",
                  "Waiting on 1 of 1 input: slow (processing).", List.of("input slow is processing on w1"), null,
                  List.of(), 0, List.of(new TaskExplanation.Input("slow", "processing", 0, List.of(), "w1")), 0, 0, 0,
                  0, 0, 0, 0, 3, 0, 1_700_000_000_000L, null, null, null), null)
              : new SchedulerProtocol.ExplainReply(null, "graph g-1 has no task 'nope'"));
        }
        return Behaviors.same();
      });
    });
  }

  static DashboardProtocol.TaskEvent failed(long id, String key, String error, String trace) {
    DashboardProtocol.TaskEvent t = task(id, key);
    return new DashboardProtocol.TaskEvent(t.taskId(), t.key(), t.group(), t.graphId(), t.worker(), t.thread(),
        t.startMicros(), t.stopMicros(), "erred", 0, error, List.of(), List.of(), trace);
  }

  @BeforeAll
  static void start() throws Exception {
    d = TestingDashboard.start(testKit);
    testKit.spawn(testingScheduler(), "scheduler");
    d.dashboard.tell(batch(INC, 1, List.of(), List.of(), List.of(
        failed(1, "parse-1", "IllegalStateException: " + HTML_MESSAGE + " | at my.Job.run(Job.java:7)", TRACE),
        failed(2, "parse-2", "IllegalStateException: " + HTML_MESSAGE + " | at my.Job.run(Job.java:7)", null),
        failed(3, "div-3", "ArithmeticException: / by zero | at my.Job.div(Job.java:9)",
            "java.lang.ArithmeticException: / by zero\n\tat my.Job.div(Job.java:9)\n"),
        task(4, "ok-4"))));
  }

  @AfterAll
  static void stop() throws Exception {
    d.close();
    testKit.shutdownTestKit();
  }

  static HttpResponse<String> get(String path) throws Exception {
    return http.send(HttpRequest.newBuilder(d.uri(path)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void errorsAreGroupedByTypeWithCountsAndTraces() throws Exception {
    HttpResponse<String> r = get("api/v1/errors.json");
    assertEquals(200, r.statusCode(), r.body());
    assertEquals(DashboardRoutes.CONTENT_SECURITY_POLICY, r.headers().firstValue("Content-Security-Policy").orElse(null));
    JsonNode v = json.readTree(r.body());
    assertEquals(3, v.get("erred").asInt());
    JsonNode groups = v.get("groups");
    assertEquals(2, groups.size());
    JsonNode div = groups.get(0);
    assertEquals("java.lang.ArithmeticException", div.get("type").asText());
    assertEquals(1, div.get("count").asInt());
    JsonNode ise = groups.get(1);
    assertEquals("java.lang.IllegalStateException", ise.get("type").asText());
    assertEquals(HTML_MESSAGE, ise.get("message").asText());
    assertEquals(2, ise.get("count").asInt());
    assertEquals(TRACE, ise.get("traces").get(0).asText());
    assertEquals("parse-2", ise.get("examples").get(0).get("key").asText());
  }

  @Test
  void oneTasksErrorWithItsGroupsTrace() throws Exception {
    JsonNode e = json.readTree(get("api/v1/errors.json?graph=graph-1&key=parse-2").body());
    assertEquals("parse-2", e.get("task").get("key").asText());
    assertFalse(e.get("ownTrace").asBoolean());
    assertEquals(TRACE, e.get("trace").asText());
    assertEquals(2, e.get("group").get("count").asInt());

    HttpResponse<String> none = get("api/v1/errors.json?graph=graph-1&key=ok-4");
    assertEquals(404, none.statusCode());
    assertTrue(json.readTree(none.body()).get("error").asText().startsWith("this dashboard has no error of task 'ok-4'"));
    assertEquals(400, get("api/v1/errors.json?graph=graph-1").statusCode());
  }

  @Test
  void explainAsksTheSchedulerThroughTheDashboard() throws Exception {
    HttpResponse<String> r = get("api/v1/explain.json?graph=g-1&key=total");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (r.statusCode() == 503 && System.nanoTime() < deadline) { // until the dashboard has found the scheduler
      r = get("api/v1/explain.json?graph=g-1&key=total");
    }
    assertEquals(200, r.statusCode(), r.body());
    JsonNode e = json.readTree(r.body());
    assertEquals("Waiting on 1 of 1 input: slow (processing).", e.get("summary").asText());
    assertEquals("w1", e.get("inputs").get(0).get("worker").asText());

    HttpResponse<String> missing = get("api/v1/explain.json?graph=g-1&key=nope");
    assertEquals(404, missing.statusCode());
    assertEquals("graph g-1 has no task 'nope'", json.readTree(missing.body()).get("error").asText());
    assertEquals(400, get("api/v1/explain.json?key=total").statusCode());
  }

  @Test
  void theErrorsPageIsServedWithItsScripts() throws Exception {
    HttpResponse<String> r = get("errors");
    assertEquals(200, r.statusCode());
    assertTrue(r.body().contains("<script src=\"assets/errors.js\" defer></script>"));
    assertEquals(200, get("assets/errors.js").statusCode());
    assertEquals(200, get("assets/taskpanel.js").statusCode());
  }
}
