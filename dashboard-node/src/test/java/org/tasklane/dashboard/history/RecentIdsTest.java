package org.tasklane.dashboard.history;

import static org.junit.jupiter.api.Assertions.*;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ring and table of recent ids against a bounded LinkedHashMap, the set they replace. */
class RecentIdsTest {
  private static final class Reference extends LinkedHashMap<Long, Boolean> {
    private final int max;

    Reference(int max) {
      this.max = max;
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<Long, Boolean> eldest) {
      return size() > max;
    }
  }

  @Test
  void agreesWithABoundedLinkedHashMapUnderRandomAdds() {
    Random random = new Random(7);
    for (int capacity : new int[] {1, 2, 3, 17, 1000}) {
      RecentIds ids = new RecentIds(capacity);
      Reference reference = new Reference(capacity);
      for (int i = 0; i < 50_000; i++) {
        // mostly fresh ids in order, some repeats of recent and of forgotten ones, some anywhere
        long id = switch (random.nextInt(4)) {
          case 0 -> i - random.nextInt(2 * capacity + 1);
          case 1 -> random.nextLong();
          default -> i;
        };
        boolean added = reference.putIfAbsent(id, true) == null;
        assertEquals(added, ids.add(id), "capacity " + capacity + ", add #" + i + " of " + id);
        assertEquals(reference.size(), ids.size());
        if (i % 997 == 0) {
          for (long k = i - 3L * capacity; k <= i; k++) {
            assertEquals(reference.containsKey(k), ids.contains(k), "contains " + k);
          }
        }
        if (i % 20_011 == 0) {
          ids.clear();
          reference.clear();
        }
      }
    }
  }

  @Test
  void theOldestIsForgottenFirst() {
    RecentIds ids = new RecentIds(3);
    assertTrue(ids.add(10));
    assertTrue(ids.add(11));
    assertFalse(ids.add(10));
    assertTrue(ids.add(12));
    assertTrue(ids.add(13)); // forgets 10
    assertFalse(ids.contains(10));
    assertTrue(ids.contains(11) && ids.contains(12) && ids.contains(13));
    assertTrue(ids.add(10));
    assertThrows(IllegalArgumentException.class, () -> new RecentIds(0));
  }
}
