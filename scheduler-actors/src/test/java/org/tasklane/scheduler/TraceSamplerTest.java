package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** Which traces go out with their task records: a few of each kind per graph, bounded per graph. */
class TraceSamplerTest {
  private static String trace(String message, String frame) {
    return "java.lang.IllegalStateException: " + message + "\n\tat my.Job." + frame + "(Job.java:12)\n";
  }

  @Test
  void theFirstFewOfEachKindGoOutAndNumbersInTheMessageDoNotMakeANewKind() {
    TraceSampler s = new TraceSampler();
    for (int i = 0; i < TraceSampler.PER_KIND; i++) {
      assertNotNull(s.sample("g", trace("bad row " + i, "parse")));
    }
    assertNull(s.sample("g", trace("bad row 99", "parse")), "same kind: only the first few");
    assertNotNull(s.sample("g", trace("bad row 1", "load")), "thrown elsewhere: another kind");
    assertNotNull(s.sample("g", trace("no such file", "parse")), "another message: another kind");
    assertNotNull(s.sample("other", trace("bad row 5", "parse")), "counted per graph");
    assertNull(s.sample("g", null));
  }

  @Test
  void atMostMaxPerGraphAndForgettingStartsAgain() {
    TraceSampler s = new TraceSampler();
    int sent = 0;
    for (int i = 0; i < 3 * TraceSampler.MAX_PER_GRAPH; i++) {
      if (s.sample("g", trace("x", "f" + i)) != null) {
        sent++;
      }
    }
    assertEquals(TraceSampler.MAX_PER_GRAPH, sent);
    s.forget("g");
    assertNotNull(s.sample("g", trace("x", "f0")));
  }
}
