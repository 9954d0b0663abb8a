package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.system.browser.Dashboards.*;

import com.fasterxml.jackson.databind.node.IntNode;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.system.LocalCluster;

/**
 * The dashboard's pages in a real browser (Debian's chromium through Playwright), against a real
 * cluster: a scheduler with its embedded dashboard and two workers, started through bin/tasklane.
 */
class StatusPageTest {
  static LocalCluster cluster;
  static HeadlessChromium chromium;

  /** Graphs a test submitted: forgotten after it, so that groups of one test do not add up in the next. */
  final List<String> graphs = new ArrayList<>();

  static BrowserCluster env;

  @BeforeAll
  static void start() throws Exception {
    env = BrowserCluster.start("browser-status");
    cluster = env.cluster();
    chromium = env.chromium();
  }

  @AfterAll
  static void stop() {
    if (env != null) {
      env.close();
    }
  }

  @AfterEach
  void forgetGraphs() {
    env.forgetAll(graphs);
  }

  private String submit(GraphSpec graph) {
    String id = cluster.client().submit(graph);
    graphs.add(id);
    return id;
  }

  private static void awaitLive(Page page) {
    waitFor(page, "() => document.getElementById('connection').textContent === 'live'");
  }

  @Test
  void progressBarsAndTheTaskStreamFollowRunningGraphs() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = chromium.newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "status");
    awaitLive(page);
    // every 50 ms, remember how far the inc group's bar is: it must move, not just appear full
    page.evaluate("() => { const counts = " + GROUP_COUNTS + """
        ;
          window.__incSeen = new Set();
          setInterval(() => { const c = counts('inc'); if (c) window.__incSeen.add(c.memory + c.released); }, 50);
        }""");

    // leaves that sleep rather than spin: four busy threads on two cores would starve the browser
    // and the dashboard, and the bar could jump from empty to full between two of its updates
    GraphSpec tree = DemoGraphs.tree(300);
    submit(new GraphSpec(tree.name(), tree.tasks().stream()
        .map(t -> t.fn().equals("inc")
            ? new TaskSpec(t.key(), "sleep",
                List.of(com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(0.02), t.args().get(0)),
                null)
            : t)
        .toList(), tree.want()));
    submit(DemoGraphs.mixed(1));

    // 1. progress: the inc bar reaches its total, and moved there
    waitFor(page, "name => { const c = (" + GROUP_COUNTS + ")(name); "
        + "return c && c.total === 300 && c.memory + c.released === 300; }", "inc");
    @SuppressWarnings("unchecked")
    List<Object> seen = (List<Object>) page.evaluate("() => Array.from(window.__incSeen)");
    assertTrue(seen.size() > 1, () -> "the inc bar only ever showed " + seen);

    // the flaky group's two failures are black, with their count
    waitFor(page, "name => { const c = (" + GROUP_COUNTS + ")(name); return c && c.erred === 2; }", "flaky");
    @SuppressWarnings("unchecked")
    Map<String, Object> flaky = (Map<String, Object>) page.evaluate(GROUP_COUNTS, "flaky");
    assertTrue(((String) flaky.get("text")).contains("2 erred"), () -> "flaky row text: " + flaky.get("text"));

    // the four segment colours, as the browser computes them
    @SuppressWarnings("unchecked")
    Map<String, Object> colours = (Map<String, Object>) page.evaluate("""
        () => {
          const row = document.querySelector('#progress [data-group]');
          const c = cls => getComputedStyle(row.querySelector('.' + cls)).backgroundColor;
          return { memory: c('seg-memory'), released: c('seg-released'), waiting: c('seg-waiting'),
                   erred: c('seg-erred') };
        }""");
    assertEquals(Map.of("memory", MEMORY_RGB, "released", RELEASED_RGB, "waiting", WAITING_RGB, "erred", ERRED_RGB),
        colours);
    // widths follow the counts: the finished inc row is all blue, nothing gray
    Object incGray = page.evaluate("""
        () => { const row = document.querySelector('#progress [data-group="inc"]');
                return row.querySelector('.seg-waiting').getBoundingClientRect().width; }""");
    assertEquals(0.0, ((Number) incGray).doubleValue(), 0.01, "no gray left in a finished group");

    // 2. task stream: bars, red transfers (inputs of the mixed graph move between workers), black errors
    waitFor(page, "c => window.tasklaneStream.bars.some(b => b.kind === 'transfer' && b.color === c)",
        TRANSFER_COLOR);
    waitFor(page, "() => window.tasklaneStream.bars.some(b => b.kind === 'task' && b.key.startsWith('flaky-') "
        + "&& b.color === '#000000')");
    assertTrue(((Number) page.evaluate("() => window.tasklaneStream.bars.filter(b => b.kind === 'task').length"))
        .intValue() >= 300, "the tree's tasks are drawn");
    // the time axis ends at now: it moves on by itself
    double t1 = ((Number) page.evaluate("() => window.tasklaneStream.view.t1")).doubleValue();
    waitFor(page, "t => window.tasklaneStream.view.t1 > t + 400", t1);

    // hovering the centre of a bar shows that task
    Hit hit = isolatedBar(page, "bars => bars.filter(b => b.kind === 'task').sort((a, b) => b.w - a.w)[0]", null);
    assertNotNull(hit, "some task bar stands alone");
    page.mouse().move(hit.x(), hit.y());
    waitFor(page, "key => { const t = document.getElementById('tooltip'); "
        + "return !t.hidden && t.textContent.includes(key); }", hit.key());
    String tip = page.textContent("#tooltip");
    assertTrue(tip.contains("worker-") && tip.contains("duration"), () -> "tooltip: " + tip);
    page.mouse().move(0, 0);
    waitFor(page, "() => document.getElementById('tooltip').hidden");

    // 3. workers, grouped by host
    waitFor(page, "() => document.querySelectorAll('#workers-body tr[data-worker]').length === 2");
    assertEquals("127.0.0.1", page.getAttribute("#workers-body tr.host-row", "data-host"));
    String row = page.textContent("#workers-body tr[data-worker='worker-1']");
    assertTrue(row.matches("(?s).*\\d+(\\.\\d)? (B|KiB|MiB|GiB).*"), () -> "held bytes for people: " + row);

    assertEquals(List.of(), recorded.problems());
  }

  @Test
  void tasksPageDrawsWhatRanAndZoomsInOnATask() {
    String id = submit(DemoGraphs.mixed(2));
    cluster.client().awaitDone(id, Duration.ofMinutes(2));
    var recorded = new HeadlessChromium.Recorded();
    Page page = chromium.newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "tasks");

    waitFor(page, "() => Number(document.getElementById('task-count').getAttribute('data-count')) > 0");
    String count = page.textContent("#task-count");
    assertTrue(count.matches("[\\d,]+ tasks?"), () -> "task count: " + count);
    waitFor(page, "() => window.tasklaneStream.bars.length > 0");
    double fullSpan = span(page);

    // the wheel zooms in, Fit shows everything again
    var box = page.locator("canvas.stream-rows").boundingBox();
    page.mouse().move(box.x + box.width * 0.6, box.y + box.height / 2);
    page.mouse().wheel(0, -500);
    waitFor(page, "s => window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0 < s * 0.9", fullSpan);
    page.click("#zoom-fit");
    waitFor(page, "s => window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0 >= s * 0.99", fullSpan);

    // an erred task: zoomed in on until it stands alone, its tooltip has the error
    Hit erred = zoomInOn(page, "b => b.kind === 'task' && b.key === 'flaky-0' && b.color === '#000000'");
    page.mouse().move(erred.x(), erred.y());
    waitFor(page, "() => { const t = document.getElementById('tooltip'); "
        + "return !t.hidden && t.textContent.includes('flaky-0') && t.textContent.includes('demo failure 0 of round'); }");

    // a transfer, with its bytes and peer
    page.click("#zoom-fit");
    waitFor(page, "s => window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0 >= s * 0.99", fullSpan);
    Hit transfer = zoomInOn(page, "b => b.kind === 'transfer'");
    page.mouse().move(transfer.x(), transfer.y());
    waitFor(page, "key => { const t = document.getElementById('tooltip'); return !t.hidden "
        + "&& t.textContent.includes(key) && t.textContent.includes('bytes') && t.textContent.includes('from'); }",
        transfer.key());

    // drag pans
    double before = ((Number) page.evaluate("() => window.tasklaneStream.view.t0")).doubleValue();
    page.mouse().down();
    page.mouse().move(transfer.x() + 200, transfer.y());
    page.mouse().up();
    waitFor(page, "t => window.tasklaneStream.view.t0 < t", before);

    assertEquals(List.of(), recorded.problems());
  }

  private static double span(Page page) {
    return ((Number) page.evaluate("() => window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0"))
        .doubleValue();
  }

  @Test
  void workersPageHasARowPerWorker() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = chromium.newPage(recorded);
    page.navigate(cluster.dashboardUrl() + "workers");
    awaitLive(page);
    waitFor(page, "() => ['worker-1', 'worker-2'].every(n => "
        + "document.querySelector('#workers-body tr[data-worker=\"' + n + '\"]'))");
    assertEquals(2, page.locator("#workers-body tr[data-worker]").count());
    assertEquals(List.of(), recorded.problems());
  }

  static final String EVIL_KEY = "<img src=x onerror=alert(1)>";
  static final String EVIL_GROUP = "<b>bold</b>";

  @Test
  void keysGroupsAndErrorsReachThePageAsTextOnly() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = chromium.newPage(recorded);
    Response response = page.navigate(cluster.dashboardUrl() + "status");
    String csp = response.headers().get("content-security-policy");
    assertNotNull(csp, "the page comes with a Content-Security-Policy");
    assertTrue(csp.contains("script-src 'self'"), csp);
    awaitLive(page);

    submit(new GraphSpec("<script>alert(2)</script>",
        List.of(new TaskSpec(EVIL_KEY, "inc", List.of(IntNode.valueOf(1)), EVIL_GROUP)), null));

    // the group row shows the name literally, as text
    waitFor(page, "name => { const c = (" + GROUP_COUNTS + ")(name); "
        + "return c && c.total === 1 && c.memory + c.released === 1; }", EVIL_GROUP);
    Object label = page.evaluate("""
        name => Array.from(document.querySelectorAll('#progress [data-group]'))
            .find(r => r.getAttribute('data-group') === name).querySelector('.group-name').textContent""",
        EVIL_GROUP);
    assertEquals(EVIL_GROUP, label);

    // the task's bar, and its tooltip, with the key as text
    waitFor(page, "key => window.tasklaneStream.bars.some(b => b.key === key)", EVIL_KEY);
    Hit hit = isolatedBar(page, "(bars, key) => bars.find(b => b.key === key)", EVIL_KEY);
    assertNotNull(hit, "the only task of its graph stands alone on the stream");
    page.mouse().move(hit.x(), hit.y());
    waitFor(page, "key => { const t = document.getElementById('tooltip'); "
        + "return !t.hidden && t.textContent.includes(key); }", EVIL_KEY);
    assertNoMarkupFromData(page);

    // the tasks page, too
    page.navigate(cluster.dashboardUrl() + "tasks");
    waitFor(page, "key => window.tasklaneStream.bars.some(b => b.key === key)", EVIL_KEY);
    assertNoMarkupFromData(page);
    assertEquals(List.of(), recorded.problems(), "no alert, no error, no CSP violation");
  }

  private static void assertNoMarkupFromData(Page page) {
    assertEquals(List.of(), page.evaluate("() => window.__created"), "elements made from user text");
    assertEquals(0, page.locator("main img, main b, #tooltip *:not(div):not(dl):not(dt):not(dd)").count());
  }

  @Test
  void worksThroughAForwardedPort() throws Exception {
    submit(DemoGraphs.mixed(3));
    try (TcpForwarder forward = new TcpForwarder(cluster.dashboardPort())) {
      var recorded = new HeadlessChromium.Recorded();
      Page page = chromium.newPage(recorded);
      String base = "http://127.0.0.1:" + forward.port() + "/";
      page.navigate(base + "status");
      awaitLive(page);
      waitFor(page, "name => { const c = (" + GROUP_COUNTS + ")(name); return c && c.total === 48; }", "compute");
      waitFor(page, "() => window.tasklaneStream.bars.length > 0");
      // the links are relative: they stay on the forwarded port
      page.click("nav a[href='tasks']");
      waitFor(page, "() => Number(document.getElementById('task-count').getAttribute('data-count')) > 0");
      assertEquals(base + "tasks", page.url());
      assertEquals(List.of(), recorded.problems());
    }
  }

  @Test
  void worksUnderAPathPrefixFromItsOwnProcess() throws Exception {
    int port = freePort();
    cluster.start("dashboard-prefixed", "dashboard", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--host", "127.0.0.1", "--dashboard-port", "" + port, "--dashboard-prefix", "/tl/x");
    String base = "http://127.0.0.1:" + port + "/tl/x/";
    awaitOk(base + "health");
    submit(DemoGraphs.mixed(4));

    var recorded = new HeadlessChromium.Recorded();
    Page page = chromium.newPage(recorded);
    List<String> failed = new ArrayList<>();
    page.onResponse(r -> {
      if (r.status() >= 400) {
        failed.add(r.status() + " " + r.url());
      }
    });
    page.navigate(base); // the prefix's root redirects to its status page
    awaitLive(page);
    assertEquals(base + "status", page.url());
    // the stylesheet and scripts came from the prefix's assets
    assertEquals("rgb(20, 33, 61)", page.evaluate("() => getComputedStyle(document.querySelector('.topbar')).backgroundColor"));
    waitFor(page, "name => { const c = (" + GROUP_COUNTS + ")(name); return c && c.total === 48; }", "compute");
    waitFor(page, "() => window.tasklaneStream.bars.length > 0");
    page.click("nav a[href='workers']");
    waitFor(page, "() => document.querySelectorAll('#workers-body tr[data-worker]').length === 2");
    assertEquals(base + "workers", page.url());
    assertEquals(List.of(), failed, "every request under the prefix answered");
    assertEquals(List.of(), recorded.problems());
  }
}
