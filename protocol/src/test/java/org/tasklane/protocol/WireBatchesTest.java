package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WireBatchesTest {
  @Test
  void itCutsByBytesAndByCountInOrder() {
    List<Integer> items = List.of(40, 40, 40, 100, 1, 1, 1, 1);
    assertEquals(List.of(List.of(40, 40), List.of(40), List.of(100), List.of(1, 1, 1), List.of(1)),
        WireBatches.split(items, i -> i, 100, 3));
    assertEquals(List.of(), WireBatches.split(List.<Integer>of(), i -> i, 100, 3));
    assertEquals(List.of(List.of(500), List.of(1)), WireBatches.split(List.of(500, 1), i -> i, 100, 3),
        "one item over the limit goes alone");
  }

  /** Assignments of tasks with 1,000-character keys: far fewer than a worker's queue fit one message. */
  @Test
  void assignmentsWithLongKeysGoInSeveralMessagesEachUnderTheOrdinaryFrame() throws Exception {
    org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit testKit =
        org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit.create();
    try {
      List<TaskAssignment> tasks = new ArrayList<>();
      for (int i = 0; i < 256; i++) {
        tasks.add(new TaskAssignment(i, "long-" + i + "-" + "ü".repeat(990), "long", "inc",
            List.of(JsonNodeFactory.instance.numberNode(i)), List.of()));
      }
      List<List<TaskAssignment>> parts =
          WireBatches.split(tasks, WireBatches::estimatedSize, WireBatches.ORDINARY_BYTES, Integer.MAX_VALUE);
      assertTrue(parts.size() > 1, parts.size() + " messages");
      assertEquals(tasks, parts.stream().flatMap(List::stream).toList());
      org.apache.pekko.serialization.Serialization serialization =
          org.apache.pekko.serialization.SerializationExtension.get(testKit.system().classicSystem());
      for (List<TaskAssignment> part : parts) {
        int bytes = serialization.serialize(new WorkerProtocol.AssignTasks(part)).get().length;
        assertTrue(bytes < 256 * 1024, bytes + " bytes in one AssignTasks");
      }
      int whole = serialization.serialize(new WorkerProtocol.AssignTasks(tasks)).get().length;
      assertTrue(whole > 256 * 1024, "the whole would not have fit: " + whole + " bytes");
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
