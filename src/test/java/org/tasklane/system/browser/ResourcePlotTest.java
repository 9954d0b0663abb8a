package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.system.browser.Dashboards.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.system.LocalCluster;

/**
 * The worker and host figures in a real browser: the cluster resource plot of the status page
 * (live, and seeded with the history a page missed) and the worker table grouped by host, on the
 * status and workers pages, against a real cluster of a scheduler and two workers on 127.0.0.1.
 */
class ResourcePlotTest {
  static LocalCluster cluster;
  static HeadlessChromium chromium;

  final List<String> graphs = new ArrayList<>();

  static BrowserCluster env;

  @BeforeAll
  static void start() throws Exception {
    env = BrowserCluster.start("browser-resources");
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

  private Page open(HeadlessChromium.Recorded recorded, String path) {
    Page page = chromium.newPage(recorded);
    page.navigate(cluster.dashboardUrl() + path);
    waitFor(page, "() => document.getElementById('connection').textContent === 'live'");
    return page;
  }

  /** What is wrong with the points the plot drew (empty if nothing): the history rule and the canvas. */
  static final String PLOT_PROBLEMS = """
      () => {
        const plot = window.tasklanePlot;
        const p = plot.points;
        const c = document.querySelector('#plot canvas');
        const w = c.clientWidth, h = c.clientHeight;
        const bad = [];
        p.forEach((q, i) => {
          if (q.time % 1000 !== 0) bad.push('time not a whole second: ' + q.time);
          if (i > 0 && !(q.time > p[i - 1].time)) bad.push('times not increasing at ' + i);
          if (!(q.x >= 0 && q.x <= w && q.yCpu >= 0 && q.yCpu <= h && q.yMemory >= 0 && q.yMemory <= h))
            bad.push('point off the canvas: ' + JSON.stringify(q));
        });
        if (p.length > 300) bad.push(p.length + ' points, more than five minutes');
        if (p.length > 0 && p[p.length - 1].time - p[0].time >= 300000) bad.push('older than five minutes');
        const names = plot.series.map(s => s.name);
        if (!['cpu', 'memory'].every(n => names.includes(n))) bad.push('series ' + names);
        const cpu = plot.series.find(s => s.name === 'cpu');
        if (cpu && cpu.points.length !== p.length) bad.push('cpu series has ' + cpu.points.length + ' points');
        return bad;
      }""";

  @Test
  void resourcePlotHasPointsAndMoves() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = open(recorded, "status");
    waitFor(page, "() => window.tasklanePlot.points.length >= 3");
    Object before = page.evaluate("() => { const p = window.tasklanePlot.points; "
        + "return { n: p.length, time: p[p.length - 1].time }; }");
    // it moves: more points, and the newest one later, while the page is open
    waitFor(page, "b => { const p = window.tasklanePlot.points; "
        + "return p.length > b.n && p[p.length - 1].time > b.time; }", before);
    waitFor(page, "() => window.tasklanePlot.points.some(p => p.workers === 2 && p.memory > 0)");
    assertEquals(List.of(), page.evaluate(PLOT_PROBLEMS));

    // axes with units, and a legend with the newest values
    @SuppressWarnings("unchecked")
    Map<String, List<Map<String, Object>>> axes = (Map<String, List<Map<String, Object>>>) page.evaluate(
        "() => window.tasklanePlot.axes");
    assertTrue(axes.get("time").stream().anyMatch(t -> Boolean.TRUE.equals(t.get("labelled"))), "labelled time ticks");
    axes.get("time").forEach(t -> assertTrue(((String) t.get("label")).matches("\\d\\d:\\d\\d(:\\d\\d)?"),
        () -> "time label " + t));
    assertTrue(axes.get("cpu").size() >= 2, "cpu ticks");
    axes.get("cpu").forEach(t -> assertTrue(((String) t.get("label")).matches("\\d+(\\.\\d+)? %"),
        () -> "cpu label " + t));
    assertTrue(axes.get("memory").size() >= 2, "memory ticks");
    axes.get("memory").forEach(t -> assertTrue(
        ((String) t.get("label")).matches("0|\\d+(\\.\\d+)? (B|KiB|MiB|GiB|TiB)"), () -> "memory label " + t));
    String cpuLegend = page.textContent("#plot [data-series='cpu']");
    String memLegend = page.textContent("#plot [data-series='memory']");
    assertTrue(cpuLegend.matches("CPU\\s*\\d+(\\.\\d)? %"), () -> "cpu legend: " + cpuLegend);
    assertTrue(memLegend.matches("Memory\\s*\\d+(\\.\\d)? (B|KiB|MiB|GiB|TiB)"), () -> "memory legend: " + memLegend);
    assertEquals(List.of(), recorded.problems());
  }

  /** The points of {@code api/v1/resources.json}: the history the dashboard keeps. */
  private static int historyPoints() {
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      HttpRequest req = HttpRequest.newBuilder(URI.create(cluster.dashboardUrl() + "api/v1/resources.json"))
          .timeout(Duration.ofSeconds(5)).GET().build();
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        return 0;
      }
      JsonNode points = new ObjectMapper().readTree(r.body());
      return points.size();
    } catch (IOException e) {
      return 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  @Test
  void aPageOpenedLaterShowsTheHistoryItMissed() {
    // the dashboard has kept some seconds of points before the page opens
    LocalCluster.await(Duration.ofSeconds(90), "12 points of resource history", () -> historyPoints() >= 12);
    var recorded = new HeadlessChromium.Recorded();
    Page page = open(recorded, "status");
    // from the snapshot: points from well before the page was opened, drawn at once
    waitFor(page, "() => { const p = window.tasklanePlot.points; "
        + "return p.length >= 10 && p[0].time <= performance.timeOrigin - 8000; }");
    Number before = (Number) page.evaluate(
        "() => window.tasklanePlot.points.filter(p => p.time < performance.timeOrigin).length");
    assertTrue(before.intValue() >= 9, () -> before + " points from before the page opened");
    assertEquals(List.of(), page.evaluate(PLOT_PROBLEMS));
    assertEquals(List.of(), recorded.problems());
  }

  /** The body of the worker table in order: "host:NAME" and "worker:NAME". */
  static final String TABLE_ROWS = """
      () => Array.from(document.querySelectorAll('#workers-body tr')).map(r =>
          r.classList.contains('host-row') ? 'host:' + r.getAttribute('data-host')
                                           : 'worker:' + r.getAttribute('data-worker')).join(',')""";

  /** Per row (host or worker), the value cells as {field: {value, text, limit, fill}}. */
  static final String TABLE_CELLS = """
      () => Array.from(document.querySelectorAll('#workers-body tr')).map(r => {
        const cells = {};
        r.querySelectorAll('td[data-field]').forEach(td => {
          const fill = td.querySelector('.meter .meter-fill');
          cells[td.getAttribute('data-field')] = {
            value: Number(td.getAttribute('data-value')),
            text: td.querySelector('.cell-text').textContent,
            limit: td.hasAttribute('data-limit') ? Number(td.getAttribute('data-limit')) : null,
            fill: fill ? parseFloat(fill.style.width) : null,
          };
        });
        return { host: r.getAttribute('data-host'), worker: r.getAttribute('data-worker'), cells: cells };
      })""";

  @Test
  void workerTableGroupsWorkersByHost() {
    for (String path : List.of("status", "workers")) {
      var recorded = new HeadlessChromium.Recorded();
      Page page = open(recorded, path);
      waitFor(page, "rows => (" + TABLE_ROWS + ")() === rows", "host:127.0.0.1,worker:worker-1,worker:worker-2");
      // the workers' first metrics and the scheduler's first pings have come
      waitFor(page, "() => Array.from(document.querySelectorAll('#workers-body tr[data-worker]')).every(r => "
          + "Number(r.querySelector('td[data-field=\"memory\"]').getAttribute('data-value')) > 0 "
          + "&& Number(r.querySelector('td[data-field=\"latency\"]').getAttribute('data-value')) > 0)");

      @SuppressWarnings("unchecked")
      List<Map<String, Object>> rows = (List<Map<String, Object>>) page.evaluate(TABLE_CELLS);
      assertEquals(3, rows.size(), () -> path + ": " + rows);
      Map<String, Map<String, Object>> host = cells(rows.get(0));
      assertEquals("127.0.0.1", rows.get(0).get("host"));
      double cpuSum = 0;
      double memSum = 0;
      for (Map<String, Object> row : rows.subList(1, 3)) {
        String where = path + " " + row.get("worker") + ": " + row;
        Map<String, Map<String, Object>> c = cells(row);
        // CPU: a number, in percent, with its bar
        double cpu = value(c, "cpu");
        assertTrue(cpu >= 0, where);
        assertTrue(text(c, "cpu").matches("\\d+(\\.\\d)? %"), where);
        assertNotNull(c.get("cpu").get("fill"), where);
        // memory: resident bytes against the limit, as text and as a bar
        double mem = value(c, "memory");
        double limit = ((Number) c.get("memory").get("limit")).doubleValue();
        assertTrue(mem > 0 && limit >= mem, where);
        assertTrue(text(c, "memory").matches("\\d+(\\.\\d)? (B|KiB|MiB|GiB) / \\d+(\\.\\d)? (KiB|MiB|GiB|TiB)"), where);
        double fill = ((Number) c.get("memory").get("fill")).doubleValue();
        assertEquals(100 * mem / limit, fill, 0.2, where);
        // the other figures, for people
        assertTrue(text(c, "latency").matches("\\d+(\\.\\d+)? ms|\\d+\\.\\d\\d s"), where);
        for (String rate : List.of("netIn", "netOut", "diskRead", "diskWrite")) {
          assertTrue(text(c, rate).matches("\\d+(\\.\\d)? (B|KB|MB|GB)/s"), where);
        }
        assertTrue(text(c, "heldBytes").matches("\\d+(\\.\\d)? (B|KiB|MiB|GiB)"), where);
        assertEquals(2.0, value(c, "nthreads"), where);
        cpuSum += cpu;
        memSum += mem;
      }
      // the host row: the totals of its workers
      assertEquals(4.0, value(host, "nthreads"));
      assertEquals(cpuSum, value(host, "cpu"), 0.11);
      assertEquals(memSum, value(host, "memory"), 0.5);
      assertEquals(List.of(), recorded.problems(), path);
      page.context().close();
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> cells(Map<String, Object> row) {
    return (Map<String, Map<String, Object>>) row.get("cells");
  }

  private static double value(Map<String, Map<String, Object>> cells, String field) {
    return ((Number) cells.get(field).get("value")).doubleValue();
  }

  private static String text(Map<String, Map<String, Object>> cells, String field) {
    return (String) cells.get(field).get("text");
  }

  @Test
  void busyWorkersShowCpuInTheTableAndThePlot() {
    var recorded = new HeadlessChromium.Recorded();
    Page page = open(recorded, "status");
    waitFor(page, "() => document.querySelectorAll('#workers-body tr[data-worker]').length === 2");
    // eight leaves that keep a thread busy for 4 s each: both workers' two threads, twice
    graphs.add(cluster.client().submit(DemoGraphs.tree(8, 4.0)));
    waitFor(page, "() => Array.from(document.querySelectorAll('#workers-body tr[data-worker] td[data-field=\"cpu\"]'))"
        + ".some(td => Number(td.getAttribute('data-value')) > 20)");
    // and the plot's total follows
    waitFor(page, "() => window.tasklanePlot.points.some(p => p.cpu > 20)");
    assertEquals(List.of(), recorded.problems());
  }
}
