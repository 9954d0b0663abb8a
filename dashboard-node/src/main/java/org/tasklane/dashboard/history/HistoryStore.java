package org.tasklane.dashboard.history;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs in one history folder: an index of their {@link RunInfo}s (built at start from the
 * files' frame headers), opening one as a {@link RunRecording}, and retention (the oldest runs go
 * past {@code max-runs} or {@code max-bytes}). Thread-safe: the routes read it while the writer's
 * thread tells it about the runs it opens and closes.
 *
 * <p>A read-only store (the {@code history} command) never deletes, changes, creates or locks a
 * file. It lists the newest {@code max-runs} runs of the folder and keeps up with it by itself: a
 * question at least {@link #RESCAN_MILLIS} after the last look lists the folder again and re-reads
 * only the files that are new or changed ({@link #refresh()}).
 */
public final class HistoryStore {
  private static final Logger log = LoggerFactory.getLogger(HistoryStore.class);
  private static final Comparator<RunInfo> NEWEST_FIRST =
      Comparator.comparingLong(RunInfo::submittedMillis).thenComparing(RunInfo::id).reversed();

  private final Path dir;
  private final int maxRuns;
  private final long maxBytes;
  private final boolean readOnly;
  private final Map<String, RunInfo> runs = new ConcurrentHashMap<>();
  /** Runs the writer has open: their files grow, and retention leaves them alone. */
  private final Set<String> live = ConcurrentHashMap.newKeySet();

  /** A read-only store looks at the folder again when asked this long after its last look. */
  public static final long RESCAN_MILLIS = 2000;
  /**
   * A read-only store takes an unfinished run whose file changed this recently to be still written
   * (by a dashboard elsewhere, which adds a checkpoint every few seconds): running, not partial.
   */
  public static final long WRITING_MILLIS = 30_000;

  /** What a read-only store last saw of each listed file, so that it re-reads only the changed ones. */
  private record FileStamp(long size, long modifiedMillis, boolean writing) {}

  private final Map<String, FileStamp> stamps = new ConcurrentHashMap<>();
  private final ReentrantLock refreshing = new ReentrantLock();
  private volatile long nextRefreshNanos = System.nanoTime();
  /** Runs the folder held past max-runs at the last look (logged when it changes). */
  private int unlisted;

  /**
   * @param dir an existing folder
   * @param readOnly never delete (the history server)
   */
  public HistoryStore(Path dir, int maxRuns, long maxBytes, boolean readOnly) {
    this.dir = dir.toAbsolutePath().normalize();
    this.maxRuns = maxRuns;
    this.maxBytes = maxBytes;
    this.readOnly = readOnly;
  }

  public Path dir() {
    return dir;
  }

  /** Indexes every run file of the folder (frame headers only); one log line per file it cannot read. */
  public void scan() throws IOException {
    if (readOnly) {
      refresh();
      return;
    }
    runs.clear();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + RunFileFormat.EXTENSION)) {
      for (Path f : files) {
        String id = idOf(f);
        if (id != null && Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
          index(id, f, false);
        }
      }
    }
    if (!readOnly) {
      enforceLimits();
    }
  }

  private static String idOf(Path f) {
    String name = f.getFileName().toString();
    String id = name.substring(0, name.length() - RunFileFormat.EXTENSION.length());
    return RunIds.valid(id) ? id : null;
  }

  private void index(String id, Path f, boolean isLive) {
    store(id, read(id, f, isLive));
  }

  /** A run file's info, or null (said in one line) if it cannot be read. */
  private RunInfo read(String id, Path f, boolean isLive) {
    try (RunFileReader r = RunFileReader.open(f, id, false, isLive)) {
      return r.info();
    } catch (RunFileReader.UnreadableRunFileException e) {
      log.warn("History: {}; it is not listed", e.getMessage());
    } catch (IOException e) {
      log.warn("History: cannot read run {}: {}; it is not listed", id, e.getMessage());
    }
    return null;
  }

  private void store(String id, RunInfo info) {
    if (info != null) {
      runs.put(id, info);
    } else {
      runs.remove(id);
    }
  }

  /**
   * Re-reads a run being written, for a reader (an HTTP thread). What it read is kept only if the
   * run is still being written: once {@link #closed} has indexed the finished file, a reading begun
   * before must not put the run back as it was then (it would stay "running" for good).
   */
  private void indexLive(String id) {
    RunInfo info = read(id, fileOf(id), true);
    synchronized (live) {
      if (live.contains(id)) {
        store(id, info);
      }
    }
  }

  /** Every run, newest first (runs being written: as far as they are written). */
  public List<RunInfo> list() {
    refreshIfDue();
    for (String id : live) {
      indexLive(id);
    }
    List<RunInfo> out = new ArrayList<>(runs.values());
    out.sort(NEWEST_FIRST);
    return out;
  }

  /** A run's info, if the id is well formed and the run is listed. */
  public Optional<RunInfo> info(String id) {
    if (!RunIds.valid(id)) {
      return Optional.empty();
    }
    refreshIfDue();
    if (live.contains(id)) {
      indexLive(id);
    }
    return Optional.ofNullable(runs.get(id));
  }

  /**
   * Opens a run for reading (every frame's CRC is checked); empty if the id is not well formed,
   * names no listed run, or resolves outside the folder. The caller closes it.
   */
  public Optional<RunRecording> open(String id) {
    if (!RunIds.valid(id)) {
      return Optional.empty();
    }
    refreshIfDue();
    if (!runs.containsKey(id)) {
      return Optional.empty();
    }
    Path f = fileOf(id);
    try {
      if (!f.toRealPath().startsWith(dir.toRealPath()) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty(); // a link out of the folder
      }
      RunFileReader r = RunFileReader.open(f, id, true, writing(id));
      runs.put(id, r.info()); // checking every CRC may have found it shorter than indexed
      return Optional.of(r);
    } catch (IOException e) {
      log.warn("History: cannot open run {}: {}", id, e.getMessage());
      return Optional.empty();
    }
  }

  /** Whether the run's file is still being written: by this process's writer, or (read-only) lately by another. */
  private boolean writing(String id) {
    FileStamp s = stamps.get(id);
    return live.contains(id) || (s != null && s.writing());
  }

  // ------------------------------------------------------------------ read-only: keeping up with the folder

  /**
   * Looks at the folder again (read-only stores): indexes the newest {@code max-runs} run files,
   * re-reading only those that are new, changed, or no longer being written, and forgets the runs
   * whose files are gone. The index is never empty in between: routes may read it meanwhile.
   *
   * @throws IOException if the folder cannot be listed (the index stays as it was)
   */
  public void refresh() throws IOException {
    refreshing.lock();
    try {
      // the newest max-runs ids (ids sort by start), in a heap of at most that many
      PriorityQueue<String> newest = new PriorityQueue<>();
      int total = 0;
      try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + RunFileFormat.EXTENSION)) {
        for (Path f : files) {
          String id = idOf(f);
          if (id == null || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
            continue;
          }
          total++;
          newest.add(id);
          if (newest.size() > maxRuns) {
            newest.poll();
          }
        }
      }
      Set<String> kept = new java.util.HashSet<>(newest);
      long now = System.currentTimeMillis();
      for (String id : kept) {
        Path f = fileOf(id);
        long size;
        long modified;
        try {
          size = Files.size(f);
          modified = Files.getLastModifiedTime(f, LinkOption.NOFOLLOW_LINKS).toMillis();
        } catch (IOException e) {
          continue; // gone meanwhile: forgotten below at the next look
        }
        FileStamp seen = stamps.get(id);
        boolean writing = now - modified < WRITING_MILLIS;
        if (seen == null || seen.size() != size || seen.modifiedMillis() != modified || seen.writing() != writing) {
          stamps.put(id, new FileStamp(size, modified, writing));
          index(id, f, writing);
        }
      }
      runs.keySet().retainAll(kept);
      stamps.keySet().retainAll(kept);
      int over = total - kept.size();
      if (over != unlisted) {
        unlisted = over;
        if (over > 0) {
          log.info("History: {} holds {} runs; listing the newest {} (max-runs)", dir, total, maxRuns);
        }
      }
    } finally {
      nextRefreshNanos = System.nanoTime() + RESCAN_MILLIS * 1_000_000;
      refreshing.unlock();
    }
  }

  /** A read-only store's look at the folder, if the last is old enough and no other thread is looking. */
  private void refreshIfDue() {
    if (!readOnly || System.nanoTime() - nextRefreshNanos < 0 || !refreshing.tryLock()) {
      return;
    }
    try {
      if (System.nanoTime() - nextRefreshNanos >= 0) {
        refresh();
      }
    } catch (IOException e) {
      log.warn("History: cannot list {} ({}); showing the runs listed before", dir, e.getMessage());
    } finally {
      refreshing.unlock();
    }
  }

  /** The path of a well-formed id, inside the folder. */
  Path fileOf(String id) {
    if (!RunIds.valid(id)) {
      throw new IllegalArgumentException("not a run id: " + id);
    }
    return dir.resolve(id + RunFileFormat.EXTENSION);
  }

  // ------------------------------------------------------------------ told by the writer

  void opened(String id) {
    live.add(id);
    index(id, fileOf(id), true);
  }

  void closed(String id) {
    synchronized (live) { // see indexLive
      live.remove(id);
    }
    index(id, fileOf(id), false);
    enforceLimits();
  }

  /** Deletes the oldest closed runs while there are more than max-runs or more than max-bytes in all. */
  synchronized void enforceLimits() {
    if (readOnly) {
      return;
    }
    List<RunInfo> all = new ArrayList<>(runs.values());
    long bytes = all.stream().mapToLong(RunInfo::bytes).sum();
    int count = all.size();
    if (count <= maxRuns && bytes <= maxBytes) {
      return; // the usual case, after every run: no sort of up to max-runs runs
    }
    all.sort(NEWEST_FIRST.reversed());
    int deleted = 0;
    long freed = 0;
    for (RunInfo r : all) {
      if (count <= maxRuns && bytes <= maxBytes) {
        break;
      }
      if (live.contains(r.id())) {
        continue;
      }
      try {
        Files.deleteIfExists(fileOf(r.id()));
      } catch (IOException e) {
        log.warn("History: cannot delete the old run {}: {}", r.id(), e.getMessage());
        continue;
      }
      runs.remove(r.id());
      count--;
      bytes -= r.bytes();
      freed += r.bytes();
      deleted++;
    }
    if (deleted > 0) {
      log.info("History: deleted the {} oldest run(s) ({} bytes) to keep within max-runs {} and max-bytes {} "
          + "(now {} runs, {} bytes)", deleted, freed, maxRuns, maxBytes, count, bytes);
    }
  }
}
