package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.system.browser.Dashboards.waitFor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.microsoft.playwright.Page;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.system.LocalCluster;

/**
 * The dashboard of a large cluster (issue 15): 1,000 workers in 4 JVMs of 250 ({@code worker
 * --nworkers 250}, each JVM on a loopback address of its own, 127.0.0.1 to .4, so 4 hosts) run a
 * graph of 20,000 sleeps and 20 sums. The dashboard's counts equal the scheduler's; Chromium loads
 * the status page in under 5 s and its main thread stays below 50 % busy (long tasks, measured
 * with a PerformanceObserver) while it is live; the pages are in their large-cluster modes: hosts
 * collapsed, a host opens on a click and only the rows on screen are in the DOM, the filter, the
 * worker histograms. It prints the bytes per second one browser's event stream carries.
 */
class LargeClusterBrowserTest {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /** The 1,000 workers; a smaller run (at least 180 workers a JVM, 2 JVMs): -Dtasklane.test.large.jvms=2 ... */
  static final int JVMS = Integer.getInteger("tasklane.test.large.jvms", 4);
  static final int PER_JVM = Integer.getInteger("tasklane.test.large.per-jvm", 250);
  static final int WORKERS = JVMS * PER_JVM;
  static final int SUMS = 20;
  static final int NAPS_PER_SUM = 1000;

  /** Long tasks of the page's main thread, from its first script on. */
  static final String LONG_TASKS = """
      window.__longTasks = [];
      try {
        new PerformanceObserver(function (list) {
          list.getEntries().forEach(function (e) { window.__longTasks.push([e.startTime, e.duration]); });
        }).observe({ type: "longtask", buffered: true });
      } catch (e) { window.__longTasks = null; }
      """;

  static GraphSpec sleeps() {
    List<TaskSpec> tasks = new ArrayList<>();
    List<String> outputs = new ArrayList<>();
    for (int s = 0; s < SUMS; s++) {
      List<JsonNode> refs = new ArrayList<>();
      for (int i = 0; i < NAPS_PER_SUM; i++) {
        String key = "nap-" + s + "-" + i;
        tasks.add(new TaskSpec(key, "sleep", List.of(NODES.numberNode(0.05), NODES.numberNode(1)), null));
        refs.add(NODES.objectNode().put("ref", key));
      }
      tasks.add(new TaskSpec("sum-" + s, "sum", refs, null));
      outputs.add("sum-" + s);
    }
    return new GraphSpec("large-naps", tasks, outputs);
  }

  static int workersOnDashboard(LocalCluster cluster) {
    JsonNode w = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/workers.json");
    return w == null ? -1 : w.size();
  }

  /** The bytes one browser's event stream brings in {@code seconds} (after its snapshot). */
  static double eventBytesPerSecond(LocalCluster cluster, int seconds) throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<InputStream> r = http.send(HttpRequest.newBuilder(URI.create(cluster.dashboardUrl() + "events"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream in = r.body()) {
      byte[] buf = new byte[64 * 1024];
      long snapshotEnd = -1;
      long bytes = 0;
      long start = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(seconds + 30).toNanos();
      int prev = -1;
      while (System.nanoTime() < deadline) {
        int n = in.read(buf);
        if (n < 0) {
          break;
        }
        if (snapshotEnd < 0) {
          for (int i = 0; i < n && snapshotEnd < 0; i++) { // the snapshot ends at its first blank line
            if (buf[i] == '\n' && prev == '\n') {
              snapshotEnd = i;
              start = System.nanoTime();
              bytes = n - i - 1;
            }
            prev = buf[i];
          }
          continue;
        }
        bytes += n;
        if (System.nanoTime() - start >= Duration.ofSeconds(seconds).toNanos()) {
          return bytes / ((System.nanoTime() - start) / 1e9);
        }
      }
      throw new AssertionError("the event stream ended or stalled");
    }
  }

  @Test
  void aThousandWorkersOnOneDashboard() throws Exception {
    try (HeadlessChromium chromium = HeadlessChromium.launch();
        LocalCluster cluster = LocalCluster.start("large", 0, 1)) {
      // one JVM after the other: four JVMs of 250 workers joining at once overload a 2-core machine
      for (int j = 1; j <= JVMS; j++) {
        cluster.start("jvm" + j, "worker", "--scheduler", "127.0.0.1:" + cluster.port(), "--host", "127.0.0." + j,
            "--nthreads", "1", "--nworkers", "" + PER_JVM, "--name", "jvm" + j, "--join-timeout", "300s",
            "--no-nanny", "--no-profile");
        int expected = j * PER_JVM;
        LocalCluster.await(Duration.ofSeconds(300), expected + " workers registered", () -> {
          try {
            return cluster.client().workers().size() == expected;
          } catch (RuntimeException e) {
            return false;
          }
        });
      }
      LocalCluster.await(Duration.ofSeconds(120), WORKERS + " workers registered and on the dashboard", () -> {
        try {
          return cluster.client().workers().size() == WORKERS && workersOnDashboard(cluster) == WORKERS;
        } catch (RuntimeException e) {
          return false;
        }
      });

      String id = cluster.client().submit(sleeps());
      var recorded = new HeadlessChromium.Recorded();
      Page page = chromium.newPage(recorded);
      page.addInitScript(LONG_TASKS);
      long t0 = System.nanoTime();
      page.navigate(cluster.dashboardUrl() + "status");
      waitFor(page, "(n) => document.querySelector('table.workers.large tr.host-row') != null"
          + " && new RegExp('^' + n + ' workers').test(document.getElementById('worker-count').textContent)", WORKERS);
      double loadSeconds = (System.nanoTime() - t0) / 1e9;
      // where the load went, in the page's clock (ms from navigation start): the document, the
      // scripts, the first large table; and the main thread's long tasks by then
      Object breakdown = page.evaluate("() => { const n = performance.getEntriesByType('navigation')[0];"
          + " const lt = (window.__longTasks || []).reduce((s, t) => s + t[1], 0);"
          + " return [Math.round(n.responseEnd), Math.round(n.domContentLoadedEventEnd), Math.round(performance.now()),"
          + " Math.round(lt)]; }");
      System.out.printf(Locale.ROOT, "%d workers: page load [document, DOMContentLoaded, table drawn, long tasks] = %s ms%n",
          WORKERS, breakdown);

      // live for 10 s while the graph runs: the main thread's long tasks over that window
      double from = ((Number) page.evaluate("() => performance.now()")).doubleValue();
      page.waitForTimeout(10_000); // a measuring window, not a wait for a condition
      double to = ((Number) page.evaluate("() => performance.now()")).doubleValue();
      Object busyMs = page.evaluate("([a, b]) => window.__longTasks == null ? -1 : window.__longTasks"
          + ".filter(t => t[0] + t[1] > a && t[0] < b)"
          + ".reduce((s, t) => s + Math.min(b, t[0] + t[1]) - Math.max(a, t[0]), 0)", List.of(from, to));
      double busy = ((Number) busyMs).doubleValue() / (to - from);
      GraphStatus during = cluster.client().status(id);
      System.out.printf(Locale.ROOT, WORKERS + " workers: status page live in %.2f s; main thread %.1f %% busy "
          + "with long tasks over %.1f s (graph %s, %d of %d done)%n", loadSeconds, 100 * busy, (to - from) / 1000,
          during.state(), during.done(), during.tasks());

      // the large-cluster modes: 4 hosts collapsed, histograms of the 1,000 workers
      assertEquals(JVMS, page.locator("#workers tr.host-row").count());
      assertEquals(0, page.locator("#workers tr.worker-row").count(), "hosts collapsed");
      assertTrue(page.isVisible("#worker-hist"), "the worker histograms show");
      assertEquals(3, page.locator("#worker-hist figure[data-hist]").count());
      String counts = page.getAttribute("#worker-hist figure[data-hist='cpu']", "data-counts");
      int sum = 0;
      for (String c : counts.split(",")) {
        sum += Integer.parseInt(c);
      }
      assertEquals(WORKERS, sum, "every worker is in the CPU histogram");

      // the task stream: one band per host (of those that ran tasks), a click on a label opens its threads
      waitFor(page, "() => { const c = document.querySelector('#stream canvas.host-bands');"
          + " return c != null && +c.getAttribute('data-rows') >= 1 && +c.getAttribute('data-rows') <= 4; }");
      int bands = Integer.parseInt(page.getAttribute("#stream canvas.host-bands", "data-rows"));
      page.click("#stream canvas.host-bands", new Page.ClickOptions().setPosition(10, 11));
      waitFor(page, "(n) => +document.querySelector('#stream canvas.host-bands').getAttribute('data-rows') > n",
          bands);

      // a click opens a host: its 250 workers, of which only those on screen are rows
      page.click("#workers tr.host-row[data-host='127.0.0.2'] th");
      waitFor(page, "() => document.querySelectorAll('#workers tr.worker-row').length > 0");
      int rows = page.locator("#workers tr.worker-row").count();
      assertTrue(rows > 5 && rows < 100, "virtualised: " + rows + " worker rows in the DOM of 250");
      assertEquals("" + PER_JVM, page.getAttribute("#workers tr.host-row[data-host='127.0.0.2']", "data-workers"));

      // the filter: by worker name (user text, shown as text)
      String filter = "jvm" + JVMS + "-17"; // jvmN-17 and jvmN-170 .. jvmN-179
      page.fill(".worker-filter", filter);
      waitFor(page, "(f) => [...document.querySelectorAll('#workers tr.worker-row')].every("
          + "r => r.getAttribute('data-worker').startsWith(f))"
          + " && document.querySelectorAll('#workers tr.worker-row').length === 11", filter);
      assertEquals(1, page.locator("#workers tr.host-row").count(), "only the host of the matching workers");

      double bytesPerSecond = eventBytesPerSecond(cluster, 10);
      System.out.printf(Locale.ROOT, WORKERS + " workers: one browser's event stream %.0f KiB/s%n", bytesPerSecond / 1024);

      // the dashboard's counts equal the scheduler's
      GraphStatus done = cluster.client().awaitDone(id, Duration.ofMinutes(10));
      assertEquals("done", done.state(), done::toString);
      assertEquals(SUMS * NAPS_PER_SUM + SUMS, done.tasks());
      assertEquals((long) NAPS_PER_SUM, cluster.client().results(id).results().get("sum-0").asLong());
      LocalCluster.await(Duration.ofSeconds(30), "the dashboard counts every task of the graph done", () -> {
        JsonNode graph = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/graph.json?id=" + id);
        if (graph == null) {
          return false;
        }
        long total = 0;
        long finished = 0;
        for (JsonNode g : graph.get("groups")) {
          total += g.get("total").asLong();
          finished += g.get("memory").asLong() + g.get("released").asLong();
        }
        return total == done.tasks() && finished == done.done() && "done".equals(graph.at("/graph/state").asText());
      });
      assertEquals(cluster.client().workers().size(), workersOnDashboard(cluster), "workers: the scheduler's count");
      assertEquals(List.of(), recorded.problems());
      // the timings last, so that a slow machine still checks every mode above
      assertTrue(((Number) busyMs).doubleValue() >= 0, "the browser measures long tasks");
      assertTrue(busy < 0.5, "the main thread was " + busy + " busy");
      assertTrue(loadSeconds < 5, "the status page took " + loadSeconds + " s");
      page.context().close();
    }
  }
}
