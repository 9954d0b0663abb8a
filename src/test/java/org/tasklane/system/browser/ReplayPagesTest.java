package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.system.browser.Dashboards.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.system.LocalCluster;

/**
 * A 200,000-task run in the history, on the pages of the run in a real browser. Every task is in
 * the run. Its tasks page (runs/ID/tasks) draws the whole run (as a summary: too many to draw one
 * by one), and zooming in with the wheel loads detail down to single tasks, whose key the tooltip
 * shows; a double-click goes back to the whole run. Its status page (runs/ID/status) shows the
 * run's end, and plays it again from its start.
 */
class ReplayPagesTest {
  static final int TASKS = 200_000;
  static BrowserCluster env;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    // the scheduler's heap in tests (LocalCluster.JAVA_OPTS) allows 190,080 tasks by the "auto"
    // estimate of 2 KiB a task; inc tasks take less: let it hold this graph
    java.nio.file.Path conf = java.nio.file.Files.createTempFile("replay-tasks", ".conf");
    conf.toFile().deleteOnExit();
    java.nio.file.Files.writeString(conf, "tasklane.scheduler.max-tasks = " + (TASKS + 1000) + "\n");
    HeadlessChromium chromium = HeadlessChromium.launch();
    try {
      cluster = LocalCluster.start("browser-replay", 2, 2, "--config", conf.toString());
      awaitOk(cluster.dashboardUrl() + "health");
    } catch (Exception | AssertionError e) {
      chromium.close();
      throw e;
    }
    env = new BrowserCluster(cluster, chromium);
    runId = recordRun();
  }

  static String runId;

  /** Runs the graph and waits for its run in the history: its id. */
  static String recordRun() {
    String id = cluster.client().submit(DemoGraphs.independent(TASKS));
    cluster.client().awaitDone(id, Duration.ofMinutes(5));
    JsonNode[] run = new JsonNode[1];
    LocalCluster.await(Duration.ofMinutes(1), "the run is in the history with every task", () -> {
      JsonNode runs = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/runs.json");
      for (JsonNode r : runs == null ? com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode() : runs) {
        if (r.get("graphId").asText().equals(id) && r.get("state").asText().equals("done")) {
          run[0] = r;
          return true;
        }
      }
      return false;
    });
    assertEquals(TASKS, run[0].get("recordedTasks").asLong(), "every task is in the log: " + run[0]);
    assertFalse(run[0].get("partial").asBoolean(), run[0].toString());
    cluster.client().forget(id);

    return run[0].get("id").asText();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  /** Waits until the window on screen is the one drawn (loaded after the last zoom or pan). */
  static void awaitWindowDrawn(Page page) {
    waitFor(page, """
        () => { const v = window.tasklaneStream.view; const s = document.getElementById('load-state');
                return v !== null && s.dataset.from === String(v.t0) && s.dataset.to === String(v.t1); }""");
  }

  @Test
  void theTasksPageOfARunZoomsFromTheWholeRunToOneTaskAndBack() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = env.chromium().newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "runs/" + runId + "/tasks");
    // the whole run: a summary of every task
    awaitWindowDrawn(page);
    waitFor(page, "() => window.tasklaneStream.detail === 'summary'");
    assertEquals(String.valueOf(TASKS), page.getAttribute("#task-count", "data-count"));
    double wholeSpan = spanShown(page);

    // wheel in at a bar near the middle, again and again, until a few tasks are drawn one by one
    // (an inc task takes a few microseconds; the narrowest view is 50 µs)
    Map<String, Object> task = null;
    Map<String, Object> last = null; // what the last step pointed at, for the message if none will do
    for (int step = 0; step < 60 && task == null; step++) {
      @SuppressWarnings("unchecked")
      Map<String, Object> at = (Map<String, Object>) page.evaluate("""
          () => { const c = document.querySelector('canvas.stream-rows').getBoundingClientRect();
                  const bars = window.tasklaneStream.bars.filter(b => b.kind === 'task' || b.kind === 'summary');
                  const mid = c.width / 2 + 85;
                  // a task under a microsecond is recorded with its start as its stop and drawn 1 px
                  // wide, however far one zooms: in the narrowest view (50 us) such a bar is what there
                  // is to point at (the hit test takes 1 px either side), elsewhere one of 4 px and more
                  const v = window.tasklaneStream.view;
                  const minW = v.t1 - v.t0 < 0.06 ? 1 : 4;
                  // once tasks are drawn one by one, any task wide enough to point at will do, not only
                  // the bar nearest the middle (zoomed into a gap, that one may be a sliver at the edge)
                  const wide = window.tasklaneStream.detail === 'tasks'
                      ? bars.filter(b => b.kind === 'task' && b.w >= minW && b.x >= 0 && b.x + b.w <= c.width) : [];
                  let best = null;
                  for (const b of (wide.length > 0 ? wide : bars)) {
                    const d = Math.abs(b.x + b.w / 2 - mid);
                    if (best === null || d < best.d) best = { d: d, b: b };
                  }
                  if (best === null) return null;
                  const b = best.b;
                  return { x: c.left + b.x + b.w / 2, y: c.top + b.y + b.h / 2, kind: b.kind, w: b.w, minW: minW,
                           key: b.key,
                           tasks: bars.filter(x => x.kind === 'task').length,
                           detail: window.tasklaneStream.detail }; }""");
      assertNotNull(at, "bars are drawn at step " + step);
      last = at;
      // one task drawn on its own, wide enough to point at (how many others share the view depends on
      // how fast the machine ran them: not a condition), in a view a thousandth of the run's or less:
      // a task that ran long (a cold JVM's first ones take 0.5 ms and more) is that wide sooner, and
      // zooming on at it only widens it
      if ("tasks".equals(at.get("detail")) && "task".equals(at.get("kind"))
          && ((Number) at.get("w")).doubleValue() >= ((Number) at.get("minW")).doubleValue()
          && spanShown(page) < wholeSpan / 1_000) {
        task = at;
        break;
      }
      page.mouse().move(((Number) at.get("x")).doubleValue(), ((Number) at.get("y")).doubleValue());
      page.mouse().wheel(0, -600);
      awaitWindowDrawn(page);
    }
    assertNotNull(task, "zoomed in to a single task (a view of " + spanShown(page) + " ms; last pointed at " + last + ")");
    assertEquals("tasks", page.evaluate("() => window.tasklaneStream.detail"), "tasks one by one when zoomed in");
    assertTrue(spanShown(page) < wholeSpan / 1_000, "zoomed in from " + wholeSpan + " ms to " + spanShown(page));

    // its key in the tooltip
    page.mouse().move(((Number) task.get("x")).doubleValue(), ((Number) task.get("y")).doubleValue());
    waitFor(page, "() => !document.getElementById('tooltip').hidden");
    String title = page.textContent("#tooltip .tip-title");
    assertEquals(task.get("key"), title);
    assertTrue(title.startsWith("inc-"), title);

    // and back: a double-click shows the whole run again
    page.dblclick("canvas.stream-rows");
    awaitWindowDrawn(page);
    waitFor(page, "() => window.tasklaneStream.detail === 'summary'");
    assertEquals(String.valueOf(TASKS), page.getAttribute("#task-count", "data-count"));
    assertEquals(wholeSpan, spanShown(page), wholeSpan / 1000);
    assertEquals(java.util.List.of(), recorded.problems());
  }

  @Test
  void theStatusPageOfARunShowsItsEndAndPlaysItAgain() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = env.chromium().newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "runs/" + runId + "/status");
    waitFor(page, "() => document.getElementById('connection').textContent === 'end of the run'");
    assertEquals("inc-" + TASKS, page.textContent(".replay-name"), "the run's name, as text");
    String done = "() => { const c = (" + GROUP_COUNTS + ")('inc'); return c && c.total === " + TASKS
        + " && c.memory + c.released === " + TASKS + "; }";
    waitFor(page, done);

    // from the start (at 1x: the run lasts seconds): the bar fills again, and the replay ends by itself
    page.evaluate("() => { const s = document.getElementById('replay-slider'); s.value = s.min; "
        + "s.dispatchEvent(new Event('change')); }");
    waitFor(page, "() => { const c = (" + GROUP_COUNTS + ")('inc'); return c && c.memory + c.released < " + TASKS
        + "; }");
    page.click(".replay-speed[data-speed='1']");
    page.click("#replay-play");
    waitFor(page, "() => document.getElementById('connection').textContent === 'replay 1x'");
    waitFor(page, "() => document.getElementById('connection').textContent === 'end of the run'");
    waitFor(page, done);
    assertEquals("▶", page.textContent("#replay-play"), "paused at the end");
    assertEquals("../../runs", page.getAttribute(".nav a[href='../../runs']", "href"), "the runs page is two up");
    assertEquals(java.util.List.of(), recorded.problems());
  }

  static double spanShown(Page page) {
    return ((Number) page.evaluate("() => window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0")).doubleValue();
  }
}
