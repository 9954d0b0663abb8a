package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class KeySlotsTest {

  @Test
  void agreesWithAHashMapOnRandomKeysWithRepeats() {
    Random random = new Random(29);
    for (int n : new int[] {0, 1, 2, 3, 5, 100, 4096, 20_000}) {
      List<String> keys = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        // about one in ten a repeat of an earlier key
        keys.add(i > 0 && random.nextInt(10) == 0 ? keys.get(random.nextInt(i)) : "k-" + random.nextInt(5 * n + 1));
      }
      KeySlots slots = new KeySlots(n, keys::get);
      Map<String, Integer> expected = new HashMap<>();
      for (int i = 0; i < n; i++) {
        Integer first = expected.putIfAbsent(keys.get(i), i);
        assertEquals(first == null ? -1 : first, slots.putIfAbsent(i), keys.get(i));
      }
      for (int probe = 0; probe < 5 * n + 10; probe++) {
        String key = "k-" + probe;
        assertEquals(expected.getOrDefault(key, -1), slots.get(key), key);
      }
      assertEquals(-1, slots.get(""));
    }
  }

  @Test
  void keysOfTheSameHashAreTold() {
    // "Aa" and "BB" have the same String hash, as have "AaAa", "AaBB", "BBAa" and "BBBB"
    List<String> keys = List.of("Aa", "BB", "AaAa", "AaBB", "BBAa", "BB");
    KeySlots slots = new KeySlots(keys.size(), keys::get);
    for (int i = 0; i < 5; i++) {
      assertEquals(-1, slots.putIfAbsent(i));
    }
    assertEquals(1, slots.putIfAbsent(5));
    for (int i = 0; i < 5; i++) {
      assertEquals(i, slots.get(keys.get(i)));
    }
    assertEquals(-1, slots.get("BBBB"));
  }
}
