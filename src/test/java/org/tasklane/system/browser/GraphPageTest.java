package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.system.browser.Dashboards.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.system.LocalCluster;

/**
 * The graph page in a real browser against a real cluster: a graph of three task groups (sleeping
 * tasks of {@code load} feeding slowinc tasks of {@code process}, feeding one task of a group whose
 * name looks like HTML) shows three boxes and two arrows, laid out by the vendored dagre under the CSP, gray before
 * its tasks finish and blue as they do; the HTML-like name stays text.
 */
class GraphPageTest {
  static final String HTML_GROUP = "<b>total</b>";
  static final int WIDTH = 4;
  static final double LOAD_SECONDS = 4;
  static BrowserCluster env;
  static final List<String> submitted = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    env = BrowserCluster.start("browser-graph");
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.forgetAll(submitted);
      env.close();
    }
  }

  static GraphSpec threeGroups() {
    JsonNodeFactory n = JsonNodeFactory.instance;
    List<TaskSpec> tasks = new ArrayList<>();
    List<com.fasterxml.jackson.databind.JsonNode> sums = new ArrayList<>();
    for (int i = 0; i < WIDTH; i++) {
      // load sleeps (slow enough to watch, without taking the CPU the page needs); process spins briefly
      tasks.add(new TaskSpec("load-" + i, "sleep", List.of(n.numberNode(LOAD_SECONDS), n.numberNode(i)), "load"));
      tasks.add(new TaskSpec("process-" + i, "slowinc",
          List.of(n.objectNode().put("ref", "load-" + i), n.numberNode(0.3)), "process"));
      sums.add(n.objectNode().put("ref", "process-" + i));
    }
    tasks.add(new TaskSpec("total", "sum", sums, HTML_GROUP));
    return new GraphSpec("three <i>groups</i>", tasks, null);
  }

  /** The colour (computed fill) of a group box's widest progress segment, and its counts. */
  static final String NODE_STATE = """
      name => {
        const node = Array.from(document.querySelectorAll('#graph-svg .graph-node'))
            .find(g => g.getAttribute('data-group') === name);
        if (!node) return null;
        let widest = null;
        node.querySelectorAll('.graph-seg').forEach(r => {
          if (!widest || Number(r.getAttribute('width')) > Number(widest.getAttribute('width'))) widest = r;
        });
        const filled = Number(widest.getAttribute('width')) > 0;
        return { colour: filled ? getComputedStyle(widest).fill : 'none',
          memory: Number(node.getAttribute('data-memory')), released: Number(node.getAttribute('data-released')),
          waiting: Number(node.getAttribute('data-waiting')), total: Number(node.getAttribute('data-total')),
          label: node.querySelector('.graph-label').textContent };
      }""";

  @SuppressWarnings("unchecked")
  static Map<String, Object> node(Page page, String name) {
    return (Map<String, Object>) page.evaluate(NODE_STATE, name);
  }

  @Test
  void threeGroupsTwoEdgesGrayThenBlueAndTheHtmlNameStaysText() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = env.chromium().newPage(recorded);
    page.navigate(env.cluster().dashboardUrl() + "graph");
    waitFor(page, "() => document.getElementById('connection').textContent === 'live'");

    // the page follows the newest running graph: it draws this one as soon as it is accepted
    String graph = env.cluster().client().submit(threeGroups());
    submitted.add(graph);
    waitFor(page, "id => document.body.getAttribute('data-graph') === id", graph);
    waitFor(page, "() => document.querySelectorAll('#graph-svg .graph-node').length === 3");
    assertEquals(2, page.evaluate("() => document.querySelectorAll('#graph-svg .graph-edge').length"));
    assertEquals(List.of("load>process", "process>" + HTML_GROUP), page.evaluate(
        "() => Array.from(document.querySelectorAll('#graph-svg .graph-edge'))"
            + ".map(e => e.getAttribute('data-from') + '>' + e.getAttribute('data-to')).sort()"));

    // before its inputs are done, the last group is all gray (its one task waits)
    Map<String, Object> before = node(page, HTML_GROUP);
    assertEquals(HTML_GROUP, before.get("label"), "the name is text in the box");
    assertEquals(1, ((Number) before.get("total")).intValue());
    assertEquals(0, ((Number) before.get("memory")).intValue());
    assertEquals(WAITING_RGB, before.get("colour"));

    // then blue as it finishes: the inputs light blue (released once used), the result dark blue (held)
    waitFor(page, "a => { const s = (" + NODE_STATE + ")(a); return s && s.memory === 1; }", HTML_GROUP);
    waitFor(page, "a => { const s = (" + NODE_STATE + ")(a); return s && s.released === " + WIDTH + "; }", "load");
    waitFor(page, "a => { const s = (" + NODE_STATE + ")(a); return s && s.released === " + WIDTH + "; }", "process");
    assertEquals(MEMORY_RGB, node(page, HTML_GROUP).get("colour"));
    assertEquals(RELEASED_RGB, node(page, "load").get("colour"));
    assertEquals(RELEASED_RGB, node(page, "process").get("colour"));

    // the selector lists it by its name, as text
    String option = (String) page.evaluate("id => Array.from(document.querySelectorAll('#graph-select option'))"
        + ".find(o => o.value === id).textContent", graph);
    assertTrue(option.startsWith("three <i>groups</i> · "), option);

    // hovering a box shows its counts
    page.hover("#graph-svg .graph-node[data-group='load']");
    waitFor(page, "() => !document.getElementById('tooltip').hidden");
    assertEquals("load", page.textContent("#tooltip .tip-title"));

    assertEquals(List.of(), page.evaluate("() => window.__created.filter(t => t !== 'svg')"),
        "user text never became markup");
    assertEquals(1, page.evaluate("() => document.querySelectorAll('svg').length"), "the page's one drawing");
    assertEquals(List.of(), recorded.problems(), "no error, no CSP violation (dagre runs without eval)");
    page.context().close();
  }

  @Test
  void theGraphsApiHasTheEdgesTheSchedulerComputed() throws Exception {
    String graph = env.cluster().client().submit(threeGroups());
    submitted.add(graph);
    String url = env.cluster().dashboardUrl() + "api/v1/graph.json?id=" + graph;
    LocalCluster.await(Duration.ofSeconds(30), "the dashboard holds the graph", () -> LocalCluster.getJson(url) != null);
    JsonNode g = LocalCluster.getJson(url);
    assertEquals(3, g.get("groups").size());
    assertEquals(2, g.get("edges").size());
    assertEquals("load", g.get("edges").get(0).get("from").asText());
    assertEquals("process", g.get("edges").get(0).get("to").asText());
  }
}
