package org.tasklane.dashboard.history;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Appends frames to one new run file (see {@link RunFileFormat}). Not thread-safe: the history
 * writer's thread owns it. Writes go through a small buffer; {@link #flush()} hands them to the
 * operating system (no fsync: a dashboard that is killed loses at most what it had not flushed,
 * and the reader skips a torn last frame).
 */
public final class RunFileAppender implements AutoCloseable {
  static final int BUFFER_BYTES = 16 * 1024;

  private final Path file;
  private final OutputStream out;
  private final RecordCodec codec;
  private final ByteBuffer header = ByteBuffer.allocate(RunFileFormat.FRAME_HEADER_BYTES);
  private long bytes;
  private long tasks;
  private boolean dirty;

  /**
   * Creates the file (it must not exist) and writes the file header.
   *
   * @throws IOException if the file exists or cannot be written
   */
  public RunFileAppender(Path file) throws IOException {
    this(file, new RecordCodec());
  }

  RunFileAppender(Path file, RecordCodec codec) throws IOException {
    this.file = file;
    this.codec = codec;
    this.out = new BufferedOutputStream(
        java.nio.file.Files.newOutputStream(file, java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE), BUFFER_BYTES);
    byte[] h = RunFileFormat.header();
    out.write(h);
    bytes = h.length;
    dirty = true;
  }

  Path file() {
    return file;
  }

  /** Bytes written so far (header included). */
  long bytes() {
    return bytes;
  }

  /** Task records written so far. */
  long tasks() {
    return tasks;
  }

  /** Appends a record at its own time. */
  public void append(HistoryRecord r) throws IOException {
    append(r, r.timeMillis());
  }

  /** Appends a record; {@code timeMillis} goes to the frame header (the index): it must never go back. */
  void append(HistoryRecord r, long timeMillis) throws IOException {
    RecordCodec.Encoded e = codec.encode(r);
    write(e, timeMillis);
    if (e.type() == RunFileFormat.TASKS) {
      tasks += e.count();
    }
  }

  void appendSummary(RunSummary s, long timeMillis) throws IOException {
    write(codec.encodeSummary(s), timeMillis);
  }

  private void write(RecordCodec.Encoded e, long timeMillis) throws IOException {
    int crc = RunFileFormat.FrameHeader.crcOf(e.type(), e.flags(), timeMillis, e.minStartMicros(), e.maxStopMicros(),
        e.count(), e.payload(), e.length());
    header.clear();
    RunFileFormat.FrameHeader.write(header, e.length(), crc, e.type(), e.flags(), timeMillis, e.minStartMicros(),
        e.maxStopMicros(), e.count());
    out.write(header.array(), 0, RunFileFormat.FRAME_HEADER_BYTES);
    out.write(e.payload(), 0, e.length());
    bytes += RunFileFormat.FRAME_HEADER_BYTES + e.length();
    dirty = true;
  }

  /** Hands what is buffered to the operating system, if anything is. */
  public void flush() throws IOException {
    if (dirty) {
      out.flush();
      dirty = false;
    }
  }

  @Override
  public void close() throws IOException {
    out.close();
  }
}
