package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskArgs;

class KeyIndexTest {
  private static TaskRecord[] tasks(String... keys) {
    GraphRecord g = new GraphRecord("g", "g", 0);
    GroupStats group = new GroupBoard().graphGroup("t");
    TaskRecord[] tasks = new TaskRecord[keys.length];
    for (int i = 0; i < keys.length; i++) {
      tasks[i] = new TaskRecord(i + 1, g, keys[i], "inc", TaskArgs.EMPTY, group, 0, 0);
    }
    return tasks;
  }

  @Test
  void findsEachKeyAndNothingElse() {
    Random random = new Random(13);
    for (int n : new int[] {0, 1, 2, 3, 5, 100, 4096, 10_000}) {
      String[] keys = new String[n];
      for (int i = 0; i < n; i++) {
        keys[i] = "k-" + i + "-" + random.nextInt(1000);
      }
      TaskRecord[] tasks = tasks(keys);
      KeyIndex index = new KeyIndex(tasks);
      for (TaskRecord t : tasks) {
        assertSame(t, index.get(t.key), t.key);
      }
      assertNull(index.get("absent"));
      assertNull(index.get(""));
    }
  }

  @Test
  void keysOfTheSameHashAreTold() {
    // "Aa" and "BB" have the same String hash, as have "AaAa", "AaBB", "BBAa" and "BBBB"
    TaskRecord[] tasks = tasks("Aa", "BB", "AaAa", "AaBB", "BBAa");
    KeyIndex index = new KeyIndex(tasks);
    for (TaskRecord t : tasks) {
      assertSame(t, index.get(t.key));
    }
    assertNull(index.get("BBBB"));
  }

  @Test
  void twoTasksOfOneKeyAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new KeyIndex(tasks("a", "b", "a")));
  }

  @Test
  void theEmptyIndexFindsNothing() {
    assertNull(KeyIndex.EMPTY.get("a"));
  }
}
