package org.tasklane.scheduler.code;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The scheduler's store of uploaded jars: checked on the way in, held by graphs, evicted or deleted when unused. */
class CodeStoreTest {
  static final Duration GRACE = Duration.ofMinutes(10);
  final AtomicLong clock = new AtomicLong(1_000_000_000L);
  Path dir;

  @BeforeEach
  void folder() throws Exception {
    dir = Files.createTempDirectory("tasklane-code-store-test-");
  }

  @AfterEach
  void clean() throws Exception {
    if (Files.exists(dir)) {
      try (Stream<Path> all = Files.walk(dir)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  CodeStore store(long maxJarBytes, long maxBytes) throws Exception {
    return CodeStore.open(dir, false, new CodeSettings(false, dir.toString(), maxJarBytes, maxBytes, GRACE), clock::get);
  }

  CodeStore store() throws Exception {
    return store(1 << 20, 16 << 20);
  }

  List<String> incoming() throws Exception {
    try (Stream<Path> files = Files.list(dir.resolve(".incoming"))) {
      return files.map(p -> p.getFileName().toString()).toList();
    }
  }

  @Test
  void aJarIsStoredUnderItsDigestAndReadBackInChunks() throws Exception {
    CodeStore store = store();
    byte[] jar = TestZips.jar(1, 3000);
    String sha = TestZips.sha(jar);
    assertFalse(store.has(sha));
    assertEquals(new CodeStore.Stored(sha, jar.length, true), store.put(sha, jar));
    assertTrue(store.has(sha));
    assertEquals(jar.length, store.sizeOf(sha));
    assertArrayEquals(jar, Files.readAllBytes(dir.resolve(sha + ".jar")));
    assertEquals(List.of(), incoming(), "the upload's file was moved into place");
    assertEquals(new CodeStore.Stored(sha, jar.length, false), store.put(sha, jar), "there already");
    assertEquals(List.of(), incoming());

    ByteArrayBuilder back = new ByteArrayBuilder();
    for (long offset = 0; offset < jar.length; ) {
      CodeStore.Chunk c = store.read(sha, offset, 1000);
      assertNull(c.error());
      assertEquals(jar.length, c.total());
      back.add(c.bytes());
      offset += c.bytes().length;
    }
    assertArrayEquals(jar, back.bytes());
    assertTrue(store.read("ab".repeat(32), 0, 10).error().startsWith("this scheduler does not hold jar abab"));
    assertEquals(CodeStore.NOT_A_DIGEST, store.read("../../etc/passwd", 0, 10).error());
  }

  /** Collects chunks. */
  static final class ByteArrayBuilder {
    private final java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

    void add(byte[] b) {
      out.writeBytes(b);
    }

    byte[] bytes() {
      return out.toByteArray();
    }
  }

  @Test
  void aBodyWhoseDigestIsAnotherOrThatIsNotAZipIsRefusedAndLeavesNothingBehind() throws Exception {
    CodeStore store = store();
    byte[] jar = TestZips.jar(1, 100);
    byte[] other = TestZips.jar(2, 100);
    String sha = TestZips.sha(jar);
    assertEquals(new CodeStore.Refused(400, "the jar's SHA-256 is " + TestZips.sha(other) + ", not the " + sha
        + " its address names"), store.put(sha, other));
    byte[] text = "not a jar".getBytes(StandardCharsets.UTF_8);
    CodeStore.Added notZip = store.put(TestZips.sha(text), text);
    assertEquals(400, ((CodeStore.Refused) notZip).status());
    assertTrue(((CodeStore.Refused) notZip).error().startsWith("the body is not a jar (a zip file): "), notZip.toString());
    assertFalse(((CodeStore.Refused) notZip).error().contains("\n"));
    assertEquals(List.of(), incoming());
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(".incoming"), files.map(p -> p.getFileName().toString()).toList());
    }
    assertEquals(0, store.usedBytes());
    assertEquals(new CodeStore.Refused(400, CodeStore.NOT_A_DIGEST), store.put("ABC", jar));
  }

  @Test
  void aJarOverTheLimitsIsRefusedNamingTheSetting() throws Exception {
    byte[] jar = TestZips.jar(1, 5000);
    CodeStore small = store(1000, 1 << 20);
    assertEquals(new CodeStore.Refused(413, "the jar is " + jar.length + " bytes, over the limit of 1000 bytes "
        + "(tasklane.scheduler.code.max-jar-bytes)"), small.put(TestZips.sha(jar), jar));
    CodeStore tiny = store(1 << 20, 1000);
    assertEquals(new CodeStore.Refused(413, "the jar is " + jar.length + " bytes, more than the code store holds in all "
        + "(1000 bytes, tasklane.scheduler.code.max-bytes)"), tiny.put(TestZips.sha(jar), jar));
  }

  @Test
  void whenFullJarsNoGraphHoldsAreEvictedOldestFirstAndHeldOnesNever() throws Exception {
    List<byte[]> jars = new ArrayList<>();
    List<String> shas = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      jars.add(TestZips.jar(i, 1000));
      shas.add(TestZips.sha(jars.get(i)));
    }
    long size = jars.get(0).length;
    for (byte[] j : jars) {
      assertEquals(size, j.length, "same-sized jars");
    }
    CodeStore store = store(1 << 20, 3 * size);
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(CodeStore.Stored.class, store.put(shas.get(i), jars.get(i)));
      clock.addAndGet(1000);
    }
    assertNull(store.hold("g1", List.of(shas.get(0)))); // the oldest, but held
    assertInstanceOf(CodeStore.Stored.class, store.put(shas.get(3), jars.get(3)));
    assertTrue(store.has(shas.get(0)), "held by a graph");
    assertFalse(store.has(shas.get(1)), "the oldest jar no graph holds made room");
    assertFalse(Files.exists(store.pathOf(shas.get(1))));
    assertTrue(store.has(shas.get(2)));
    assertEquals(3 * size, store.usedBytes());

    assertNull(store.hold("g2", List.of(shas.get(2), shas.get(3))));
    CodeStore.Added full = store.put(shas.get(4), jars.get(4));
    assertEquals(new CodeStore.Refused(507, "the code store is full: graphs hold " + 3 * size + " of its " + 3 * size
        + " bytes (tasklane.scheduler.code.max-bytes), so this " + size + "-byte jar does not fit; forget finished "
        + "graphs, or raise the limit"), full);
    assertEquals(List.of(), incoming());

    store.release("g2");
    assertInstanceOf(CodeStore.Stored.class, store.put(shas.get(4), jars.get(4)));
    assertTrue(store.has(shas.get(0)));
    assertEquals(1, store.holders(shas.get(0)));
  }

  @Test
  void aJarNoGraphHoldsIsDeletedAfterTheGracePeriodCountedFromItsLastUse() throws Exception {
    CodeStore store = store();
    byte[] a = TestZips.jar(1, 100);
    byte[] b = TestZips.jar(2, 100);
    String sa = TestZips.sha(a);
    String sb = TestZips.sha(b);
    store.put(sa, a);
    store.put(sb, b);
    assertNull(store.hold("g", List.of(sb, sb)));
    assertEquals(1, store.holders(sb), "a graph that names a jar twice holds it once");

    clock.addAndGet(GRACE.toNanos() - 1);
    assertEquals(List.of(), store.sweep(), "an upload followed by a submit finds its jar");
    clock.addAndGet(1);
    assertEquals(List.of(sa), store.sweep());
    assertFalse(store.has(sa));
    assertFalse(Files.exists(store.pathOf(sa)));

    clock.addAndGet(GRACE.toNanos() * 5);
    assertEquals(List.of(), store.sweep(), "held by a graph: kept however long");
    store.release("g");
    assertEquals(0, store.holders(sb));
    clock.addAndGet(GRACE.toNanos() / 2);
    assertTrue(store.has(sb), "asking for it starts its grace period again");
    clock.addAndGet(GRACE.toNanos() - 1);
    assertEquals(List.of(), store.sweep());
    clock.addAndGet(1);
    assertEquals(List.of(sb), store.sweep());
    assertEquals(0, store.usedBytes());
  }

  @Test
  void aGraphHoldsAllItsJarsOrNone() throws Exception {
    CodeStore store = store();
    byte[] a = TestZips.jar(1, 100);
    store.put(TestZips.sha(a), a);
    String missing = "cd".repeat(32);
    assertEquals(missing, store.hold("g", List.of(TestZips.sha(a), missing)));
    assertEquals(0, store.holders(TestZips.sha(a)));
    assertNull(store.hold("g", List.of(TestZips.sha(a))));
    assertThrows(IllegalStateException.class, () -> store.hold("g", List.of(TestZips.sha(a))));
    store.release("g");
    store.release("g"); // twice is harmless
    assertEquals(0, store.holders(TestZips.sha(a)));
  }

  @Test
  void writesAreAtomicAJarIsVisibleOnlyWholeAndAFolderIsTakenOverOnRestart() throws Exception {
    CodeStore store = store();
    byte[] jar = TestZips.jar(1, 3000);
    String sha = TestZips.sha(jar);
    Path in = store.newIncoming();
    assertTrue(in.startsWith(dir.resolve(".incoming")));
    Files.write(in, java.util.Arrays.copyOf(jar, 1000)); // half an upload
    assertFalse(Files.exists(store.pathOf(sha)));
    assertFalse(store.has(sha));
    Files.write(in, jar);
    assertInstanceOf(CodeStore.Stored.class, store.add(sha, in));
    assertFalse(Files.exists(in), "moved, not copied");
    assertArrayEquals(jar, Files.readAllBytes(store.pathOf(sha)));

    Files.write(store.newIncoming(), jar); // an upload cut short by a crash
    CodeStore again = store();
    assertTrue(again.has(sha), "a restarted scheduler with the same --code-dir has its jars");
    assertEquals(jar.length, again.usedBytes());
    assertEquals(List.of(), incoming(), "and no leftovers");
  }

  @Test
  void aTemporaryStoreIsDeletedWhenClosed() throws Exception {
    CodeStore store = CodeStore.open(new CodeSettings(false, "", 1 << 20, 1 << 20, GRACE));
    byte[] jar = TestZips.jar(1, 100);
    store.put(TestZips.sha(jar), jar);
    Path folder = store.dir();
    assertTrue(folder.startsWith(Path.of(System.getProperty("java.io.tmpdir"))));
    store.close();
    assertFalse(Files.exists(folder));
  }
}
