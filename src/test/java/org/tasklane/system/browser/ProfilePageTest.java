package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.tasklane.system.browser.Dashboards.awaitOk;
import static org.tasklane.system.browser.Dashboards.waitFor;

import com.microsoft.playwright.Page;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.TaskFuture;
import org.tasklane.client.Tasklane;
import org.tasklane.system.LocalCluster;
import org.tasklane.system.ProfiledFunctions;

/** The profile page in a real browser: the flame graph draws the frame the tasks spin in, and zooms into it. */
class ProfilePageTest {
  static BrowserCluster env;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    HeadlessChromium chromium = HeadlessChromium.launch(); // first: without it the class is skipped before any JVM starts
    try {
      cluster = LocalCluster.start("browser-profile", 1, 2, "--allow-code-upload");
      awaitOk(cluster.dashboardUrl() + "health");
    } catch (Exception | AssertionError e) {
      chromium.close();
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
    env = new BrowserCluster(cluster, chromium);
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @Test
  void theFlameGraphDrawsTheSpinningFrameAndZoomsIntoIt() throws Exception {
    try (Tasklane tl = Tasklane.connect("http://127.0.0.1:" + cluster.apiPort())) {
      cluster.awaitWorkers(1);
      List<TaskFuture<Long>> spins = tl.map(ProfiledFunctions::spin, Collections.nCopies(8, 1500));
      var recorded = new HeadlessChromium.Recorded();
      Page page = env.chromium().newPage(recorded);
      page.navigate(cluster.dashboardUrl() + "status");
      page.click("nav a[href='profile']");
      page.waitForURL("**/profile**");
      waitFor(page, "() => document.getElementById('connection').textContent === 'live'");
      // drawn as SVG: each frame a <g data-name> with its name as a <title> and, when wide enough, a label
      String frame = "g.fg-frame[data-name='" + ProfiledFunctions.SPIN_FRAME + "']";
      waitFor(page, "sel => { const g = document.querySelector(sel); return g !== null"
          + " && g.querySelector('text') !== null && g.querySelector('title').textContent.includes('samples'); }", frame);
      for (TaskFuture<Long> f : spins) {
        f.get(2, TimeUnit.MINUTES);
      }
      // the group filter lists the spin group; a click on the frame zooms into it (full width)
      waitFor(page, "() => Array.from(document.querySelectorAll('#profile-group option')).some(o => o.value.includes('spin'))");
      page.click(frame + " rect");
      waitFor(page, "sel => { const r = document.querySelector(sel + ' rect');"
          + " return r && Math.abs(Number(r.getAttribute('width')) - r.ownerSVGElement.width.baseVal.value) < 2; }", frame);
      waitFor(page, "name => Array.from(document.querySelectorAll('#profile-crumbs button')).some(b => b.textContent === name)",
          ProfiledFunctions.SPIN_FRAME);
      assertEquals(List.of(), recorded.problems(), "no alert, no error, no CSP violation");
      page.context().close();
    }
  }
}
