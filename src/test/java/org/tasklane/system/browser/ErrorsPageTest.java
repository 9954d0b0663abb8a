package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.system.browser.Dashboards.*;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.system.LocalCluster;

/**
 * The errors page and the task panel in a real browser against a real cluster: two exception
 * types are two groups with their counts and traces, an HTML-like message stays text, plumbing
 * frames are folded until asked for, and a click on an erred task (errors page, tasks page) opens
 * the panel with the scheduler's explanation and the trace.
 */
class ErrorsPageTest {
  static final String HTML = "<img src=x onerror=alert(1)>";
  static BrowserCluster env;
  static String graph;

  @BeforeAll
  static void start() throws Exception {
    env = BrowserCluster.start("browser-errors");
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      tasks.add(new TaskSpec("boom-" + i, "fail", List.of(JsonNodeFactory.instance.textNode(HTML + " " + i)), null));
    }
    for (int i = 0; i < 2; i++) {
      tasks.add(new TaskSpec("badarg-" + i, "inc", List.of(JsonNodeFactory.instance.textNode("x")), null));
    }
    graph = env.cluster().client().submit(new GraphSpec("errors-page", tasks, null));
    env.cluster().client().awaitDone(graph, Duration.ofMinutes(2));
    LocalCluster.await(Duration.ofSeconds(30), "5 erred tasks on the dashboard", () -> {
      var v = LocalCluster.getJson(env.cluster().dashboardUrl() + "api/v1/errors.json");
      return v != null && v.get("erred").asInt() == 5;
    });
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void twoGroupsWithCountsTracesAndTheMessageAsText() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = env.chromium().newPage(recorded);
    page.navigate(env.cluster().dashboardUrl() + "errors");
    waitFor(page, "() => document.getElementById('connection').textContent === 'live'");
    waitFor(page, "() => document.querySelectorAll('.error-group').length === 2");
    assertEquals("3", page.getAttribute(".error-group[data-type='java.lang.RuntimeException']", "data-count"));
    assertEquals("2", page.getAttribute(".error-group[data-type='java.lang.IllegalArgumentException']",
        "data-count"));
    String message = page.textContent(".error-group[data-type='java.lang.RuntimeException'] .error-message");
    assertTrue(message.startsWith(HTML + " "), message);

    // the built-in's frame is Tasklane's: folded, until asked for
    String fold = ".error-group[data-type='java.lang.RuntimeException'] .trace-fold";
    assertTrue(page.textContent(fold + " > summary").contains("of org.tasklane"), page.textContent(fold));
    assertFalse(page.isVisible(fold + " pre"));
    page.click("#unfold-all");
    assertTrue(page.isVisible(fold + " pre"));
    assertTrue(page.textContent(fold + " pre").contains("org.tasklane.worker.builtin.Fail.call"));

    // a task of the group: its panel explains it and shows its trace
    page.click(".error-group[data-type='java.lang.RuntimeException'] .error-example .tp-link");
    waitFor(page, "() => document.querySelector('#task-panel .tp-explain[data-state=\"erred\"]') !== null");
    assertTrue(page.textContent("#task-panel .tp-summary").startsWith("Erred: RuntimeException: " + HTML));
    waitFor(page, "() => document.querySelector('#task-panel .tp-error .trace') !== null");

    assertEquals(List.of(), page.evaluate("() => window.__created"), "user text never became markup");
    assertEquals(List.of(), recorded.problems());
    page.context().close();
  }

  @Test
  void aClickOnAnErredTaskInTheTaskStreamOpensItsPanel() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = env.chromium().newPage(recorded);
    page.navigate(env.cluster().dashboardUrl() + "tasks");
    waitFor(page, "() => window.tasklaneStream && window.tasklaneStream.taskCount >= 5");
    Hit hit = zoomInOn(page, "b => b.kind === 'task' && b.color === '#000000'");
    page.mouse().click(hit.x(), hit.y());
    waitFor(page, "key => { const p = document.getElementById('task-panel');"
        + " return p && !p.hidden && p.getAttribute('data-key') === key; }", hit.key());
    waitFor(page, "() => document.querySelector('#task-panel .tp-explain[data-state=\"erred\"]') !== null");
    waitFor(page, "() => document.querySelector('#task-panel .tp-error .trace') !== null");
    assertTrue(page.textContent("#task-panel .tp-error").contains("tasks with it"));
    page.keyboard().press("Escape");
    assertTrue(page.isHidden("#task-panel"));
    assertEquals(List.of(), page.evaluate("() => window.__created"), "user text never became markup");
    assertEquals(List.of(), recorded.problems());
    page.context().close();
  }
}
