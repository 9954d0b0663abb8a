package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.worker.memory.MemorySettings;
import org.tasklane.worker.memory.MemoryThresholds;

/** The workers of a JVM share its memory management: limits add up, a pause pauses all, each shows its share. */
class JvmMemoryTest {
  static final ActorTestKit testKit = ActorTestKit.create("JvmMemoryTest", ConfigFactory.load("application-test"));

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void aPausePausesEveryWorkerOfTheJvmAndEachShowsItsOwnResultsAndItsShareOfTheLimit() throws Exception {
    // 2 workers of 1 MiB: the JVM's limit is 2 MiB, far below this test JVM's heap in use, so it pauses
    // (restart off: 0, so the test's JVM is not shut down)
    MemorySettings settings = new MemorySettings(1 << 20, 0.6, 0.7, 0.8, 0,
        Files.createTempDirectory("jvm-memory-test"), 1 << 30, Duration.ofMillis(50));
    try (JvmMemory jvm = new JvmMemory(testKit.system(), settings, 2, "The 2 workers of this JVM")) {
      assertEquals(2 << 20, jvm.limitBytes(), "the workers' limits added up");
      List<MemoryThresholds.Level> first = new CopyOnWriteArrayList<>();
      List<MemoryThresholds.Level> second = new CopyOnWriteArrayList<>();
      MemoryGuard a = jvm.join("w-1", first::add);
      MemoryGuard b = jvm.join("w-2", second::add);
      a.store().put(1, IntNode.valueOf(1), 1000);
      b.store().put(2, IntNode.valueOf(2), 500);
      a.stored();
      TestProbe<Void> probe = testKit.createTestProbe();
      probe.awaitAssert(Duration.ofSeconds(10), () -> {
        assertTrue(first.contains(MemoryThresholds.Level.PAUSED), "w-1 heard the pause: " + first);
        assertTrue(second.contains(MemoryThresholds.Level.PAUSED), "w-2 heard the pause: " + second);
        return null;
      });
      DashboardProtocol.WorkerMemory fa = a.figures();
      DashboardProtocol.WorkerMemory fb = b.figures();
      assertEquals(1 << 20, fa.limitBytes(), "each worker's own limit");
      assertTrue(fa.paused() && fb.paused());
      assertEquals(1000, fa.managedBytes() + fa.spilledBytes(), "w-1's own result, in memory or spilled");
      assertEquals(500, fb.managedBytes() + fb.spilledBytes(), "w-2's own");
      a.close();
      b.close();
    }
  }
}
