package org.tasklane.scheduler.code;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;
import org.tasklane.protocol.GraphValidator;

/**
 * The jars clients uploaded, on disk in one folder ({@code SHA256.jar}), within a limit of total
 * bytes. Graphs hold the jars they name from their admission until they are forgotten; a jar no
 * graph holds is kept for a grace period ({@code unused-retention}, so that an upload followed by a
 * submit works), may be evicted (oldest unused first) to make room for another, and is deleted by
 * {@link #sweep} once its grace period is over.
 *
 * <p>Thread-safe: the HTTP routes add jars, the code server reads them, the scheduler holds and
 * releases them. Bookkeeping is done under one lock; file I/O never is. The methods that touch files
 * ({@link #add}, {@link #put}, {@link #read}, {@link #sweep}, {@link #open}, {@link #close}; see also {@link JarFiles}) block and
 * belong on a blocking dispatcher; {@link #hold}, {@link #release} and {@link #has} do no I/O and may
 * be called from an actor.
 *
 * <p>A jar arrives in a temporary file in {@code .incoming/} and is moved into place atomically once
 * its SHA-256 and its zip structure are checked, so a reader never sees half a jar.
 */
public final class CodeStore implements AutoCloseable {

  /** What {@link #add} did. */
  public sealed interface Added permits Stored, Refused {}

  /** The jar is in the store; {@code created} is false if it was there already. */
  public record Stored(String sha256, long bytes, boolean created) implements Added {}

  /** The jar was not taken: an HTTP status (400, 413, 507) and one line saying why. */
  public record Refused(int status, String error) implements Added {}

  /** A piece of a jar read by {@link #read}, or why it could not be read ({@code error} not null). */
  public record Chunk(long total, byte[] bytes, String error) {}

  /** What a jar's address must be. */
  public static final String NOT_A_DIGEST = "a jar's address is its SHA-256 digest: 64 lower-case hex digits";

  private static final Pattern JAR_NAME = Pattern.compile("[0-9a-f]{64}\\.jar");

  private static final class Entry {
    final String sha256;
    final long bytes;
    /** Graphs holding it. */
    int holders;
    /** Moved into place: readable. */
    boolean ready;
    /** When the last graph let go of it (or it arrived), System.nanoTime-like. */
    long unusedSinceNanos;

    Entry(String sha256, long bytes, long now) {
      this.sha256 = sha256;
      this.bytes = bytes;
      this.unusedSinceNanos = now;
    }
  }

  private final Path dir;
  private final Path incoming;
  private final boolean temporary;
  private final long maxJarBytes;
  private final long maxBytes;
  private final long retentionNanos;
  private final LongSupplier nanoClock;

  private final Object lock = new Object();
  /** Guarded by {@link #lock}. */
  private final Map<String, Entry> jars = new HashMap<>();
  /** Graph id to the jars it holds. Guarded by {@link #lock}. */
  private final Map<String, List<String>> graphs = new HashMap<>();
  /** The bytes of the jars held and of those on their way in. Guarded by {@link #lock}. */
  private long usedBytes;

  private CodeStore(Path dir, boolean temporary, long maxJarBytes, long maxBytes, Duration unusedRetention,
      LongSupplier nanoClock) throws IOException {
    this.dir = dir;
    this.incoming = dir.resolve(".incoming");
    this.temporary = temporary;
    this.maxJarBytes = maxJarBytes;
    this.maxBytes = maxBytes;
    this.retentionNanos = unusedRetention.toNanos();
    this.nanoClock = nanoClock;
    Files.createDirectories(incoming);
    JarFiles.clean(incoming);
    long now = nanoClock.getAsLong();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
      // jars a scheduler left in its --code-dir: held by no graph, so kept for the grace period
      for (Path f : files) {
        String name = f.getFileName().toString();
        if (JAR_NAME.matcher(name).matches() && Files.isRegularFile(f)) {
          Entry e = new Entry(name.substring(0, 64), Files.size(f), now);
          e.ready = true;
          jars.put(e.sha256, e);
          usedBytes += e.bytes;
        }
      }
    }
  }

  /**
   * The store the settings describe: their folder (made if missing; the jars in it are taken over),
   * or a fresh one under {@code java.io.tmpdir} that {@link #close} deletes.
   */
  public static CodeStore open(CodeSettings settings) throws IOException {
    boolean temporary = settings.dir().isBlank();
    Path dir = temporary ? Files.createTempDirectory("tasklane-code-") : Path.of(settings.dir());
    return open(dir, temporary, settings, System::nanoTime);
  }

  /** A store in {@code dir}, on this clock (for tests); {@link #close} deletes the folder if {@code temporary}. */
  public static CodeStore open(Path dir, boolean temporary, CodeSettings settings, LongSupplier nanoClock)
      throws IOException {
    return new CodeStore(dir, temporary, settings.maxJarBytes(), settings.maxBytes(), settings.unusedRetention(),
        nanoClock);
  }

  /** The folder the jars are in. */
  public Path dir() {
    return dir;
  }

  /** The largest jar one upload may bring. */
  public long maxJarBytes() {
    return maxJarBytes;
  }

  /** Where jar {@code sha256} lies when the store holds it. */
  public Path pathOf(String sha256) {
    return dir.resolve(sha256 + ".jar");
  }

  /**
   * True if the store holds this jar. A jar no graph holds then starts its grace period again: a
   * client that asks before it submits a graph naming the jar finds it still there when it does.
   */
  public boolean has(String sha256) {
    synchronized (lock) {
      Entry e = jars.get(sha256);
      if (e == null || !e.ready) {
        return false;
      }
      if (e.holders == 0) {
        e.unusedSinceNanos = nanoClock.getAsLong();
      }
      return true;
    }
  }

  /** The size of a jar held, or -1. */
  public long sizeOf(String sha256) {
    synchronized (lock) {
      Entry e = jars.get(sha256);
      return e == null || !e.ready ? -1 : e.bytes;
    }
  }

  /** The bytes of jars held (and on their way in). */
  public long usedBytes() {
    synchronized (lock) {
      return usedBytes;
    }
  }

  /** How many jars are held. */
  public int count() {
    synchronized (lock) {
      return (int) jars.values().stream().filter(e -> e.ready).count();
    }
  }

  // ------------------------------------------------------------------ adding

  /** A fresh file for an upload on its way in; hand it to {@link #add} (blocks: file I/O). */
  public Path newIncoming() throws IOException {
    return Files.createTempFile(incoming, "upload-", ".tmp");
  }

  /** Adds a jar from its bytes (blocks: file I/O). */
  public Added put(String sha256, byte[] bytes) throws IOException {
    Path in = newIncoming();
    Files.write(in, bytes);
    return add(sha256, in);
  }

  /**
   * Adds the jar in {@code in} (a file from {@link #newIncoming}, which this takes over: it is moved
   * into place or deleted) under the digest its address names. Refused if its SHA-256 is another
   * (400), if it is not a zip file (400), if it is over {@code max-jar-bytes} (413), or if it does
   * not fit in {@code max-bytes} even after evicting every jar no graph holds (507; 413 if it is
   * larger than the whole store). Blocks: file I/O.
   */
  public Added add(String sha256, Path in) throws IOException {
    boolean consumed = false;
    try {
      if (!GraphValidator.isSha256(sha256)) {
        return new Refused(400, NOT_A_DIGEST);
      }
      long bytes = Files.size(in);
      if (bytes > maxJarBytes) {
        return new Refused(413, "the jar is " + bytes + " bytes, over the limit of " + maxJarBytes
            + " bytes (tasklane.scheduler.code.max-jar-bytes)");
      }
      String actual = JarFiles.sha256Of(in);
      if (!actual.equals(sha256)) {
        return new Refused(400, "the jar's SHA-256 is " + actual + ", not the " + sha256 + " its address names");
      }
      String notZip = JarFiles.checkZip(in);
      if (notZip != null) {
        return new Refused(400, notZip);
      }
      List<Entry> evicted = new ArrayList<>(0);
      Entry entry;
      synchronized (lock) {
        Entry there = jars.get(sha256);
        if (there != null) {
          if (there.holders == 0) {
            there.unusedSinceNanos = nanoClock.getAsLong();
          }
          return new Stored(sha256, there.bytes, false);
        }
        if (bytes > maxBytes) {
          return new Refused(413, "the jar is " + bytes + " bytes, more than the code store holds in all ("
              + maxBytes + " bytes, tasklane.scheduler.code.max-bytes)");
        }
        if (usedBytes + bytes > maxBytes) {
          List<Entry> unused = new ArrayList<>();
          long freeable = 0;
          for (Entry e : jars.values()) {
            if (e.ready && e.holders == 0) {
              unused.add(e);
              freeable += e.bytes;
            }
          }
          if (usedBytes - freeable + bytes > maxBytes) {
            return new Refused(507, "the code store is full: graphs hold " + (usedBytes - freeable) + " of its "
                + maxBytes + " bytes (tasklane.scheduler.code.max-bytes), so this " + bytes
                + "-byte jar does not fit; forget finished graphs, or raise the limit");
          }
          unused.sort(Comparator.comparingLong(e -> e.unusedSinceNanos));
          for (Entry e : unused) {
            if (usedBytes + bytes <= maxBytes) {
              break;
            }
            jars.remove(e.sha256);
            usedBytes -= e.bytes;
            evicted.add(e);
          }
        }
        entry = new Entry(sha256, bytes, nanoClock.getAsLong());
        jars.put(sha256, entry);
        usedBytes += bytes;
      }
      for (Entry e : evicted) {
        Files.deleteIfExists(pathOf(e.sha256));
      }
      try {
        JarFiles.move(in, pathOf(sha256));
        consumed = true;
      } catch (IOException | RuntimeException e) {
        synchronized (lock) {
          jars.remove(sha256);
          usedBytes -= bytes;
        }
        throw e;
      }
      synchronized (lock) {
        entry.ready = true;
        entry.unusedSinceNanos = nanoClock.getAsLong();
      }
      return new Stored(sha256, bytes, true);
    } finally {
      if (!consumed) {
        Files.deleteIfExists(in);
      }
    }
  }

  // ------------------------------------------------------------------ graphs

  /**
   * Graph {@code graphId} holds these jars until {@link #release}. Returns null if the store holds
   * them all, else the first it does not hold (and then the graph holds none). No I/O.
   *
   * @throws IllegalStateException if the graph holds jars already
   */
  public String hold(String graphId, List<String> sha256s) {
    List<String> wanted = List.copyOf(new LinkedHashSet<>(sha256s));
    synchronized (lock) {
      if (graphs.containsKey(graphId)) {
        throw new IllegalStateException("graph " + graphId + " holds jars already");
      }
      for (String sha : wanted) {
        Entry e = jars.get(sha);
        if (e == null || !e.ready) {
          return sha;
        }
      }
      for (String sha : wanted) {
        jars.get(sha).holders++;
      }
      graphs.put(graphId, wanted);
      return null;
    }
  }

  /** Graph {@code graphId} no longer holds its jars; those no other graph holds start their grace period. No I/O. */
  public void release(String graphId) {
    synchronized (lock) {
      List<String> held = graphs.remove(graphId);
      if (held == null) {
        return;
      }
      long now = nanoClock.getAsLong();
      for (String sha : held) {
        Entry e = jars.get(sha);
        if (e != null && --e.holders == 0) {
          e.unusedSinceNanos = now;
        }
      }
    }
  }

  /** How many graphs hold this jar. */
  public int holders(String sha256) {
    synchronized (lock) {
      Entry e = jars.get(sha256);
      return e == null ? 0 : e.holders;
    }
  }

  // ------------------------------------------------------------------ reading and cleaning

  /** Up to {@code max} bytes of a jar from {@code offset} (blocks: file I/O). */
  public Chunk read(String sha256, long offset, int max) {
    if (!GraphValidator.isSha256(sha256)) {
      return new Chunk(-1, new byte[0], NOT_A_DIGEST);
    }
    synchronized (lock) {
      Entry e = jars.get(sha256);
      if (e == null || !e.ready) {
        return new Chunk(-1, new byte[0], "this scheduler does not hold jar " + sha256
            + " (it was never uploaded, or no graph holds it any more and it was deleted)");
      }
    }
    try (FileChannel ch = FileChannel.open(pathOf(sha256), StandardOpenOption.READ)) {
      long total = ch.size();
      if (offset < 0 || offset > total) {
        return new Chunk(total, new byte[0], "offset " + offset + " is outside jar " + sha256 + " of " + total + " bytes");
      }
      ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(max, total - offset));
      while (buffer.hasRemaining()) {
        if (ch.read(buffer, offset + buffer.position()) < 0) {
          break;
        }
      }
      byte[] bytes = buffer.position() == buffer.capacity() ? buffer.array()
          : java.util.Arrays.copyOf(buffer.array(), buffer.position());
      return new Chunk(total, bytes, null);
    } catch (NoSuchFileException e) {
      return new Chunk(-1, new byte[0], "jar " + sha256 + " is gone from the scheduler's code store");
    } catch (IOException e) {
      return new Chunk(-1, new byte[0], "the scheduler could not read jar " + sha256 + ": " + JarFiles.oneLine(e.toString()));
    }
  }

  /**
   * Deletes the jars no graph has held for the grace period; returns their digests (blocks: file I/O).
   */
  public List<String> sweep() throws IOException {
    List<String> gone = new ArrayList<>(0);
    synchronized (lock) {
      long now = nanoClock.getAsLong();
      jars.values().removeIf(e -> {
        if (e.ready && e.holders == 0 && now - e.unusedSinceNanos >= retentionNanos) {
          usedBytes -= e.bytes;
          gone.add(e.sha256);
          return true;
        }
        return false;
      });
    }
    for (String sha : gone) {
      Files.deleteIfExists(pathOf(sha));
    }
    return gone;
  }

  /** Deletes the folder if it is a temporary one (blocks: file I/O). */
  @Override
  public void close() throws IOException {
    if (temporary) {
      JarFiles.clean(dir);
      Files.deleteIfExists(dir);
    }
  }


}
