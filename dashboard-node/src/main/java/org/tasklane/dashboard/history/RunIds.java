package org.tasklane.dashboard.history;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.regex.Pattern;

/**
 * Run ids: {@code <submitted, UTC, yyyyMMdd-HHmmss-SSS>-<graph id>}, the file's name without
 * {@code .tlrun}. Sorting them sorts runs by start. Only ids of exactly this shape are ever turned
 * into a path, so an id from a URL cannot name anything outside the history folder.
 */
public final class RunIds {
  private RunIds() {}

  /** A run id: digits, then a graph id of URL-safe base64 characters. */
  public static final Pattern PATTERN = Pattern.compile("[0-9]{8}-[0-9]{6}-[0-9]{3}-[A-Za-z0-9_-]{1,64}");
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss-SSS").withZone(ZoneOffset.UTC);
  private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9_-]");

  public static boolean valid(String id) {
    return id != null && PATTERN.matcher(id).matches();
  }

  /** The id of a graph's run; characters a graph id should not have become {@code _}. */
  static String of(long submittedMillis, String graphId) {
    String safe = UNSAFE.matcher(graphId == null || graphId.isEmpty() ? "graph" : graphId).replaceAll("_");
    if (safe.length() > 64) {
      safe = safe.substring(0, 64);
    }
    long year0 = -62_135_596_800_000L; // 0001-01-01: keeps the stamp at 4 digits of year
    long clamped = Math.max(year0, Math.min(submittedMillis, 253_402_300_799_999L));
    return STAMP.format(Instant.ofEpochMilli(clamped)) + "-" + safe;
  }
}
