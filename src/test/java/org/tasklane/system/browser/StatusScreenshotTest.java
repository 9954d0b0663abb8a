package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.system.browser.Dashboards.*;

import com.microsoft.playwright.Page;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.system.LocalCluster;

/**
 * The README's picture: {@code docs/status.png}, the status page of a cluster running the demo
 * workload (the mixed graph, round after round), taken once every panel shows something.
 */
class StatusScreenshotTest {
  static LocalCluster cluster;
  static HeadlessChromium chromium;

  static BrowserCluster env;

  @BeforeAll
  static void start() throws Exception {
    env = BrowserCluster.start("browser-screenshot");
    cluster = env.cluster();
    chromium = env.chromium();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  /** Like {@code tasklane local --demo}, but keeps the previous round until the next is done, so bars stay up. */
  private static Thread demoLoop(AtomicInteger rounds, List<Throwable> failures) {
    Thread t = new Thread(() -> {
      String previous = null;
      for (int round = 1; !Thread.currentThread().isInterrupted(); round++) {
        try {
          String id = cluster.client().submit(DemoGraphs.mixed(round));
          GraphStatus s = cluster.client().awaitDone(id, Duration.ofMinutes(2));
          if (!"done".equals(s.state())) {
            throw new AssertionError("round " + round + ": " + s);
          }
          if (previous != null) {
            cluster.client().forget(previous);
          }
          previous = id;
          rounds.incrementAndGet();
        } catch (RuntimeException | AssertionError e) {
          if (!Thread.currentThread().isInterrupted()) {
            failures.add(e);
          }
          return;
        }
      }
    }, "demo-loop");
    t.setDaemon(true);
    return t;
  }

  @Test
  void statusPageOfADemoWorkload() throws Exception {
    var recorded = new HeadlessChromium.Recorded();
    Page page = chromium.newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "status");
    waitFor(page, "() => document.getElementById('connection').textContent === 'live'");

    AtomicInteger rounds = new AtomicInteger();
    List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
    Thread loop = demoLoop(rounds, failures);
    loop.start();
    try {
      // a few rounds, so the charts have a history and the stream is full
      LocalCluster.await(Duration.ofMinutes(3), "4 rounds of the demo graph",
          () -> rounds.get() >= 4 || !failures.isEmpty());
      assertEquals(List.of(), failures);
      waitFor(page, "() => document.querySelectorAll('#progress [data-group]').length >= 5");
      waitFor(page, "() => document.querySelectorAll('#workers-body tr[data-worker]').length === 2");
      // the worker table has every worker's figures, the resource plot a line to show
      waitFor(page, "() => Array.from(document.querySelectorAll('#workers-body tr[data-worker]')).every(r => "
          + "Number(r.querySelector('td[data-field=\"memory\"]').getAttribute('data-value')) > 0 "
          + "&& Number(r.querySelector('td[data-field=\"latency\"]').getAttribute('data-value')) > 0)");
      waitFor(page, "() => window.tasklanePlot.points.filter(p => p.workers === 2 && p.memory > 0).length >= 20");
      waitFor(page, "c => window.tasklaneStream.bars.filter(b => b.kind === 'task').length >= 200 "
          + "&& window.tasklaneStream.bars.some(b => b.kind === 'transfer' && b.color === c) "
          + "&& window.tasklaneStream.bars.some(b => b.color === '#000000')", TRANSFER_COLOR);
      // a picture reads better with the stream full from left to right; on a slow machine the
      // live window may not fill in time, and the picture is taken anyway (this is not a check)
      try {
        page.waitForFunction("() => { const w = document.querySelector('canvas.stream-rows').clientWidth; "
            + "return Math.min(...window.tasklaneStream.bars.map(b => b.x)) < w * 0.25; }", null,
            new Page.WaitForFunctionOptions().setTimeout(20_000));
      } catch (com.microsoft.playwright.TimeoutError e) {
        System.err.println("status.png: the task stream was not full after 20 s; taking the picture anyway");
      }

      // with a tooltip up, to show what hovering gives
      Hit hit = isolatedBar(page, "bars => bars.filter(b => b.kind === 'task').sort((a, b) => b.w - a.w)[0]", null);
      assertNotNull(hit, "some task bar stands alone");
      page.mouse().move(hit.x(), hit.y());
      waitFor(page, "key => { const t = document.getElementById('tooltip'); "
          + "return !t.hidden && t.textContent.includes(key); }", hit.key());

      Path png = Path.of(LocalCluster.home(), "docs", "status.png");
      Files.createDirectories(png.getParent());
      // the whole page down to the end of its panels (taller than the window), without empty space below
      double bottom = ((Number) page.evaluate(
          "() => Math.ceil(document.querySelector('main').getBoundingClientRect().bottom + window.scrollY)"))
          .doubleValue();
      page.screenshot(new Page.ScreenshotOptions().setPath(png).setFullPage(true)
          .setClip(0, 0, 1400, Math.min(bottom, 2000)));
      assertTrue(Files.size(png) > 20_000, () -> png + " is a real picture");
      assertEquals(List.of(), recorded.problems());
    } finally {
      loop.interrupt();
      loop.join(10_000);
    }
  }
}
