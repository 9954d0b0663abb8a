package org.tasklane.system.browser;

import com.microsoft.playwright.Page;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.tasklane.system.LocalCluster;

/** What the browser tests share: waiting for a dashboard, and the page facts they poll for. */
final class Dashboards {
  private Dashboards() {}

  /** How long a page may take to show something: several JVMs and chromium share two cores. */
  static final double TIMEOUT_MS = 90_000;

  /** Dask-like colours the contract asks for, as getComputedStyle reports them. */
  static final String MEMORY_RGB = "rgb(31, 78, 153)";
  static final String RELEASED_RGB = "rgb(158, 202, 233)";
  static final String WAITING_RGB = "rgb(208, 208, 208)";
  static final String ERRED_RGB = "rgb(0, 0, 0)";
  static final String TRANSFER_COLOR = "#e31a1c";

  /** Waits until {@code GET url} answers 200 (the dashboard binds a little after the scheduler). */
  static void awaitOk(String url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    LocalCluster.await(Duration.ofSeconds(90), url + " answers 200", () -> {
      try {
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
      } catch (IOException e) {
        return false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    });
  }

  /** Polls {@code js} (a function expression of one argument) in the page until it is truthy. */
  static void waitFor(Page page, String js, Object arg) {
    page.waitForFunction(js, arg, new Page.WaitForFunctionOptions().setTimeout(TIMEOUT_MS).setPollingInterval(100));
  }

  static void waitFor(Page page, String js) {
    waitFor(page, js, null);
  }

  /** The progress counts of one group row as the page shows them, or null if it has no row. */
  static final String GROUP_COUNTS = """
      name => {
        const row = Array.from(document.querySelectorAll('#progress [data-group]'))
            .find(r => r.getAttribute('data-group') === name);
        if (!row) return null;
        const n = cls => Number(row.querySelector('.' + cls).getAttribute('data-count'));
        return { total: Number(row.getAttribute('data-total')), memory: n('seg-memory'),
                 released: n('seg-released'), waiting: n('seg-waiting'), erred: n('seg-erred'),
                 text: row.textContent };
      }""";

  /** A bar's centre in page coordinates, and its key. */
  record Hit(double x, double y, String key) {}

  /**
   * The bars a hover at their centre finds, as JS over {@code bars} (bottom first, as drawn): those
   * whose centre no bar drawn above them covers, with a little more slack than the page's hit test.
   */
  private static final String ISOLATED = """
      const covers = (b, x, y) => x >= b.x - 1.5 && x <= b.x + b.w + 1.5 && y >= b.y && y <= b.y + b.h;
      // where to point at a bar: transfers are drawn over the middle of task rows (a task's inputs
      // may arrive while the previous task runs), so a task is pointed at in its top band
      const probeY = b => b.kind === 'task' ? b.y + Math.max(1, Math.floor(b.h * 0.1)) : b.y + b.h / 2;
      const isolated = bars.filter((b, i) => !bars.some((o, j) => j > i
          && covers(o, b.x + b.w / 2, probeY(b))));
      """;

  /**
   * Moves the pointer onto the stream (its label column, where no bar is) so that a live stream
   * holds still, then returns the centre of a bar that {@code pick} (a JS function expression from
   * (bars, arg) to one bar or null) chooses among those that no other bar covers where the pointer
   * goes (a task's top band, a transfer's centre); null if it chooses none.
   */
  static Hit isolatedBar(Page page, String pick, String arg) {
    var box = page.locator("canvas.stream-rows").boundingBox();
    page.mouse().move(box.x + 3, box.y + 3);
    return barCentre(page, "const bar = (" + pick + ")(isolated, arg);", arg);
  }

  private static Hit barCentre(Page page, String choose, String arg) {
    Object found = page.evaluate("""
        arg => {
          const bars = window.tasklaneStream.bars;
          %s
          %s
          if (!bar) return null;
          const r = document.querySelector('canvas.stream-rows').getBoundingClientRect();
          return { x: r.left + bar.x + bar.w / 2, y: r.top + probeY(bar), key: bar.key };
        }""".formatted(ISOLATED, choose), arg == null ? "" : arg);
    if (found == null) {
      return null;
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) found;
    return new Hit(((Number) m.get("x")).doubleValue(), ((Number) m.get("y")).doubleValue(), (String) m.get("key"));
  }

  /**
   * On a zoomable stream (the tasks page): the last bar {@code pick} (a JS predicate on a bar)
   * accepts, zoomed in on with the mouse wheel until nothing else covers its centre (a task that
   * took no measurable time stays 1 px wide, which the hover still finds). Fails if no bar matches.
   */
  static Hit zoomInOn(Page page, String pick) {
    for (int i = 0; i < 25; i++) {
      Object state = page.evaluate("""
          arg => {
            const bars = window.tasklaneStream.bars;
            %s
            const matching = bars.filter(%s);
            const bar = matching[matching.length - 1];
            if (!bar) return null;
            const r = document.querySelector('canvas.stream-rows').getBoundingClientRect();
            return { x: r.left + bar.x + bar.w / 2, y: r.top + probeY(bar), key: bar.key,
                     alone: isolated.includes(bar),
                     span: window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0 };
          }""".formatted(ISOLATED, pick), "");
      if (state == null) {
        throw new AssertionError("no bar on the stream matches " + pick);
      }
      @SuppressWarnings("unchecked")
      Map<String, Object> m = (Map<String, Object>) state;
      double x = ((Number) m.get("x")).doubleValue();
      double y = ((Number) m.get("y")).doubleValue();
      if (Boolean.TRUE.equals(m.get("alone"))) {
        return new Hit(x, y, (String) m.get("key"));
      }
      double span = ((Number) m.get("span")).doubleValue();
      page.mouse().move(x, y);
      page.mouse().wheel(0, -500); // zooms in around the pointer: the bar stays under it
      waitFor(page, "span => window.tasklaneStream.view.t1 - window.tasklaneStream.view.t0 < span * 0.9", span);
    }
    throw new AssertionError("zooming in did not set a bar matching " + pick + " apart from the others");
  }

  /** A free port on loopback, for a process that is told which to bind. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }
}
