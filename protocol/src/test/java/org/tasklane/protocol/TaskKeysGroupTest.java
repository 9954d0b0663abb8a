package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link TaskKeys#group}'s scan gives what splitting the key into words gave, on keys of every shape. */
class TaskKeysGroupTest {
  /** The group as first written: split on dashes, keep the leading words of letters that are not a hash. */
  private static String bySplitting(String key) {
    if (key == null || key.isEmpty()) {
      return "";
    }
    String[] words = key.split("-", -1);
    StringBuilder result = new StringBuilder(words[0]);
    for (int i = 1; i < words.length; i++) {
      String w = words[i];
      boolean letters = !w.isEmpty() && w.chars().allMatch(c -> Character.isLetter((char) c));
      boolean hex = w.chars().allMatch(c -> Character.digit((char) c, 16) >= 0);
      if (letters && !(w.length() == 8 && hex)) {
        result.append('-').append(w);
      } else {
        break;
      }
    }
    return result.length() == 0 ? key : result.toString();
  }

  @Test
  void theScanAgreesWithTheSplitOnRandomKeys() {
    char[] alphabet = {'a', 'b', 'f', 'z', 'A', 'F', 'Z', '-', '-', '-', '0', '9', '_', 'É', 'Ａ', '１', 'ß'};
    Random random = new Random(42);
    for (int i = 0; i < 200_000; i++) {
      StringBuilder key = new StringBuilder();
      for (int n = random.nextInt(24); n > 0; n--) {
        key.append(alphabet[random.nextInt(alphabet.length)]);
      }
      if (random.nextInt(4) == 0) { // an 8-letter word that may be a hash
        key.append('-').append(random.nextBoolean() ? "deadbeef" : "deadbeeg");
      }
      String k = key.toString();
      assertEquals(bySplitting(k), TaskKeys.group(k), k);
    }
    for (String k : new String[] {null, "", "-", "--", "-a", "a-", "a--b", "x", "load-0", "sum-level-2-17",
        "inc-deadbeef", "inc-deadbeefs", "a-b-c", "-1", "1-a"}) {
      assertEquals(bySplitting(k), TaskKeys.group(k), k);
    }
  }
}
