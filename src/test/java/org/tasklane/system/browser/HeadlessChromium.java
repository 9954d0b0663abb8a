package org.tasklane.system.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's {@code /usr/bin/chromium}, headless, driven by Playwright (BUILD-NOTES "Browser
 * tests"); Playwright never downloads a browser. Without chromium the calling test is skipped with
 * how to install it. Not named {@code Browser}: that is Playwright's class for the same concept.
 */
public final class HeadlessChromium implements AutoCloseable {
  static final Path CHROMIUM = Paths.get("/usr/bin/chromium");
  static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync");

  /**
   * Runs in every page before its own scripts: remembers every element of a kind no dashboard page
   * has ({@code img}, {@code b}, {@code iframe}, ...), even if it is removed again, so a test can
   * tell that user text never became markup.
   */
  static final String MARKUP_RECORDER = """
      window.__created = [];
      new MutationObserver(function (records) {
        records.forEach(function (r) {
          r.addedNodes.forEach(function (n) {
            if (n.nodeType !== 1) return;
            [n].concat(Array.from(n.querySelectorAll('*'))).forEach(function (e) {
              const tag = e.tagName.toLowerCase();
              if (['img', 'b', 'iframe', 'svg', 'object', 'embed', 'video', 'audio'].includes(tag)) {
                window.__created.push(tag);
              }
            });
          });
        });
      }).observe(document, { childList: true, subtree: true });
      """;

  private final Playwright playwright;
  private final Browser browser;

  /** What a page did that a dashboard page must never do. */
  public static final class Recorded {
    final List<String> dialogs = new CopyOnWriteArrayList<>();
    final List<String> pageErrors = new CopyOnWriteArrayList<>();
    final List<String> cspViolations = new CopyOnWriteArrayList<>();

    /** Empty if the page showed no dialog, threw no uncaught error and broke no CSP rule. */
    public List<String> problems() {
      List<String> all = new java.util.ArrayList<>();
      dialogs.forEach(d -> all.add("dialog: " + d));
      pageErrors.forEach(e -> all.add("uncaught error: " + e));
      cspViolations.forEach(c -> all.add("CSP: " + c));
      return all;
    }
  }

  private HeadlessChromium(Playwright playwright, Browser browser) {
    this.playwright = playwright;
    this.browser = browser;
  }

  /** Launches chromium, or skips the test (aborts it) if it is not installed. */
  static HeadlessChromium launch() {
    return launch(CHROMIUM);
  }

  /**
   * Launches chromium through {@code executable} (e.g. a script that runs it inside a test host's
   * network namespace), or skips the test if Debian's chromium is not installed.
   */
  public static HeadlessChromium launch(Path executable) {
    Assumptions.assumeTrue(Files.isExecutable(CHROMIUM), "chromium is not installed: apt-get install -y chromium");
    Playwright pw = Playwright.create(new Playwright.CreateOptions()
        .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    try {
      Browser b = pw.chromium().launch(new BrowserType.LaunchOptions()
          .setExecutablePath(executable)
          .setHeadless(true)
          .setArgs(ARGS));
      return new HeadlessChromium(pw, b);
    } catch (RuntimeException e) {
      pw.close();
      throw e;
    }
  }

  /**
   * A fresh page (own context: no shared cookies or cache) of a desktop size, recording into
   * {@code recorded}: dialogs (dismissed), uncaught errors and CSP violations.
   */
  public Page newPage(Recorded recorded) {
    BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1400, 900));
    context.addInitScript(MARKUP_RECORDER);
    Page page = context.newPage();
    page.setDefaultTimeout(60_000);
    page.onDialog(d -> {
      recorded.dialogs.add(d.type() + ": " + d.message());
      d.dismiss();
    });
    page.onPageError(e -> recorded.pageErrors.add(e));
    page.onConsoleMessage(m -> {
      if (m.text().contains("Content Security Policy")) {
        recorded.cspViolations.add(m.text());
      }
    });
    return page;
  }

  @Override
  public void close() {
    try {
      browser.close();
    } finally {
      playwright.close();
    }
  }
}
