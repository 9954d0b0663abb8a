package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/**
 * A run replayed from the history shows what the live page showed: while a graph of slowinc tasks
 * runs (the only graph on its cluster), the live {@code api/v1/status.json} is read again and again,
 * each answer with the {@code now} the dashboard put in it; afterwards the run's
 * {@code runs/ID/api/v1/status.json?t=NOW} at about 25 %, 50 % and 100 % of the run's time gives the
 * same group counts, exactly (the dashboard stamps what it applies and what it records with one
 * clock: see RecordClock).
 */
class ReplaySystemTest {
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    cluster = LocalCluster.start("replay", 2, 2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** One live answer: when the dashboard made it, and its groups. */
  record Seen(long now, JsonNode groups) {}

  /** 160 slowinc tasks of 0.08 s on four threads (about 3.5 s), then their sum. */
  static GraphSpec graph() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<TaskSpec> tasks = new ArrayList<>();
    List<JsonNode> refs = new ArrayList<>();
    for (int i = 0; i < 160; i++) {
      tasks.add(new TaskSpec("slow-" + i, "slowinc", List.of(f.numberNode(i), f.numberNode(0.08)), null));
      refs.add(f.objectNode().put("ref", "slow-" + i));
    }
    tasks.add(new TaskSpec("total", "sum", refs, null));
    return new GraphSpec("replayed", tasks, List.of("total"));
  }

  @Test
  void theReplayedCountsAt25And50And100PercentAreWhatTheLivePageShowed() {
    String dashboard = cluster.dashboardUrl();
    String id = cluster.client().submit(graph());
    List<Seen> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    boolean done = false;
    while (!done) {
      assertTrue(System.nanoTime() < deadline, "the graph did not finish in 2 minutes");
      JsonNode s = LocalCluster.getJson(dashboard + "api/v1/status.json");
      if (s != null) {
        seen.add(new Seen(s.get("now").asLong(), s.get("groups")));
        done = doneIn(s.get("groups"));
      }
    }
    // a last answer after the end
    JsonNode last = LocalCluster.getJson(dashboard + "api/v1/status.json");
    assertNotNull(last);
    seen.add(new Seen(last.get("now").asLong(), last.get("groups")));

    JsonNode[] run = new JsonNode[1];
    LocalCluster.await(Duration.ofSeconds(30), "the run is in the history, finished", () -> {
      JsonNode runs = LocalCluster.getJson(dashboard + "api/v1/runs.json");
      if (runs == null) {
        return false;
      }
      for (JsonNode r : runs) {
        if (r.get("graphId").asText().equals(id) && r.get("state").asText().equals("done")) {
          run[0] = r;
          return true;
        }
      }
      return false;
    });
    String runId = run[0].get("id").asText();
    assertFalse(run[0].get("partial").asBoolean(), run[0].toString());
    assertEquals(161, run[0].get("recordedTasks").asLong(), "every task of the run is in it");
    long submitted = run[0].get("submittedMillis").asLong();
    long finished = run[0].get("finishedMillis").asLong();
    assertTrue(finished - submitted > 1000, "the run lasted " + (finished - submitted) + " ms");

    for (double fraction : new double[] {0.25, 0.5, 1.0}) {
      long target = submitted + Math.round((finished - submitted) * fraction);
      Seen live = fraction == 1.0 ? seen.get(seen.size() - 1) : nearest(seen, target);
      JsonNode replayed = LocalCluster.getJson(dashboard + "runs/" + runId + "/api/v1/status.json?t=" + live.now());
      assertNotNull(replayed, "the replay at " + live.now());
      assertEquals(live.groups(), replayed.get("groups"),
          "at " + Math.round(fraction * 100) + " % (" + (live.now() - submitted) + " ms into the run)");
      if (fraction < 1.0) {
        assertFalse(doneIn(live.groups()), "a sample while it ran: " + live.groups());
        assertEquals(live.now(), replayed.get("now").asLong());
      }
    }
  }

  /** True once every group of the live page is done. */
  static boolean doneIn(JsonNode groups) {
    if (groups == null || groups.isEmpty()) {
      return false;
    }
    for (JsonNode g : groups) {
      if (g.get("memory").asInt() + g.get("released").asInt() + g.get("erred").asInt() < g.get("total").asInt()) {
        return false;
      }
    }
    return true;
  }

  static Seen nearest(List<Seen> seen, long target) {
    Seen best = seen.get(0);
    for (Seen s : seen) {
      if (Math.abs(s.now() - target) < Math.abs(best.now() - target)) {
        best = s;
      }
    }
    return best;
  }
}
