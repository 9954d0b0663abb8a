package org.tasklane.worker.code;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * The jars this worker has fetched, on local disk: a folder under {@code java.io.tmpdir}, made on
 * the first fetch and deleted by {@link #close}. Each jar is fetched once; tasks that need it while
 * it is on its way share the same fetch. Once it is here its SHA-256 is checked against the digest
 * it was asked by; a jar that does not match is deleted and its tasks err (a later task fetches it
 * again). Thread-safe; every file operation runs on the blocking executor, so {@link #jar} never
 * blocks its caller.
 */
public final class JarCache implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(JarCache.class);

  private final JarSource source;
  private final Executor blocking;
  private final ConcurrentHashMap<String, CompletableFuture<Path>> jars = new ConcurrentHashMap<>();
  private final Object dirLock = new Object();
  private Path dir;
  private boolean closed;

  /**
   * @param source where jars come from
   * @param blocking runs the file operations (a blocking dispatcher)
   */
  public JarCache(JarSource source, Executor blocking) {
    this.source = source;
    this.blocking = blocking;
  }

  /** The line a task errs with when a jar's bytes are not those of its digest. */
  public static String mismatch(String sha256, String actual) {
    return "jar " + sha256 + " fetched from the scheduler does not match its SHA-256 (got " + actual
        + "); it was altered or corrupted";
  }

  /** The jar's file once it is here and checked; the future fails with a one-line message otherwise. */
  public CompletableFuture<Path> jar(String sha256) {
    CompletableFuture<Path> there = jars.get(sha256);
    if (there != null) {
      return there;
    }
    CompletableFuture<Path> mine = new CompletableFuture<>();
    there = jars.putIfAbsent(sha256, mine);
    if (there != null) {
      return there;
    }
    long started = System.nanoTime();
    CompletableFuture.supplyAsync(() -> {
          try {
            return Files.createTempFile(dir(), sha256, ".part");
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }, blocking)
        .thenCompose(part -> source.download(sha256, part)
            .thenApplyAsync(v -> {
              try {
                String actual = sha256Of(part);
                if (!actual.equals(sha256)) {
                  throw new JarException(mismatch(sha256, actual));
                }
                Path jar = dir().resolve(sha256 + ".jar");
                move(part, jar);
                return jar;
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            }, blocking)
            .whenCompleteAsync((jar, e) -> {
              if (e != null) {
                deleteQuietly(part);
              }
            }, blocking))
        .whenComplete((jar, e) -> {
          if (e == null) {
            LOG.info("Fetched jar {} from the scheduler in {} ms", sha256, (System.nanoTime() - started) / 1_000_000);
            mine.complete(jar);
          } else {
            jars.remove(sha256, mine); // a later task fetches it again
            String why = messageOf(e);
            LOG.warn("Could not get jar {}: {}", sha256, why);
            mine.completeExceptionally(new JarException(why));
          }
        });
    return mine;
  }

  /** The folder, made on first use. */
  private Path dir() throws IOException {
    synchronized (dirLock) {
      if (closed) {
        throw new IOException("the worker is stopping");
      }
      if (dir == null) {
        dir = Files.createTempDirectory("tasklane-worker-jars-");
      }
      return dir;
    }
  }

  /** The folder jars are kept in, or null before the first fetch. */
  public Path folder() {
    synchronized (dirLock) {
      return dir;
    }
  }

  /** Deletes the folder and everything in it (blocks: file I/O). */
  @Override
  public void close() {
    Path d;
    synchronized (dirLock) {
      closed = true;
      d = dir;
    }
    if (d == null) {
      return;
    }
    try (Stream<Path> all = Files.walk(d)) {
      for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      // best effort: the folder is under the temporary directory
    }
  }

  /** A failure's one-line message, unwrapped from the futures around it. */
  static String messageOf(Throwable e) {
    Throwable t = e;
    while ((t instanceof CompletionException || t instanceof UncheckedIOException) && t.getCause() != null) {
      t = t.getCause();
    }
    String m = t instanceof JarException || t instanceof IOException && t.getMessage() != null
        ? t.getMessage() : t.toString();
    return m.replaceAll("\\s+", " ");
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void deleteQuietly(Path p) {
    try {
      Files.deleteIfExists(p);
    } catch (IOException ignored) {
      // under the temporary directory; deleted with the folder at the latest
    }
  }

  static String sha256Of(Path file) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** A jar that could not be had, with a one-line message. */
  public static final class JarException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    JarException(String message) {
      super(message, null, false, false);
    }
  }
}
