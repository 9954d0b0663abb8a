package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Random mutations of valid graph JSON (a fixed seed, so a failure can be replayed): the validator
 * answers every one with a valid graph or a one-line error, and never throws.
 */
class GraphValidatorFuzzTest {
  static final long SEED = 20261128L;
  static final int CASES = 5_000;
  static final String VALID = """
      {"name": "demo",
       "tasks": [
         {"key": "load-0", "fn": "sleep", "args": [0.1, 7]},
         {"key": "load-1", "fn": "sleep", "args": [0.1, 8], "group": "load"},
         {"key": "x-<b>é</b>", "fn": "inc", "args": [{"ref": "load-0"}]},
         {"key": "total",  "fn": "sum",   "args": [{"ref": "load-0"}, {"ref": "load-1"}, [1, 2.5, null, true]]}],
       "want": ["total"]}
      """;
  static final String[] TOKENS = {"{", "}", "[", "]", ",", ":", "\"", "\\", "null", "true", "-1", "1e999",
      "{\"ref\": \"total\"}", "{\"ref\": \"nope\"}", "\"key\"", "\"tasks\"", "\u0000", "\uD800", "\n", "9999999999999999999999",
      // JSON escapes: half a surrogate pair, a whole one, a NUL
      "\\ud800", "\\udc00", "\\ud83d\\ude00", "\\u0000"};

  @Test
  void everyMutationGetsAGraphOrAOneLineError() throws Exception {
    ObjectMapper json = new ObjectMapper();
    GraphValidator validator = new GraphValidator(json);
    Random random = new Random(SEED);
    int valid = 0;
    int invalid = 0;
    for (int i = 0; i < CASES; i++) {
      String mutated = mutate(VALID, random, 1 + random.nextInt(4));
      GraphValidator.Result result;
      try {
        result = validator.parseAndValidate(mutated.getBytes(StandardCharsets.UTF_8));
      } catch (RuntimeException e) {
        throw new AssertionError("case " + i + " threw " + e + " for: " + mutated, e);
      }
      final int n = i;
      if (result instanceof GraphValidator.Invalid bad) {
        invalid++;
        assertFalse(bad.error().isBlank(), "case " + n);
        assertFalse(bad.error().contains("\n"), () -> "case " + n + ": one line: " + bad.error());
        assertTrue(bad.httpStatus() == 400 || bad.httpStatus() == 422, "case " + i);
        json.writeValueAsBytes(java.util.Map.of("error", bad.error())); // the answer can be written
      } else {
        valid++;
        GraphSpec g = ((GraphValidator.Valid) result).graph();
        assertFalse(g.tasks().isEmpty());
        assertFalse(g.want().isEmpty());
        // what is accepted can be written out again (to workers, the dashboard, clients)
        try {
          json.writeValueAsBytes(g);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
          throw new AssertionError("case " + n + " was accepted but cannot be written: " + e.getMessage(), e);
        }
      }
    }
    assertTrue(invalid > CASES / 2, "most mutations break the graph: " + invalid);
    assertTrue(valid > 0, "some mutations keep it valid (whitespace, values): " + valid);
  }

  static String mutate(String s, Random r, int times) {
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
