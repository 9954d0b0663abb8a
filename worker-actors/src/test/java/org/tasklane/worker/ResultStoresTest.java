package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.IntNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.tasklane.worker.memory.SpillFolder;

/** The stores of a JVM's workers spill as one: the least recently used results of all of them first. */
class ResultStoresTest {

  @Test
  void spillsTheLeastRecentlyUsedResultsAcrossTheWorkersStores() throws Exception {
    Path dir = Files.createTempDirectory("stores-test");
    ResultStores all = new ResultStores();
    ResultStore a = new ResultStore(SpillFolder.open(dir, 1 << 20), all.clock());
    ResultStore b = new ResultStore(SpillFolder.open(dir, 1 << 20), all.clock());
    all.add(a);
    all.add(b);
    try {
      a.put(1, IntNode.valueOf(1), 100); // oldest
      b.put(2, IntNode.valueOf(2), 100);
      a.put(3, IntNode.valueOf(3), 100);
      b.put(4, IntNode.valueOf(4), 100);
      assertEquals(400, all.memoryBytes());
      a.inMemory(1); // used again: now the most recent

      ResultStore.SpillOutcome out = all.spill(200);
      assertEquals(2, out.results());
      assertEquals(200, out.bytes());
      assertTrue(b.isSpilled(2), "b's 2 was the least recently used");
      assertTrue(a.isSpilled(3), "then a's 3");
      assertFalse(a.isSpilled(1), "1 was used since");
      assertFalse(b.isSpilled(4));
      assertEquals(200, all.memoryBytes());
      assertEquals(200, all.spilledBytes());
      assertEquals(2, all.spilledCount());
      assertEquals(2, all.spills());
      assertEquals(IntNode.valueOf(2), b.get(2).value(), "read back from disk");
      assertEquals(1, all.unspills());

      all.remove(b);
      assertEquals(100, all.memoryBytes(), "a stopped worker's store no longer counts");
    } finally {
      a.close();
      b.close();
    }
  }

  @Test
  void aStoreWithoutASpillFolderIsPassedOver() throws Exception {
    ResultStores all = new ResultStores();
    ResultStore noDisk = new ResultStore(null, all.clock());
    ResultStore disk = new ResultStore(SpillFolder.open(Files.createTempDirectory("stores-test"), 1 << 20), all.clock());
    all.add(noDisk);
    all.add(disk);
    try {
      noDisk.put(1, IntNode.valueOf(1), 100);
      disk.put(2, IntNode.valueOf(2), 100);
      ResultStore.SpillOutcome out = all.spill(1_000);
      assertEquals(1, out.results());
      assertNull(out.failure());
      assertTrue(disk.isSpilled(2));
      assertFalse(noDisk.isSpilled(1));
    } finally {
      noDisk.close();
      disk.close();
    }
  }
}
