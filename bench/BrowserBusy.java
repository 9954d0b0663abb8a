import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Paths;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How busy a dashboard page keeps the browser's main thread: opens URL in Debian's headless chromium
 * (Playwright, no download), waits until the page says it is live, then reads Chrome's own
 * {@code TaskDuration} (seconds of main-thread tasks) through the DevTools protocol at the start and
 * the end of SECONDS, and counts the long tasks (over 50 ms) a {@code PerformanceObserver} saw.
 * Prints one line: {@code busy 12.3% (long tasks: N, longest M ms; page live after L ms)}.
 *
 * Run (bench/scale does): java -cp TEST_CLASS_PATH bench/BrowserBusy.java URL SECONDS
 */
public class BrowserBusy {
  public static void main(String[] args) throws Exception {
    String url = args[0];
    int seconds = Integer.parseInt(args[1]);
    try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")))) {
      Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true)
          .setArgs(List.of("--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking")));
      Page page = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900)).newPage();
      page.addInitScript("""
          window.__long = {count: 0, longest: 0};
          new PerformanceObserver(function (list) {
            list.getEntries().forEach(function (e) {
              window.__long.count++;
              window.__long.longest = Math.max(window.__long.longest, e.duration);
            });
          }).observe({entryTypes: ['longtask']});
          """);
      long t0 = System.nanoTime();
      page.navigate(url);
      page.waitForSelector("#connection.conn-live", new Page.WaitForSelectorOptions().setTimeout(120_000));
      long liveMillis = (System.nanoTime() - t0) / 1_000_000;
      CDPSession cdp = page.context().newCDPSession(page);
      cdp.send("Performance.enable");
      double busy0 = taskDuration(cdp);
      long w0 = System.nanoTime();
      page.waitForTimeout(seconds * 1000.0); // the measuring window
      double busy = (taskDuration(cdp) - busy0) / ((System.nanoTime() - w0) / 1e9);
      Object longTasks = page.evaluate("() => window.__long");
      Map<?, ?> lt = (Map<?, ?>) longTasks;
      System.out.printf(Locale.ROOT, "busy %.1f%% (long tasks: %s, longest %.0f ms; page live after %d ms)%n",
          busy * 100, lt.get("count"), ((Number) lt.get("longest")).doubleValue(), liveMillis);
      browser.close();
    }
  }

  private static double taskDuration(CDPSession cdp) {
    JsonObject r = cdp.send("Performance.getMetrics");
    for (JsonElement m : r.getAsJsonArray("metrics")) {
      if ("TaskDuration".equals(m.getAsJsonObject().get("name").getAsString())) {
        return m.getAsJsonObject().get("value").getAsDouble();
      }
    }
    throw new IllegalStateException("chromium reported no TaskDuration");
  }
}
