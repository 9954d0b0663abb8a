package org.tasklane.dashboard.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.tasklane.protocol.DashboardProtocol.TaskEvent;

/**
 * The run's errors grouped by message (its first line), most frequent first: how many runs erred
 * with it, a few of their keys, and one full error text. Bounded: at most {@link #MAX_GROUPS}
 * groups (the rest counted in {@link Summary#otherErrors()}), {@link #MAX_KEYS} keys each, and
 * full texts cut at {@link #MAX_TEXT} characters.
 */
public final class ErrorGroups {
  static final int MAX_GROUPS = 50;
  static final int MAX_KEYS = 5;
  static final int MAX_TEXT = 65_536;
  static final int MAX_MESSAGE = 300;
  /** Distinct messages tracked while counting; past it, new messages count as "other". */
  static final int MAX_TRACKED = 10_000;

  public record Group(String message, long count, List<String> keys, String text, boolean textCut) {}

  public record Summary(List<Group> groups, long erred, long otherErrors) {}

  private ErrorGroups() {}

  public static Summary of(List<TaskEvent> runs) {
    Map<String, Group> byMessage = new LinkedHashMap<>();
    long erred = 0;
    long untracked = 0;
    for (TaskEvent t : runs) {
      if (!"erred".equals(t.status())) {
        continue;
      }
      erred++;
      String text = t.error() == null ? "(no message)" : t.error();
      String message = message(text);
      Group g = byMessage.get(message);
      if (g == null) {
        if (byMessage.size() >= MAX_TRACKED) {
          untracked++;
          continue;
        }
        boolean cut = text.length() > MAX_TEXT;
        g = new Group(message, 0, new ArrayList<>(), cut ? text.substring(0, MAX_TEXT) : text, cut);
      }
      if (g.keys().size() < MAX_KEYS) {
        g.keys().add(String.valueOf(t.key()));
      }
      byMessage.put(message, new Group(message, g.count() + 1, g.keys(), g.text(), g.textCut()));
    }
    List<Group> sorted = new ArrayList<>(byMessage.values());
    sorted.sort((a, b) -> Long.compare(b.count(), a.count()));
    long other = untracked;
    for (int i = MAX_GROUPS; i < sorted.size(); i++) {
      other += sorted.get(i).count();
    }
    List<Group> top = sorted.subList(0, Math.min(MAX_GROUPS, sorted.size())).stream()
        .map(g -> new Group(g.message(), g.count(), List.copyOf(g.keys()), g.text(), g.textCut()))
        .toList();
    return new Summary(top, erred, other);
  }

  /** The first non-blank line, at most {@link #MAX_MESSAGE} characters. */
  static String message(String text) {
    String first = text.strip().lines().findFirst().orElse("(no message)").strip();
    return first.length() > MAX_MESSAGE ? first.substring(0, MAX_MESSAGE) + "…" : first;
  }
}
