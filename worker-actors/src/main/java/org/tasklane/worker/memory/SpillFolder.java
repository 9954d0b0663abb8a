package org.tasklane.worker.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * One worker process's spill folder, {@code <spill-dir>/worker-<pid>-<nanos>}: results written as
 * CBOR (the format the worker's messages travel in), one file per result, at most {@code maxBytes}
 * in all. Made when the worker starts (after deleting the folders of workers whose process is gone),
 * deleted with everything in it when the worker stops. Safe for concurrent use: each file is
 * written once and read or deleted by id.
 */
public final class SpillFolder implements AutoCloseable {

  /** One spilled result: its file and its size there. */
  public record Spilled(Path file, long diskBytes) {}

  /** The folder has no room for a result under its bound. */
  public static final class FolderFull extends IOException {
    FolderFull(String message) {
      super(message);
    }
  }

  private static final String PREFIX = "worker-";
  private static final CBORMapper CBOR = new CBORMapper();

  private final Path folder;
  private final long maxBytes;
  private final AtomicLong diskBytes = new AtomicLong();

  private SpillFolder(Path folder, long maxBytes) {
    this.folder = folder;
    this.maxBytes = maxBytes;
  }

  /**
   * Deletes the spill folders under {@code parent} of worker processes that no longer run, then
   * makes this process's own.
   *
   * @throws IOException if the folder cannot be made (the worker then keeps its results in memory)
   */
  public static SpillFolder open(Path parent, long maxBytes) throws IOException {
    Files.createDirectories(parent);
    deleteStale(parent);
    Path own = parent.resolve(PREFIX + ProcessHandle.current().pid() + "-" + System.nanoTime());
    return new SpillFolder(Files.createDirectory(own), maxBytes);
  }

  /** The folders of dead worker processes under {@code parent}, deleted; returns how many. */
  static int deleteStale(Path parent) {
    int deleted = 0;
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path p : entries) {
        long pid = pidOf(p.getFileName().toString());
        if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue; // a live worker's (or a process that reused the pid: left alone, to be safe)
        }
        if (pid > 0 && deleteTree(p)) {
          deleted++;
        }
      }
    } catch (IOException e) {
      // an unreadable parent: nothing stale can be found; making our own folder says what is wrong
    }
    return deleted;
  }

  /** The pid in {@code worker-<pid>-<nanos>}, or -1. */
  static long pidOf(String name) {
    int dash = name.indexOf('-', PREFIX.length());
    if (!name.startsWith(PREFIX) || dash < 0) {
      return -1;
    }
    try {
      return Long.parseLong(name.substring(PREFIX.length(), dash));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** This worker's folder. */
  public Path path() {
    return folder;
  }

  /** Bytes on disk now. */
  public long diskBytes() {
    return diskBytes.get();
  }

  /**
   * Writes a result. A failed write leaves no file behind.
   *
   * @param sizeHint its estimated size: a result that cannot fit under the bound is not tried
   * @throws FolderFull if it would take the folder past its bound
   * @throws IOException if the disk is full or the folder unwritable
   */
  public Spilled write(long taskId, JsonNode value, long sizeHint) throws IOException {
    if (diskBytes.get() + sizeHint > maxBytes) {
      throw new FolderFull("the spill folder holds " + diskBytes.get() + " bytes and may hold " + maxBytes
          + " (tasklane.worker.memory.spill-max)");
    }
    Path file = folder.resolve(taskId + ".cbor");
    try (OutputStream out = Files.newOutputStream(file)) {
      CBOR.writeValue(out, value);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e instanceof IOException io ? io : new IOException(e.getMessage(), e);
    }
    long size = Files.size(file);
    if (diskBytes.addAndGet(size) > maxBytes) {
      delete(new Spilled(file, size));
      throw new FolderFull("the spill folder would hold more than " + maxBytes + " bytes (tasklane.worker.memory.spill-max)");
    }
    return new Spilled(file, size);
  }

  /** Reads a spilled result back. */
  public JsonNode read(Spilled spilled) throws IOException {
    try (InputStream in = Files.newInputStream(spilled.file())) {
      return CBOR.readTree(in);
    }
  }

  /** Deletes a spilled result's file (a missing file is fine: it is gone either way). */
  public void delete(Spilled spilled) {
    try {
      if (Files.deleteIfExists(spilled.file())) {
        diskBytes.addAndGet(-spilled.diskBytes());
      }
    } catch (IOException e) {
      // the folder goes as a whole when the worker stops, and a stale one when the next starts
    }
  }

  /** Deletes the folder and everything in it. */
  @Override
  public void close() {
    deleteTree(folder);
    diskBytes.set(0);
  }

  private static boolean deleteTree(Path root) {
    try (Stream<Path> walk = Files.walk(root)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | RuntimeException e) {
      return false;
    }
    return !Files.exists(root);
  }
}
