package org.tasklane.system;

import java.util.Random;

/**
 * Random mutations of a valid graph's JSON, for fuzzing the client API: deleted and overwritten
 * characters, inserted JSON tokens and escapes (half surrogates included), deleted and copied spans.
 * {@code BadInputLoadSystemTest} sends thousands with a fixed seed; the soak sends them for minutes.
 * (The protocol module's {@code GraphValidatorFuzzTest} mutates the same way, in its own module.)
 */
public final class GraphMutator {
  private GraphMutator() {}

  /** A small valid graph with every kind of field, and a key with HTML and Unicode. */
  public static final String VALID = """
      {"name": "fuzz",
       "tasks": [
         {"key": "load-0", "fn": "inc", "args": [1]},
         {"key": "load-1", "fn": "add", "args": [2, 3], "group": "load"},
         {"key": "x-<b>\u00e9</b>", "fn": "inc", "args": [{"ref": "load-0"}]},
         {"key": "total",  "fn": "sum",   "args": [{"ref": "load-0"}, {"ref": "load-1"}, [1, 2.5, 3]]}],
       "want": ["total"]}
      """;
  static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-1", "1e999",
      "{\"ref\": \"total\"}", "{\"ref\": \"nope\"}", "\"key\"", "\"tasks\"", "\"fn\"", "\"want\"", "\"group\"",
      "\\u0000", "\\ud800", "\\udc00", "\\ud83d\\ude00", "\u00e9", "\n", "9999999999999999999999", "[[[[[[[[", "]]]]]]]]"};

  /** {@code s} after {@code times} random edits. */
  public static String mutate(String s, Random r, int times) {
    StringBuilder b = new StringBuilder(s);
    for (int k = 0; k < times && b.length() > 0; k++) {
      int at = r.nextInt(b.length());
      switch (r.nextInt(5)) {
        case 0 -> b.deleteCharAt(at);
        case 1 -> b.insert(at, TOKENS[r.nextInt(TOKENS.length)]);
        case 2 -> b.setCharAt(at, (char) (32 + r.nextInt(95)));
        case 3 -> b.delete(at, Math.min(b.length(), at + r.nextInt(20)));
        default -> {
          int from = r.nextInt(b.length());
          int len = Math.min(30, b.length() - from);
          b.insert(at, b.substring(from, from + len));
        }
      }
    }
    return b.toString();
  }
}
