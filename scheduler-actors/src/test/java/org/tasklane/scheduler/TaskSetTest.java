package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskArgs;

class TaskSetTest {
  private static List<TaskRecord> tasks(int n) {
    GraphRecord g = new GraphRecord("g", "g", 0);
    GroupStats group = new GroupBoard().graphGroup("t");
    List<TaskRecord> tasks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      tasks.add(new TaskRecord(1000 + i, g, "t-" + i, "inc", TaskArgs.EMPTY, group, 0, 0));
    }
    return tasks;
  }

  /** Thousands of random adds and removes, checked against a HashSet after each. */
  @Test
  void behavesAsASetThroughRandomAddsAndRemoves() {
    List<TaskRecord> tasks = tasks(3000);
    Random random = new Random(7);
    TaskSet set = new TaskSet();
    Set<TaskRecord> expected = new HashSet<>();
    for (int step = 0; step < 60_000; step++) {
      // phases of mostly adds, then mostly removes, so that the table grows and shrinks
      boolean adding = (step / 10_000) % 2 == 0 ? random.nextInt(10) < 8 : random.nextInt(10) < 2;
      TaskRecord t = tasks.get(random.nextInt(tasks.size()));
      if (adding) {
        assertEquals(expected.add(t), set.add(t), "add " + t.id);
      } else {
        assertEquals(expected.remove(t), set.remove(t), "remove " + t.id);
      }
      assertEquals(expected.size(), set.size());
      if (step % 1000 == 0) {
        assertEquals(expected, new HashSet<>(set), "members at step " + step);
        for (TaskRecord u : tasks) {
          assertEquals(expected.contains(u), set.contains(u));
        }
      }
    }
  }

  @Test
  void clearsAndRefusesOtherObjects() {
    List<TaskRecord> tasks = tasks(20);
    TaskSet set = new TaskSet();
    set.addAll(tasks);
    assertEquals(20, set.size());
    assertFalse(set.contains("t-1"));
    assertFalse(set.remove("t-1"));
    set.clear();
    assertTrue(set.isEmpty());
    assertFalse(set.iterator().hasNext());
    assertTrue(set.add(tasks.get(3)));
  }

  @Test
  void readingWhileItChangesFailsLoudly() {
    TaskSet set = new TaskSet();
    set.addAll(tasks(5));
    assertThrows(ConcurrentModificationException.class, () -> {
      for (TaskRecord t : set) {
        set.remove(t);
      }
    });
  }
}
