package org.tasklane.dashboard.history;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.CRC32;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Reads one run file: indexes its frames on open (frame headers, and the CRC of every frame when
 * asked to verify), then reads only the frames a question needs. A torn or corrupt frame ends the
 * file: what comes before it is read, and {@link #info()} says the run was cut short there. Only a
 * file that is not a run file, or is of a newer format, fails to open. Thread-safe (one reader at
 * a time per recording).
 */
public final class RunFileReader implements RunRecording {

  /** A file that cannot be read at all: not a run file, or from a newer Tasklane. One line. */
  public static final class UnreadableRunFileException extends IOException {
    UnreadableRunFileException(String message) {
      super(message);
    }
  }

  private final String id;
  private final FileChannel channel;
  private final ChannelWindow window;
  private final RecordCodec codec = new RecordCodec();
  private final FrameIndex index = new FrameIndex();
  private final boolean live;
  private final long fileBytes;
  /** Where and why the readable part ends; null if the whole file is read. */
  private String cutShort;
  private RunInfo info;

  /**
   * Opens and indexes a run file.
   *
   * @param id the run's id (the file name without {@link RunFileFormat#EXTENSION})
   * @param verify check every frame's CRC now (else only the frames read for {@link #info()})
   * @param live the file is still being written by this process: its end may be a frame not yet
   *     flushed, which does not make the run partial
   * @throws UnreadableRunFileException if it is not a run file or is of a newer format
   * @throws IOException if it cannot be opened
   */
  public static RunFileReader open(Path file, String id, boolean verify, boolean live) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    try {
      return new RunFileReader(id, ch, verify, live);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  private RunFileReader(String id, FileChannel channel, boolean verify, boolean live) throws IOException {
    this.id = id;
    this.channel = channel;
    this.window = new ChannelWindow(channel);
    this.live = live;
    this.fileBytes = channel.size();
    readHeader();
    scan(verify);
    this.info = computeInfo();
  }

  private void readHeader() throws IOException {
    if (fileBytes < RunFileFormat.HEADER_BYTES) {
      throw new UnreadableRunFileException("run " + id + " is not a Tasklane run file (" + fileBytes + " bytes)");
    }
    ByteBuffer h = window.read(0, RunFileFormat.HEADER_BYTES);
    for (byte m : RunFileFormat.MAGIC) {
      if (h.get() != m) {
        throw new UnreadableRunFileException("run " + id + " is not a Tasklane run file (no TLRN header)");
      }
    }
    int version = h.getShort() & 0xffff;
    if (version > RunFileFormat.VERSION) {
      throw new UnreadableRunFileException("run " + id + " is in history format " + version
          + ", newer than this Tasklane reads (" + RunFileFormat.VERSION + "): open it with a newer Tasklane");
    }
  }

  private void scan(boolean verify) throws IOException {
    long pos = RunFileFormat.HEADER_BYTES;
    while (pos < fileBytes) {
      long left = fileBytes - pos;
      if (left < RunFileFormat.FRAME_HEADER_BYTES) {
        cut(pos, "a torn frame header (" + left + " of " + RunFileFormat.FRAME_HEADER_BYTES + " bytes)");
        return;
      }
      RunFileFormat.FrameHeader h = RunFileFormat.FrameHeader.read(window.read(pos, RunFileFormat.FRAME_HEADER_BYTES));
      if (h.length() < 0 || h.length() > RunFileFormat.MAX_PAYLOAD_BYTES) {
        cut(pos, "an impossible frame length (" + h.length() + ")");
        return;
      }
      if (left - RunFileFormat.FRAME_HEADER_BYTES < h.length()) {
        cut(pos, "a torn frame (" + (left - RunFileFormat.FRAME_HEADER_BYTES) + " of its " + h.length()
            + " bytes)");
        return;
      }
      if (RunFileFormat.typeName(h.type()).startsWith("type ")) {
        cut(pos, "an unknown frame " + RunFileFormat.typeName(h.type()));
        return;
      }
      if (verify && !crcMatches(pos, h)) {
        cut(pos, "a " + RunFileFormat.typeName(h.type()) + " frame whose checksum does not match");
        return;
      }
      index.add(pos, h);
      pos += RunFileFormat.FRAME_HEADER_BYTES + h.length();
    }
  }

  private boolean crcMatches(long pos, RunFileFormat.FrameHeader h) throws IOException {
    ByteBuffer b = window.read(pos + 8, RunFileFormat.FRAME_HEADER_BYTES - 8 + h.length());
    CRC32 crc = new CRC32();
    crc.update(b);
    return (int) crc.getValue() == h.crc();
  }

  private void cut(long pos, String why) {
    if (cutShort == null) {
      cutShort = "cut short at byte " + pos + ": " + why;
    }
  }

  /** Reads frame {@code i}'s payload, checking its CRC; on failure the file ends before it. */
  private Object readFrame(int i) {
    long pos = index.position(i);
    int length = index.length(i);
    try {
      ByteBuffer b = window.read(pos, RunFileFormat.FRAME_HEADER_BYTES + length);
      RunFileFormat.FrameHeader h = RunFileFormat.FrameHeader.read(b.duplicate());
      ByteBuffer checked = b.duplicate().position(b.position() + 8);
      CRC32 crc = new CRC32();
      crc.update(checked);
      if ((int) crc.getValue() != h.crc()) {
        throw new IOException("a " + RunFileFormat.typeName(h.type()) + " frame whose checksum does not match");
      }
      byte[] payload = new byte[length];
      b.position(b.position() + RunFileFormat.FRAME_HEADER_BYTES).get(payload);
      return h.type() == RunFileFormat.SUMMARY
          ? codec.decodeSummary(h.deflated(), payload, length)
          : codec.decode(h.type(), h.deflated(), payload, length);
    } catch (IOException e) {
      cut(pos, e.getMessage());
      index.truncate(i);
      info = null; // computed again, with the reason
      return null;
    }
  }

  // ------------------------------------------------------------------ RunRecording

  @Override
  public synchronized RunInfo info() {
    if (info == null) {
      info = computeInfo();
    }
    return info;
  }

  @Override
  public synchronized void forEach(Consumer<HistoryRecord> visitor) {
    for (int i = 0; i < index.size(); i++) {
      if (!visit(i, visitor)) {
        return;
      }
    }
  }

  @Override
  public synchronized void forEachUpTo(long timeMillis, Consumer<HistoryRecord> visitor) {
    int from = 0;
    if (index.size() > 0 && index.type(0) == RunFileFormat.RUN_STARTED) {
      if (!visit(0, visitor)) {
        return;
      }
      from = 1;
    }
    // frame times never go back (the writer sees to it): the last checkpoint at or before the time
    int checkpoint = -1;
    for (int i = from; i < index.size() && index.timeMillis(i) <= timeMillis; i++) {
      if (index.type(i) == RunFileFormat.CHECKPOINT) {
        checkpoint = i;
      }
    }
    for (int i = checkpoint >= 0 ? checkpoint : from; i < index.size() && index.timeMillis(i) <= timeMillis; i++) {
      if (!visit(i, visitor)) {
        return;
      }
    }
  }

  @Override
  public synchronized void forEachTaskBetween(
      long fromMicros, long toMicros, Consumer<DashboardProtocol.TaskEvent> visitor) {
    for (int i = 0; i < index.size(); i++) {
      if (index.type(i) != RunFileFormat.TASKS || index.count(i) == 0
          || index.minStartMicros(i) > toMicros || index.maxStopMicros(i) < fromMicros) {
        continue;
      }
      Object r = readFrame(i);
      if (r == null) {
        return;
      }
      for (DashboardProtocol.TaskEvent t : ((HistoryRecord.Tasks) r).tasks()) {
        if (Math.min(t.startMicros(), t.stopMicros()) <= toMicros && Math.max(t.startMicros(), t.stopMicros()) >= fromMicros) {
          visitor.accept(t);
        }
      }
    }
  }

  /** Reads frame i and hands it on if it is a record; false if the file ends before it. */
  private boolean visit(int i, Consumer<HistoryRecord> visitor) {
    if (index.type(i) == RunFileFormat.SUMMARY) {
      return true;
    }
    Object r = readFrame(i);
    if (r == null) {
      return false;
    }
    visitor.accept((HistoryRecord) r);
    return true;
  }

  @Override
  public synchronized void close() {
    codec.release();
    try {
      channel.close();
    } catch (IOException ignored) {
      // closing a read-only channel: nothing was lost
    }
  }

  /** Task frames of the run and the total they hold (for measurements and tests). */
  long recordedTasks() {
    long n = 0;
    for (int i = 0; i < index.size(); i++) {
      if (index.type(i) == RunFileFormat.TASKS) {
        n += index.count(i);
      }
    }
    return n;
  }

  // ------------------------------------------------------------------ info

  /** The info, computed again if reading it found the file shorter than indexed. */
  private RunInfo computeInfo() {
    while (true) {
      int frames = index.size();
      RunInfo i = buildInfo();
      if (index.size() == frames) {
        return i;
      }
    }
  }

  private RunInfo buildInfo() {
    HistoryRecord.RunStarted started = null;
    if (index.size() > 0 && index.type(0) == RunFileFormat.RUN_STARTED) {
      started = (HistoryRecord.RunStarted) readFrame(0);
    } else if (index.size() > 0) {
      cut(index.position(0), "the first frame is " + RunFileFormat.typeName(index.type(0)) + ", not RunStarted");
      index.truncate(0);
    }
    if (started == null) {
      return new RunInfo(id, "", "", "running", 0, 0, 0, 0, 0, List.of(), true,
          cutShort == null ? "the run has no records" : cutShort, fileBytes);
    }
    DashboardProtocol.GraphEvent graph = started.graph();
    boolean finished = false;
    int lastGraph = Math.max(index.last(RunFileFormat.PROGRESS), index.last(RunFileFormat.RUN_FINISHED));
    if (lastGraph > 0) {
      Object r = readFrame(lastGraph);
      if (r instanceof HistoryRecord.Progress p) {
        graph = p.graph();
      } else if (r instanceof HistoryRecord.RunFinished f) {
        graph = f.graph();
        finished = true;
      }
    }
    List<String> workers = List.of();
    int summary = index.last(RunFileFormat.SUMMARY);
    if (summary > 0 && readFrame(summary) instanceof RunSummary s) {
      workers = s.workers();
    }
    List<String> reasons = new ArrayList<>();
    if (cutShort != null && !(live && !finished)) {
      reasons.add(cutShort);
    }
    if (started.joinedLate()) {
      reasons.add("the dashboard joined after the run had started");
    }
    gaps(reasons);
    if (!finished && !live) {
      reasons.add("the dashboard stopped during the run");
    }
    String state = finished ? graph.state() : "running";
    long finishedMillis = finished ? (graph.finishedMillis() > 0 ? graph.finishedMillis() : index.timeMillis(lastGraph)) : 0;
    return new RunInfo(id, graph.graphId(), graph.name(), state, graph.submittedMillis(), finishedMillis, graph.tasks(),
        graph.erred(), recordedTasks(), workers, !reasons.isEmpty(), String.join("; ", reasons), fileBytes);
  }

  /** The first gap's reason, and how many more there were. */
  private void gaps(List<String> reasons) {
    int n = 0;
    String first = null;
    long missed = 0;
    for (int i = 0; i < index.size(); i++) {
      if (index.type(i) != RunFileFormat.GAP) {
        continue;
      }
      n++;
      Object r = readFrame(i);
      if (r instanceof HistoryRecord.Gap g) {
        missed += g.missedTasks();
        if (first == null) {
          first = g.reason();
        }
      } else {
        break;
      }
    }
    if (first != null) {
      reasons.add(first + (n > 1 ? " (and " + (n - 1) + " more gaps" + (missed > 0 ? ", " + missed + " task records missing in all" : "") + ")" : ""));
    }
  }
}
