package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.system.browser.Dashboards.waitFor;

import com.microsoft.playwright.Page;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.system.LocalCluster;

/** workers/NAME in a real browser: reached from the worker table, it draws the figures and shows the log. */
class WorkerPageTest {
  static BrowserCluster env;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    env = BrowserCluster.start("browser-worker");
    cluster = env.cluster();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void theWorkerTableLinksToAPageThatDrawsTheFiguresAndShowsTheLog() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = env.chromium().newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "workers");
    page.click("tr.worker-row[data-worker='worker-1'] a.name");
    page.waitForURL("**/workers/worker-1");
    waitFor(page, "() => document.getElementById('connection').textContent === 'live'");
    assertEquals("worker-1", page.textContent("#worker-name"));
    // every chart has points, and they grow as the events stream brings the worker's figures
    waitFor(page, "() => Array.from(document.querySelectorAll('canvas.chart-canvas'))"
        + ".every(c => Number(c.getAttribute('data-points')) >= 3)");
    assertEquals(6, page.locator("canvas.chart-canvas").count());
    // the resident memory, once the worker's first host sample came: the figures it sent before (a
    // busy machine slows the sampler's first read) say 0, so they may be all the points so far
    waitFor(page, "() => Number(document.querySelector(\"figure[data-chart='memory'] canvas\")"
        + ".getAttribute('data-last')) > 0");
    // the log has the line the worker printed when it started
    waitFor(page, "() => Array.from(document.querySelectorAll('#log .log-message'))"
        + ".some(e => e.textContent.startsWith('Worker worker-1 started with 2 threads'))");
    // a thread dump of its two task threads, on a click
    page.click("#dump");
    waitFor(page, "() => document.querySelectorAll('#dump-result details.thread').length === 2");
    assertTrue(page.textContent("#dump-note").startsWith("Taken at "), page.textContent("#dump-note"));
    assertEquals(List.of(), recorded.problems(), "no alert, no error, no CSP violation");
    page.context().close();
  }
}
