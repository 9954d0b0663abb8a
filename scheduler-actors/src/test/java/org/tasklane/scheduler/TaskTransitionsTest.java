package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.protocol.TaskState.*;

import java.util.ArrayDeque;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskState;

/** The table of legal task-state transitions, by itself. */
class TaskTransitionsTest {

  @Test
  void theTableIsExactlyTheDocumentedOne() {
    assertEquals(
        Map.of(
            RELEASED, Set.of(WAITING, FORGOTTEN),
            WAITING, Set.of(QUEUED, ERRED, RELEASED),
            QUEUED, Set.of(PROCESSING, WAITING, RELEASED),
            PROCESSING, Set.of(MEMORY, ERRED, WAITING, RELEASED),
            MEMORY, Set.of(RELEASED, WAITING),
            ERRED, Set.of(FORGOTTEN),
            FORGOTTEN, Set.of()),
        TaskTransitions.LEGAL);
  }

  @Test
  void everyStateHasAnEntry() {
    assertEquals(EnumSet.allOf(TaskState.class), TaskTransitions.LEGAL.keySet());
  }

  @Test
  void forgottenHasNoExits() {
    assertTrue(TaskTransitions.LEGAL.get(FORGOTTEN).isEmpty());
  }

  @Test
  void erredOnlyGoesToForgotten() {
    assertEquals(Set.of(FORGOTTEN), TaskTransitions.LEGAL.get(ERRED));
  }

  @Test
  void onlyReleasedAndErredTasksAreForgotten() {
    Set<TaskState> into = EnumSet.noneOf(TaskState.class);
    TaskTransitions.LEGAL.forEach((from, tos) -> {
      if (tos.contains(FORGOTTEN)) {
        into.add(from);
      }
    });
    assertEquals(EnumSet.of(RELEASED, ERRED), into);
  }

  @Test
  void noStateMovesToItself() {
    for (TaskState s : TaskState.values()) {
      assertFalse(TaskTransitions.isLegal(s, s), s + " -> " + s);
    }
  }

  @Test
  void terminalStatesOnlyLeadToTerminalStates() {
    for (TaskState s : TaskState.values()) {
      if (s.isTerminal()) {
        for (TaskState to : TaskTransitions.LEGAL.get(s)) {
          assertTrue(to.isTerminal(), s + " -> " + to);
        }
      }
    }
  }

  @Test
  void everyStateIsReachableFromReleasedAndCanReachForgotten() {
    assertEquals(EnumSet.allOf(TaskState.class), reachableFrom(RELEASED));
    for (TaskState s : TaskState.values()) {
      assertTrue(reachableFrom(s).contains(FORGOTTEN), s + " can never be forgotten");
    }
  }

  @Test
  void isLegalAgreesWithTheTableAndCheckThrowsExactlyForIllegalEdges() {
    int legal = 0;
    for (TaskState from : TaskState.values()) {
      for (TaskState to : TaskState.values()) {
        boolean inTable = TaskTransitions.LEGAL.get(from).contains(to);
        assertEquals(inTable, TaskTransitions.isLegal(from, to), from + " -> " + to);
        if (inTable) {
          legal++;
          assertDoesNotThrow(() -> TaskTransitions.check("k", from, to));
        } else {
          IllegalStateException e =
              assertThrows(IllegalStateException.class, () -> TaskTransitions.check("k", from, to));
          assertTrue(e.getMessage().contains(from.jsonName() + " -> " + to.jsonName()), e.getMessage());
        }
      }
    }
    assertEquals(15, legal);
  }

  @Test
  void memoryToQueuedIsIllegalAndTheErrorNamesTheTask() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TaskTransitions.check("sum-3", MEMORY, QUEUED));
    assertTrue(e.getMessage().startsWith("illegal transition of task 'sum-3': memory -> queued"), e.getMessage());
  }

  @Test
  void forgottenToWaitingIsIllegalAndTheErrorNamesTheTask() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> TaskTransitions.check("load-0", FORGOTTEN, WAITING));
    assertTrue(e.getMessage().startsWith("illegal transition of task 'load-0': forgotten -> waiting"), e.getMessage());
  }

  @Test
  void theTableCannotBeChanged() {
    assertThrows(UnsupportedOperationException.class, () -> TaskTransitions.LEGAL.get(ERRED).add(WAITING));
    assertThrows(UnsupportedOperationException.class, () -> TaskTransitions.LEGAL.put(FORGOTTEN, Set.of(RELEASED)));
  }

  private static Set<TaskState> reachableFrom(TaskState start) {
    Set<TaskState> seen = EnumSet.of(start);
    ArrayDeque<TaskState> todo = new ArrayDeque<>(seen);
    while (!todo.isEmpty()) {
      for (TaskState next : TaskTransitions.LEGAL.get(todo.poll())) {
        if (seen.add(next)) {
          todo.add(next);
        }
      }
    }
    return seen;
  }
}
