package org.tasklane.dashboard.history;

import java.io.IOException;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dashboard's run history: its locked folder, the store over it and the writer into it; or
 * nothing ({@link #off()}), when it is turned off or its folder cannot be written (then the live
 * pages work as ever and the runs page lists nothing).
 */
public final class History implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(History.class);

  private final HistoryFolder folder;
  private final HistoryStore store;
  private final HistoryWriter writer;

  private History(HistoryFolder folder, HistoryStore store, HistoryWriter writer) {
    this.folder = folder;
    this.store = store;
    this.writer = writer;
  }

  /** No history. */
  public static History off() {
    return new History(null, null, null);
  }

  /**
   * Opens the history the settings describe: locks and scans the folder and starts the writer.
   * A folder that cannot be created or written is one warning, and no history.
   *
   * @throws HistoryFolder.InUseException (one line) if another dashboard writes the folder
   */
  public static History open(HistorySettings settings) throws HistoryFolder.InUseException {
    if (!settings.enabled()) {
      return off();
    }
    HistoryFolder folder;
    try {
      folder = HistoryFolder.open(settings.dir());
    } catch (HistoryFolder.InUseException e) {
      throw e;
    } catch (IOException e) {
      log.warn("History: {}; the dashboard runs without history (--history-dir DIR for another folder)",
          e.getMessage());
      return off();
    }
    HistoryStore store = new HistoryStore(folder.dir(), settings.maxRuns(), settings.maxBytes(), false);
    try {
      long t = System.nanoTime();
      store.scan();
      log.info("History: {} runs in {} (indexed in {} ms)", store.list().size(), folder.dir(),
          (System.nanoTime() - t) / 1_000_000);
    } catch (IOException e) {
      log.warn("History: cannot list {} ({}); the dashboard runs without history", folder.dir(), e.getMessage());
      folder.close();
      return off();
    }
    return new History(folder, store, HistoryWriter.start(store, settings));
  }

  public Optional<HistoryStore> store() {
    return Optional.ofNullable(store);
  }

  public Optional<HistoryWriter> writer() {
    return Optional.ofNullable(writer);
  }

  /** Writes what is queued, closes the runs and releases the folder. */
  @Override
  public void close() {
    if (writer != null) {
      writer.close();
    }
    if (folder != null) {
      folder.close();
    }
  }
}
