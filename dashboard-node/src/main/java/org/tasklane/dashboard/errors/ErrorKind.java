package org.tasklane.dashboard.errors;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What kind of error a task record is: its exception type and message, read from its stack trace
 * when it came with one, else from its error text ({@code "SimpleName: message | at frame | ..."},
 * perhaps after {@code "attempt 1 of 3 failed, retrying: "}). Errors that are no exception (a
 * timeout, an unknown function, a result too large) have no type: their text is their message.
 *
 * <p>Errors group by the type's simple name and the {@link #pattern}: the message with the task's
 * own key and every run of digits taken out, so that {@code "bad row 17 in load-3"} and
 * {@code "bad row 4 in load-9"} are one group (each example keeps its own text).
 *
 * @param type the exception's class name (qualified when read from a trace), or "" if none
 * @param message the first line of the message, at most {@link #MAX_MESSAGE} characters
 * @param pattern the message normalised for grouping
 */
public record ErrorKind(String type, String message, String pattern) {
  static final int MAX_MESSAGE = 500;
  private static final Pattern ATTEMPT = Pattern.compile("^attempt \\d+ of \\d+ failed(?:, retrying)?: ");
  /** {@code a.b.Name: message} or {@code Name}: a class name whose last part starts upper case. */
  private static final Pattern THROWN =
      Pattern.compile("^((?:[\\p{L}_$][\\p{L}\\p{N}_$]*\\.)*\\p{Lu}[\\p{L}\\p{N}_$]*)(?::\\s?(.*))?$", Pattern.DOTALL);
  private static final Pattern DIGITS = Pattern.compile("\\d+");

  /** The key errors are grouped by: the type's simple name and the pattern. */
  public String groupKey() {
    return simpleType() + "\u0000" + pattern;
  }

  public String simpleType() {
    int dot = type.lastIndexOf('.');
    return dot < 0 ? type : type.substring(dot + 1);
  }

  /** The kind of a task's error: from its trace if it has one, else from its error text. */
  public static ErrorKind of(String error, String trace, String key) {
    String head = trace != null && !trace.isBlank() ? traceHead(trace) : errorHead(error);
    Matcher m = THROWN.matcher(head);
    String type = "";
    String message = head;
    if (m.matches()) {
      type = m.group(1);
      message = m.group(2) == null ? "" : m.group(2);
    }
    message = oneLine(message);
    return new ErrorKind(type, message, normalise(message, key));
  }

  /** The trace's lines before its first frame (the exception and its message, which may span lines). */
  static String traceHead(String trace) {
    int at = trace.indexOf("\n\tat ");
    String head = at < 0 ? trace : trace.substring(0, at);
    return head.strip();
  }

  /** The error text without the scheduler's account of the attempt and without its frames. */
  static String errorHead(String error) {
    if (error == null || error.isBlank()) {
      return "(no message)";
    }
    String text = ATTEMPT.matcher(error).replaceFirst("");
    int frames = text.indexOf(" | at ");
    return (frames < 0 ? text : text.substring(0, frames)).strip();
  }

  private static String oneLine(String text) {
    String s = text.replaceAll("\\s+", " ").strip();
    return s.length() > MAX_MESSAGE ? s.substring(0, MAX_MESSAGE) + "…" : s;
  }

  /** The message with the task's own key (if it is long enough not to match by chance) and digits replaced. */
  static String normalise(String message, String key) {
    String s = message;
    if (key != null && key.length() >= 4) {
      s = s.replace(key, "{key}");
    }
    return DIGITS.matcher(s).replaceAll("#");
  }
}
