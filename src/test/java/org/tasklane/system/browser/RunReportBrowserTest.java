package org.tasklane.system.browser;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Page;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.tasklane.system.CliRunAccess;
import org.tasklane.system.LocalCluster;
import org.tasklane.system.RunExports;

/**
 * A real run's report, saved by {@code tasklane submit --report FILE}, opened by Chromium from
 * {@code file://} with every other request aborted: the task stream draws every task, the
 * critical path is drawn over it, user text stays text, and nothing failed or logged an error.
 */
class RunReportBrowserTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String NAME = "report <b>tree</b> \"8\"";

  @Test
  void aSavedReportOpensFromDiskWithNoNetwork() throws Exception {
    try (BrowserCluster env = BrowserCluster.start("browser-report")) {
      LocalCluster cluster = env.cluster();
      Path dir = Files.createDirectories(cluster.logs().resolve("report"));
      Path graph = dir.resolve("tree.json");
      Files.writeString(graph, RunExports.treeGraph(NAME, 8, 0.05));
      Path saved = dir.resolve("run.html").toAbsolutePath().normalize();
      Files.deleteIfExists(saved);

      var submit = CliRunAccess.run("browser-report", "submit-report", Duration.ofMinutes(3), "submit",
          graph.toString(), "--scheduler", "127.0.0.1:" + cluster.apiPort(), "--report", saved.toString(),
          "--dashboard", cluster.dashboardUrl());
      assertEquals(0, submit.exit(), submit.err());
      assertTrue(submit.err().contains("report saved to"), submit.err());
      Matcher id = Pattern.compile("submitted graph (\\S+) to").matcher(submit.err());
      assertTrue(id.find(), submit.err());
      JsonNode run = RunExports.awaitRecordedRun(cluster.dashboardUrl(), id.group(1), Duration.ofSeconds(30));
      assertEquals(15, run.get("recordedTasks").asInt());

      String html = Files.readString(saved, StandardCharsets.UTF_8);
      String open = "<script type=\"application/json\" id=\"run-data\">";
      int from = html.indexOf(open) + open.length();
      JsonNode data = JSON.readTree(html.substring(from, html.indexOf("</script>", from)));
      int steps = data.get("critical").get("steps").size();
      assertTrue(steps > 0);

      var recorded = new HeadlessChromium.Recorded();
      Page page = env.chromium().newPage(recorded);
      String fileUrl = saved.toUri().toString();
      List<String> otherRequests = new CopyOnWriteArrayList<>();
      List<String> consoleErrors = new CopyOnWriteArrayList<>();
      page.context().route("**/*", route -> {
        if (route.request().url().equals(fileUrl)) {
          route.resume();
        } else {
          otherRequests.add(route.request().url());
          route.abort();
        }
      });
      page.onRequest(r -> {
        if (!r.url().equals(fileUrl)) {
          otherRequests.add(r.url());
        }
      });
      page.onRequestFailed(r -> otherRequests.add("failed: " + r.url()));
      page.onConsoleMessage(m -> {
        if (m.type().equals("error") || m.type().equals("warning")) {
          consoleErrors.add(m.type() + ": " + m.text());
        }
      });
      page.navigate(fileUrl);
      page.waitForFunction("() => Number(document.getElementById('stream').getAttribute('data-tasks-drawn')) > 0"
          + " && document.getElementById('stream').hasAttribute('data-critical-steps')");

      assertEquals(15, Integer.parseInt(page.getAttribute("#stream", "data-tasks-drawn")), "every task drawn");
      assertEquals(steps, Integer.parseInt(page.getAttribute("#stream", "data-critical-steps")),
          "every step of the critical path drawn");
      assertEquals(String.valueOf(steps), page.getAttribute("#critical-summary", "data-steps"));
      Number orange = (Number) page.evaluate("() => {"
          + " const c = document.querySelector('#stream canvas.stream-rows');"
          + " const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;"
          + " for (let i = 0; i < d.length; i += 4) {"
          + "   if (d[i] > 230 && d[i + 1] > 100 && d[i + 1] < 150 && d[i + 2] < 60) n++; }"
          + " return n; }");
      assertTrue(orange.intValue() > 20, "the critical path's orange outline is on the canvas: " + orange);
      assertEquals(NAME, page.textContent("#run-title"), "the graph's name is text");
      assertEquals(steps, page.locator("#critical-table tbody tr").count());
      assertTrue(page.locator("#groups-table tbody tr").count() >= 2, "load and merge");
      assertTrue(page.locator("#workers-table tbody tr").count() >= 1);
      assertEquals(List.of(), page.evaluate("() => window.__created"), "no markup made of user text");

      assertEquals(List.of(), otherRequests, "no request but the file itself");
      assertEquals(List.of(), consoleErrors);
      assertEquals(List.of(), recorded.problems());
    }
  }
}
