package org.tasklane.worker.code;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The worker's jar cache: one fetch per jar, its SHA-256 checked, a jar that does not match thrown away. */
class JarCacheTest {
  static final ExecutorService BLOCKING = Executors.newCachedThreadPool();
  static final byte[] V1 = TestJars.greeter("v1");
  static final byte[] V2 = TestJars.greeter("v2");

  @AfterAll
  static void stop() {
    BLOCKING.shutdownNow();
  }

  /** A source that counts its downloads and writes {@code bytes} once {@code gate} completes. */
  static final class GatedSource implements JarSource {
    final AtomicInteger downloads = new AtomicInteger();
    volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    volatile byte[] bytes;

    GatedSource(byte[] bytes) {
      this.bytes = bytes;
    }

    @Override
    public CompletableFuture<Void> download(String sha256, Path target) {
      downloads.incrementAndGet();
      return gate.thenRunAsync(() -> {
        try {
          Files.write(target, bytes);
        } catch (java.io.IOException e) {
          throw new java.io.UncheckedIOException(e);
        }
      }, BLOCKING);
    }
  }

  @Test
  void aJarIsFetchedOnceAndTasksThatNeedItMeanwhileWaitForTheSameFetch() throws Exception {
    GatedSource source = new GatedSource(V1);
    source.gate = new CompletableFuture<>();
    JarCache cache = new JarCache(source, BLOCKING);
    try {
      String sha = TestJars.sha256(V1);
      CompletableFuture<Path> first = cache.jar(sha);
      CompletableFuture<Path> second = cache.jar(sha);
      assertSame(first, second);
      assertFalse(first.isDone());
      source.gate.complete(null);
      Path jar = first.get(10, TimeUnit.SECONDS);
      assertArrayEquals(V1, Files.readAllBytes(jar));
      assertEquals(sha + ".jar", jar.getFileName().toString());
      assertSame(first, cache.jar(sha), "later tasks find it here");
      assertEquals(1, source.downloads.get());
    } finally {
      cache.close();
    }
  }

  @Test
  void aJarWhoseBytesAreNotThoseOfItsDigestIsRefusedAndDiscardedAndFetchedAgainLater() throws Exception {
    GatedSource source = new GatedSource(V2); // altered: v2's bytes under v1's digest
    JarCache cache = new JarCache(source, BLOCKING);
    try {
      String sha = TestJars.sha256(V1);
      ExecutionException e = assertThrows(ExecutionException.class, () -> cache.jar(sha).get(10, TimeUnit.SECONDS));
      assertEquals("jar " + sha + " fetched from the scheduler does not match its SHA-256 (got "
          + TestJars.sha256(V2) + "); it was altered or corrupted", e.getCause().getMessage());
      try (Stream<Path> files = Files.list(cache.folder())) {
        assertEquals(0, files.count(), "the file is thrown away");
      }
      source.bytes = V1; // the scheduler's copy is whole again
      assertArrayEquals(V1, Files.readAllBytes(cache.jar(sha).get(10, TimeUnit.SECONDS)));
      assertEquals(2, source.downloads.get());
    } finally {
      cache.close();
    }
  }

  @Test
  void aFailedFetchSaysWhyInOneLineAndCloseDeletesTheFolder() throws Exception {
    JarSource failing = (sha, target) -> CompletableFuture.failedFuture(
        new java.io.IOException("this scheduler does not hold jar " + sha));
    JarCache cache = new JarCache(failing, BLOCKING);
    String sha = TestJars.sha256(V1);
    ExecutionException e = assertThrows(ExecutionException.class, () -> cache.jar(sha).get(10, TimeUnit.SECONDS));
    assertEquals("this scheduler does not hold jar " + sha, e.getCause().getMessage());
    Path folder = cache.folder();
    assertTrue(Files.isDirectory(folder));
    assertTrue(folder.startsWith(Path.of(System.getProperty("java.io.tmpdir"))));
    cache.close();
    assertFalse(Files.exists(folder));
  }
}
