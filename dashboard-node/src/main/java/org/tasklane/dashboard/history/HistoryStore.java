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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs in one history folder: an index of their {@link RunInfo}s (built at start from the
 * files' frame headers), opening one as a {@link RunRecording}, and retention (the oldest runs go
 * past {@code max-runs} or {@code max-bytes}). Thread-safe: the routes read it while the writer's
 * thread tells it about the runs it opens and closes.
 *
 * <p>A read-only store (the {@code history} command) never deletes or changes a file.
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
    try (RunFileReader r = RunFileReader.open(f, id, false, isLive)) {
      runs.put(id, r.info());
    } catch (RunFileReader.UnreadableRunFileException e) {
      runs.remove(id);
      log.warn("History: {}; it is not listed", e.getMessage());
    } catch (IOException e) {
      runs.remove(id);
      log.warn("History: cannot read run {}: {}; it is not listed", id, e.getMessage());
    }
  }

  /** Every run, newest first (runs being written: as far as they are written). */
  public List<RunInfo> list() {
    for (String id : live) {
      index(id, fileOf(id), true);
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
    if (live.contains(id)) {
      index(id, fileOf(id), true);
    }
    return Optional.ofNullable(runs.get(id));
  }

  /**
   * Opens a run for reading (every frame's CRC is checked); empty if the id is not well formed,
   * names no listed run, or resolves outside the folder. The caller closes it.
   */
  public Optional<RunRecording> open(String id) {
    if (!RunIds.valid(id) || !runs.containsKey(id)) {
      return Optional.empty();
    }
    Path f = fileOf(id);
    try {
      if (!f.toRealPath().startsWith(dir.toRealPath()) || !Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        return Optional.empty(); // a link out of the folder
      }
      RunFileReader r = RunFileReader.open(f, id, true, live.contains(id));
      runs.put(id, r.info()); // checking every CRC may have found it shorter than indexed
      return Optional.of(r);
    } catch (IOException e) {
      log.warn("History: cannot open run {}: {}", id, e.getMessage());
      return Optional.empty();
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
    live.remove(id);
    index(id, fileOf(id), false);
    enforceLimits();
  }

  /** Deletes the oldest closed runs while there are more than max-runs or more than max-bytes in all. */
  synchronized void enforceLimits() {
    if (readOnly) {
      return;
    }
    List<RunInfo> all = new ArrayList<>(runs.values());
    all.sort(NEWEST_FIRST.reversed());
    long bytes = all.stream().mapToLong(RunInfo::bytes).sum();
    int count = all.size();
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
