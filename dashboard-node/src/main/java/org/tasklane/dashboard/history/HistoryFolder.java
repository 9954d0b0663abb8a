package org.tasklane.dashboard.history;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A history folder this dashboard writes: created if missing, checked for writing, and locked
 * ({@code DIR/.lock}, {@link FileChannel#tryLock()}) so that no second dashboard writes it. The lock
 * goes with {@link #close()} or with the process.
 */
public final class HistoryFolder implements AutoCloseable {
  static final String LOCK_FILE = ".lock";

  /** Another dashboard holds the folder: the dashboard must not start on it. */
  public static final class InUseException extends IOException {
    InUseException(String message) {
      super(message);
    }
  }

  private final Path dir;
  private final FileChannel lockChannel;
  private final FileLock lock;

  private HistoryFolder(Path dir, FileChannel lockChannel, FileLock lock) {
    this.dir = dir;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Creates (if needed), checks and locks the folder.
   *
   * @throws InUseException (one line) if another dashboard holds its lock
   * @throws IOException (one line) if it cannot be created or written
   */
  public static HistoryFolder open(Path dir) throws IOException {
    Path d = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(d);
    } catch (IOException e) {
      throw new IOException("cannot create the history folder " + d + " (" + e.getClass().getSimpleName() + ": "
          + e.getMessage() + ")");
    }
    if (!Files.isDirectory(d) || !Files.isWritable(d)) {
      throw new IOException("the history folder " + d + " is not a folder this process may write");
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(d.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new IOException("cannot write the history folder " + d + " (" + e.getMessage() + ")");
    }
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // this process holds it already
    } catch (IOException e) {
      ch.close();
      throw new IOException("cannot lock the history folder " + d + " (" + e.getMessage() + ")");
    }
    if (lock == null) {
      ch.close();
      throw new InUseException("the history folder " + d + " is in use by another dashboard; give each dashboard "
          + "its own folder (--history-dir DIR, e.g. a subfolder), or run this one with --no-history");
    }
    return new HistoryFolder(d, ch, lock);
  }

  public Path dir() {
    return dir;
  }

  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException ignored) {
      // the process's end releases it anyway
    }
  }
}
