package org.tasklane.worker.code;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.ref.WeakReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** One class loader per jar set: separate classes per set, closed when idle or past max-loaders, then collectable. */
class JarLoadersTest {
  static final Duration IDLE = Duration.ofSeconds(60);
  static Path dir;
  static Path v1;
  static Path v2;
  static Path point;
  final AtomicLong clock = new AtomicLong(1_000_000_000L);

  @BeforeAll
  static void jars() throws Exception {
    dir = Files.createTempDirectory("tasklane-loaders-test-");
    v1 = Files.write(dir.resolve("v1.jar"), TestJars.greeter("v1"));
    v2 = Files.write(dir.resolve("v2.jar"), TestJars.greeter("v2"));
    point = Files.write(dir.resolve("point.jar"), TestJars.compile(Map.of("demo.Point",
        "package demo; public record Point(long x, long y) {"
            + " public static Point flip(Point p) { return new Point(p.y(), p.x()); } }")));
  }

  @AfterAll
  static void clean() throws Exception {
    for (Path p : List.of(v1, v2, point)) {
      Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir);
  }

  JarLoaders loaders(int max) {
    return new JarLoaders(getClass().getClassLoader(), max, IDLE, clock::get);
  }

  static String hello(ClassLoader loader) throws Exception {
    return (String) Class.forName("demo.Greeter", true, loader).getMethod("hello", String.class).invoke(null, "ann");
  }

  @Test
  void twoJarSetsWithTwoVersionsOfAClassGiveTwoClassesAndTwoResults() throws Exception {
    try (JarLoaders loaders = loaders(4);
        JarLoaders.Lease one = loaders.acquire(List.of("a"), List.of(v1));
        JarLoaders.Lease two = loaders.acquire(List.of("b"), List.of(v2));
        JarLoaders.Lease oneAgain = loaders.acquire(List.of("a"), List.of(v1))) {
      assertEquals("hello ann from v1", hello(one.classLoader()));
      assertEquals("hello ann from v2", hello(two.classLoader()));
      assertNotSame(Class.forName("demo.Greeter", false, one.classLoader()),
          Class.forName("demo.Greeter", false, two.classLoader()));
      assertSame(one.classLoader(), oneAgain.classLoader(), "one loader per jar set");
      assertSame(one.codec(), oneAgain.codec());
      assertSame(getClass().getClassLoader(), one.classLoader().getParent(), "the worker's classes come from the worker");
      assertEquals(2, loaders.openCount());
    }
  }

  @Test
  void aLoaderInUseIsNeverClosedAndAnIdleOneIsClosedAfterIdleCloseAndCollected() throws Exception {
    JarLoaders loaders = loaders(4);
    JarLoaders.Lease running = loaders.acquire(List.of("a"), List.of(v1));
    WeakReference<ClassLoader> used = useOnce(loaders);
    clock.addAndGet(IDLE.toNanos());
    assertEquals(1, loaders.closeIdle(), "the idle one, not the one a task runs with");
    assertEquals(List.of(List.of("a")), loaders.openSets());
    assertTrue(collected(used), "a closed loader is dropped: it and its classes can be collected");

    clock.addAndGet(IDLE.toNanos() * 10);
    assertEquals(0, loaders.closeIdle(), "still running");
    running.close();
    clock.addAndGet(IDLE.toNanos() - 1);
    assertEquals(0, loaders.closeIdle(), "idle for less than idle-close");
    clock.addAndGet(1);
    assertEquals(1, loaders.closeIdle());
    assertEquals(0, loaders.openCount());
    assertArrayEquals(new long[] {2, 2}, loaders.createdAndClosed());
  }

  /** Loads a user class, calls it and runs a value of it through the loader's codec; keeps only a weak reference. */
  private static WeakReference<ClassLoader> useOnce(JarLoaders loaders) throws Exception {
    try (JarLoaders.Lease lease = loaders.acquire(List.of("p"), List.of(point))) {
      Class<?> cls = Class.forName("demo.Point", true, lease.classLoader());
      JsonNode json = JsonNodeFactory.instance.objectNode().put("x", 1).put("y", 2);
      Object p = lease.codec().decode(json, cls);
      Object flipped = cls.getMethod("flip", cls).invoke(null, p);
      assertEquals("{\"x\":2,\"y\":1}", lease.codec().encode(flipped).toString());
      return new WeakReference<>(lease.classLoader());
    }
  }

  private static boolean collected(WeakReference<?> ref) {
    for (int i = 0; i < 50 && ref.get() != null; i++) {
      System.gc();
      byte[][] garbage = new byte[64][];
      for (int j = 0; j < garbage.length; j++) {
        garbage[j] = new byte[64 * 1024];
      }
    }
    return ref.get() == null;
  }

  @Test
  void atMostMaxLoadersAreOpenTheLeastRecentlyUsedIdleOneClosedFirst() {
    JarLoaders loaders = loaders(2);
    loaders.acquire(List.of("a"), List.of(v1)).close();
    clock.addAndGet(1);
    loaders.acquire(List.of("b"), List.of(v2)).close();
    clock.addAndGet(1);
    loaders.acquire(List.of("a"), List.of(v1)).close(); // a is now the most recently used
    clock.addAndGet(1);
    JarLoaders.Lease c = loaders.acquire(List.of("c"), List.of(point));
    assertEquals(List.of(List.of("a"), List.of("c")), loaders.openSets(), "b, least recently used, is closed");

    // loaders in use stay open, even past the limit, until their tasks are done
    JarLoaders.Lease a = loaders.acquire(List.of("a"), List.of(v1));
    JarLoaders.Lease b = loaders.acquire(List.of("b"), List.of(v2));
    assertEquals(3, loaders.openCount());
    a.close();
    assertEquals(List.of(List.of("c"), List.of("b")), loaders.openSets());
    b.close();
    c.close();
    assertEquals(2, loaders.openCount());
    loaders.close();
    assertEquals(0, loaders.openCount());
  }
}
