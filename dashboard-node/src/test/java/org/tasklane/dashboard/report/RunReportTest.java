package org.tasklane.dashboard.report;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RunReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DATA_OPEN = "<script type=\"application/json\" id=\"run-data\">";

  static String html(RunIndex run) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    RunReport.write(run, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  static String dataText(String html) {
    int from = html.indexOf(DATA_OPEN) + DATA_OPEN.length();
    return html.substring(from, html.indexOf("</script>", from));
  }

  @Test
  void requestsNothingFromAnywhere() throws Exception {
    String html = html(TraceExportTest.sample().metrics("w1", 5, 50, 1 << 20, 1).index());
    Matcher refs = Pattern.compile("(?i)\\b(src|href|action)\\s*=\\s*[\"']?([^\"'\\s>]*)").matcher(html);
    List<String> found = new ArrayList<>();
    while (refs.find()) {
      found.add(refs.group(2));
    }
    assertEquals(List.of("data:,"), found, "the only reference is the empty icon");
    assertFalse(Pattern.compile("(?i)url\\(").matcher(html).find(), "no CSS url()");
    assertTrue(html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"" + RunReport.CONTENT_SECURITY_POLICY + "\">"));
    assertTrue(RunReport.CONTENT_SECURITY_POLICY.startsWith("default-src 'none'; script-src 'sha256-"));
    assertTrue(RunReport.CONTENT_SECURITY_POLICY.contains("img-src data:"));
  }

  @Test
  void everyInlineScriptAndStyleIsAllowedByItsHash() throws Exception {
    String html = html(TraceExportTest.sample().index());
    Matcher scripts = Pattern.compile("<script>(.*?)</script>", Pattern.DOTALL).matcher(html);
    int n = 0;
    while (scripts.find()) {
      assertTrue(RunReport.CONTENT_SECURITY_POLICY.contains(RunReport.hash(scripts.group(1))));
      n++;
    }
    assertEquals(3, n);
    Matcher style = Pattern.compile("<style>(.*?)</style>", Pattern.DOTALL).matcher(html);
    assertTrue(style.find());
    assertTrue(RunReport.CONTENT_SECURITY_POLICY.contains("style-src " + RunReport.hash(style.group(1))));
  }

  @Test
  void userTextCannotCloseTheDataElement() throws Exception {
    String html = html(TraceExportTest.sample().index());
    String data = dataText(html);
    for (String bad : List.of("<", ">", "&", "\u2028", "\u2029")) {
      assertFalse(data.contains(bad), "raw " + bad + " in the embedded JSON");
    }
    JsonNode d = JSON.readTree(data);
    List<String> keys = new ArrayList<>();
    d.get("stream").get("tasks").forEach(t -> keys.add(t.get(1).asText()));
    assertTrue(keys.contains("load-\"0\"</script>"));
    assertTrue(keys.contains("boom-<b>x</b>"));
    assertEquals("it \"failed\" <badly>\u2028", d.get("errors").get("groups").get(0).get("text").asText());
    assertEquals(4, html.split("</script>", -1).length - 1, "the data element and three scripts, nothing else");
  }

  @Test
  void embedsEverySectionOfTheRun() throws Exception {
    JsonNode d = JSON.readTree(dataText(html(TraceExportTest.sample().metrics("w1", 5, 50, 1 << 20, 1)
        .metrics("w1", 900, 150, 2 << 20, 2).index())));
    assertEquals(6, d.get("stream").get("total").asInt());
    assertEquals(6, d.get("stream").get("tasks").size());
    assertFalse(d.get("stream").get("sampled").asBoolean());
    assertEquals(3, d.get("transfers").get("count").asInt());
    assertEquals(1, d.get("errors").get("erred").asInt());
    assertEquals("w1", d.get("workers").get("list").get(0).get("name").asText());
    assertEquals(2, d.get("workers").get("list").get(0).get("points").size());
    assertTrue(d.get("critical").get("steps").size() > 0);
    assertFalse(d.get("critical").get("complete").asBoolean(), "late's input 99 is not in the records");
    assertTrue(d.get("slowest").size() <= 20);
  }

  @Test
  void perGroupTime() {
    Runs runs = new Runs();
    runs.task(1, "load-0", "w1", "t0", 100, 1_100, List.of()); // waited 100 for a thread after the submission
    runs.task(2, "load-1", "w2", "t0", 0, 500, List.of());
    runs.task(3, "sum", "w2", "t0", 2_000, 2_500, List.of(1L, 2L), Runs.moved(1, "load-0", "w1", 10, 1_200, 1_700),
        Runs.moved(1, "load-0", "w1", 10, 1_500, 1_800)); // overlapping fetches count once: 600
    List<GroupTimes.Group> groups = GroupTimes.of(runs.index());
    assertEquals(new GroupTimes.Group("load", 2, 0, 1_500, 0, 100), groups.get(0));
    // inputs done at 1100; start 2000; 600 of the 900 in between were transfers
    assertEquals(new GroupTimes.Group("sum", 1, 0, 500, 600, 300), groups.get(1));
  }

  @Test
  void errorsGroupByTheirFirstLine() {
    Runs runs = new Runs();
    runs.erred(1, "a", "w1", "t0", 0, 1, "ValueError: bad\n  at a");
    runs.erred(2, "b", "w1", "t0", 0, 1, "ValueError: bad\n  at b");
    runs.erred(3, "c", "w1", "t0", 0, 1, "dependency a failed");
    ErrorGroups.Summary s = ErrorGroups.of(runs.index().runs());
    assertEquals(3, s.erred());
    assertEquals("ValueError: bad", s.groups().get(0).message());
    assertEquals(2, s.groups().get(0).count());
    assertEquals(List.of("a", "b"), s.groups().get(0).keys());
    assertEquals("ValueError: bad\n  at a", s.groups().get(0).text());
  }

  @Test
  void aLargeRunKeepsTheSlowestThePathTheErrorsAndAnEvenSample() {
    Runs runs = new Runs();
    for (int i = 0; i < 1_000; i++) {
      runs.task(i, "inc-" + i, "w1", "t" + (i % 2), i * 10L, i * 10L + (i == 500 ? 5_000 : 5), List.of());
    }
    runs.erred(5_000, "bad", "w1", "t0", 3, 4, "x");
    RunIndex index = runs.index();
    CriticalPath path = CriticalPath.of(index.lastGood(), index.submittedMicros());
    StreamSample s = StreamSample.of(index.runs(), path, index, 100);
    assertTrue(s.sampled());
    assertTrue(s.keeps(500), "the slowest");
    assertTrue(s.keeps(1_000), "the erred");
    int last = index.runs().indexOf(index.lastGood().get(path.steps().get(path.steps().size() - 1).taskId()));
    assertTrue(s.keeps(last), "the end of the critical path");
    assertTrue(s.kept() >= 100 && s.kept() <= 100 + StreamSample.SLOWEST + 2, "kept " + s.kept());
  }
}
