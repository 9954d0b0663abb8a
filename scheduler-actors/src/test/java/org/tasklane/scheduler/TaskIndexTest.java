package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskArgs;

class TaskIndexTest {
  private static GraphRecord graph(String id, long firstTaskId, int n) {
    GraphRecord g = new GraphRecord(id, id, 0);
    GroupStats group = new GroupBoard().graphGroup("inc");
    g.firstTaskId = firstTaskId;
    g.tasks = new TaskRecord[n];
    for (int i = 0; i < n; i++) {
      g.tasks[i] = new TaskRecord(firstTaskId + i, g, id + "-" + i, "inc", TaskArgs.EMPTY, group, 0, 0);
    }
    return g;
  }

  @Test
  void findsEveryTaskOfEveryGraphByItsId() {
    TaskIndex index = new TaskIndex();
    GraphRecord a = graph("a", 1, 3);
    GraphRecord empty = graph("e", 4, 0);
    GraphRecord b = graph("b", 4, 2);
    index.add(a);
    index.add(empty);
    index.add(b);
    assertEquals(5, index.size());
    for (GraphRecord g : new GraphRecord[] {a, b, a, b}) { // alternating: the last graph looked up is no shortcut
      for (TaskRecord t : g.tasks) {
        assertSame(t, index.get(t.id));
      }
    }
    assertNull(index.get(0));
    assertNull(index.get(6));
    assertNull(index.get(-1));
  }

  @Test
  void aRemovedGraphsIdsAreNoLongerFound() {
    TaskIndex index = new TaskIndex();
    GraphRecord a = graph("a", 1, 3);
    GraphRecord b = graph("b", 4, 2);
    index.add(a);
    index.add(b);
    assertSame(a.tasks[1], index.get(2));
    index.remove(a);
    assertNull(index.get(2), "found through the last graph looked up");
    assertNull(index.get(1));
    assertSame(b.tasks[0], index.get(4));
    assertEquals(2, index.size());
    index.remove(a); // twice: nothing changes
    assertEquals(2, index.size());
    index.remove(b);
    assertEquals(0, index.size());
    assertNull(index.get(5));
  }

  @Test
  void twoGraphsCannotShareTheirFirstId() {
    TaskIndex index = new TaskIndex();
    GraphRecord a = graph("a", 1, 3);
    index.add(a);
    assertThrows(IllegalArgumentException.class, () -> index.add(graph("b", 1, 2)));
    assertSame(a.tasks[0], index.get(1), "the graph held first stays");
    assertEquals(3, index.size());
  }
}
