package org.tasklane.worker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.worker.ResultStore;
import org.tasklane.worker.Values;

/** The store with a spill folder: least recently used first, read back transparently, files gone when released. */
class SpillingStoreTest {
  @TempDir Path dir;

  private static JsonNode blob(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * seed);
    }
    return BinaryNode.valueOf(b);
  }

  private static long files(Path folder) throws IOException {
    try (Stream<Path> s = Files.list(folder)) {
      return s.count();
    }
  }

  @Test
  void spillsTheLeastRecentlyUsedFirstAndReadsThemBack() throws IOException {
    SpillFolder folder = SpillFolder.open(dir, 1 << 20);
    try (ResultStore store = new ResultStore(folder)) {
      store.put(1, blob(1000, 1), 1000);
      store.put(2, blob(1000, 2), 1000);
      store.put(3, blob(1000, 3), 1000);
      assertNotNull(store.inMemory(1)); // 1 is now the most recently used; 2 the least

      ResultStore.SpillOutcome out = store.spill(1500);
      assertNull(out.failure());
      assertEquals(2, out.results());
      assertEquals(2000, out.bytes());
      assertTrue(store.isSpilled(2));
      assertTrue(store.isSpilled(3));
      assertFalse(store.isSpilled(1));
      assertEquals(1000, store.memoryBytes());
      assertEquals(2000, store.spilledBytes());
      assertEquals(3, store.count());
      assertEquals(3000, store.totalBytes());
      assertEquals(2, files(folder.path()));

      ResultStore.Stored back = store.get(2);
      assertEquals(blob(1000, 2), back.value(), "read back as it was, bytes and all");
      assertEquals(1000, back.nbytes());
      assertTrue(store.isSpilled(2), "a read does not bring it back into memory");
      assertEquals(1, store.unspills());
    }
  }

  @Test
  void structuredValuesRoundTrip() throws IOException {
    JsonNodeFactory f = JsonNodeFactory.instance;
    JsonNode value = f.objectNode().put("n", 42L).put("x", 1.5).put("s", "<b>text</b>")
        .set("list", f.arrayNode().add(true).addNull().add(BinaryNode.valueOf(new byte[] {1, 2})));
    try (ResultStore store = new ResultStore(SpillFolder.open(dir, 1 << 20))) {
      store.put(7, value, Values.sizeOf(value));
      store.spill(1);
      assertTrue(store.isSpilled(7));
      // as over the wire (CBOR too): small integers come back as ints, the same to a task function
      assertEquals(value.toString(), store.get(7).value().toString());
    }
  }

  @Test
  void releasingOrReplacingASpilledResultDeletesItsFile() throws IOException {
    SpillFolder folder = SpillFolder.open(dir, 1 << 20);
    try (ResultStore store = new ResultStore(folder)) {
      store.put(1, blob(100, 1), 100);
      store.put(2, blob(100, 2), 100);
      store.spill(200);
      assertEquals(2, files(folder.path()));
      assertTrue(store.remove(1));
      assertEquals(1, files(folder.path()));
      store.put(2, blob(50, 3), 50); // computed again: held in memory, the old file goes
      assertEquals(0, files(folder.path()));
      assertEquals(0, folder.diskBytes());
      assertEquals(0, store.spilledBytes());
      assertEquals(50, store.memoryBytes());
    }
  }

  @Test
  void closingDeletesTheFolder() throws IOException {
    SpillFolder folder = SpillFolder.open(dir, 1 << 20);
    ResultStore store = new ResultStore(folder);
    store.put(1, blob(100, 1), 100);
    store.spill(100);
    store.close();
    assertFalse(Files.exists(folder.path()));
  }

  @Test
  void aFolderAtItsBoundKeepsResultsInMemory() throws IOException {
    SpillFolder folder = SpillFolder.open(dir, 1500);
    try (ResultStore store = new ResultStore(folder)) {
      store.put(1, blob(1000, 1), 1000);
      store.put(2, blob(1000, 2), 1000);
      ResultStore.SpillOutcome out = store.spill(2000);
      assertEquals(1, out.results());
      assertInstanceOf(SpillFolder.FolderFull.class, out.failure());
      assertFalse(store.isSpilled(2));
      assertEquals(1000, store.memoryBytes());
      assertTrue(folder.diskBytes() <= 1500);
    }
  }

  @Test
  void anUnwritableFolderKeepsResultsInMemory() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")) && canRootWriteAnyway(),
        "root writes into read-only folders; nothing to test here");
    SpillFolder folder = SpillFolder.open(dir, 1 << 20);
    Files.setPosixFilePermissions(folder.path(), PosixFilePermissions.fromString("r-xr-xr-x"));
    try (ResultStore store = new ResultStore(folder)) {
      store.put(1, blob(1000, 1), 1000);
      ResultStore.SpillOutcome out = store.spill(1000);
      assertEquals(0, out.results());
      assertNotNull(out.failure());
      assertFalse(store.isSpilled(1));
      assertEquals(blob(1000, 1), store.get(1).value());
      assertEquals(1000, store.memoryBytes());
    } finally {
      Files.setPosixFilePermissions(folder.path(), PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aFolderThatIsGoneKeepsResultsInMemory() throws IOException {
    // as root, permissions do not stop a write: a file where the folder was does, for anyone
    SpillFolder folder = SpillFolder.open(dir, 1 << 20);
    Files.delete(folder.path());
    Files.writeString(folder.path(), "not a folder");
    try (ResultStore store = new ResultStore(folder)) {
      store.put(1, blob(1000, 1), 1000);
      ResultStore.SpillOutcome out = store.spill(1000);
      assertEquals(0, out.results());
      assertNotNull(out.failure());
      assertFalse(store.isSpilled(1));
      assertEquals(1000, store.memoryBytes());
      assertEquals(0, folder.diskBytes());
    }
  }

  private boolean canRootWriteAnyway() throws IOException {
    Path probe = Files.createDirectory(dir.resolve("probe"));
    Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("r-xr-xr-x"));
    try {
      Files.createFile(probe.resolve("x"));
      return true;
    } catch (IOException e) {
      return false;
    } finally {
      Files.setPosixFilePermissions(probe, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
  }

  @Test
  void aDeadWorkersFolderIsDeletedAtStartAndALiveOnesIsKept() throws IOException {
    Path stale = Files.createDirectories(dir.resolve("worker-" + deadPid() + "-123"));
    Files.writeString(stale.resolve("1.cbor"), "x");
    Path live = Files.createDirectories(dir.resolve("worker-" + ProcessHandle.current().pid() + "-456"));
    Path other = Files.createDirectories(dir.resolve("not-a-worker"));
    SpillFolder own = SpillFolder.open(dir, 100);
    assertFalse(Files.exists(stale));
    assertTrue(Files.exists(live));
    assertTrue(Files.exists(other));
    assertTrue(Files.isDirectory(own.path()));
    own.close();
  }

  /** A pid no process has: a child's after it ended. */
  private static long deadPid() throws IOException {
    Process p = new ProcessBuilder("true").start();
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return p.pid();
  }
}
