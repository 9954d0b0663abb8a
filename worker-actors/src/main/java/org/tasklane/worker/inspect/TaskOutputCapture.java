package org.tasklane.worker.inspect;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * What tasks print to {@code System.out} and {@code System.err}, line by line, into the process's
 * {@link LogBuffer} (level {@code STDOUT} / {@code STDERR}, with the task's key). Everything still
 * reaches the real streams unchanged. Only task threads' output is kept: a line printed by another
 * thread is not, and neither is what Logback's console appender writes for a task's log call (the
 * buffer has that line already, from {@link LogBufferAppender}). Installed once per process, by
 * the worker launcher (a worker JVM runs one worker), never by tests or an embedded worker.
 */
public final class TaskOutputCapture extends OutputStream {
  /** Bytes of one printed line kept, at most (the rest of the line is dropped). */
  static final int MAX_LINE_BYTES = 4 * LogBuffer.MAX_LINE_CHARS;
  /** Frames looked at to tell a write from Logback's console appender. */
  private static final int LOGBACK_FRAMES = 12;

  private static boolean installed;

  private final OutputStream original;
  private final LogBuffer buffer;
  private final String level;
  private final Charset charset;
  private final ThreadLocal<ByteArrayOutputStream> partial = ThreadLocal.withInitial(ByteArrayOutputStream::new);

  TaskOutputCapture(OutputStream original, LogBuffer buffer, String level, Charset charset) {
    this.original = original;
    this.buffer = buffer;
    this.level = level;
    this.charset = charset;
  }

  /** Puts the capture in front of {@code System.out} and {@code System.err} (once per process). */
  public static synchronized void install(LogBuffer buffer) {
    if (installed) {
      return;
    }
    installed = true;
    Charset charset = consoleCharset();
    System.setOut(new PrintStream(new TaskOutputCapture(System.out, buffer, "STDOUT", charset), true, charset));
    System.setErr(new PrintStream(new TaskOutputCapture(System.err, buffer, "STDERR", charset), true, charset));
  }

  /** What the JVM encodes System.out with (Java 17 has no PrintStream.charset()). */
  private static Charset consoleCharset() {
    try {
      return Charset.forName(System.getProperty("sun.stdout.encoding", Charset.defaultCharset().name()));
    } catch (RuntimeException e) {
      return Charset.defaultCharset();
    }
  }

  @Override
  public void write(int b) throws IOException {
    original.write(b);
    if (capturing()) {
      take(new byte[] {(byte) b}, 0, 1);
    }
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    original.write(b, off, len);
    if (capturing()) {
      take(b, off, len);
    }
  }

  @Override
  public void flush() throws IOException {
    original.flush();
  }

  /** A task thread prints, and not through Logback. */
  private static boolean capturing() {
    return TaskThreads.currentTaskKey() != null && !fromLogback();
  }

  private static boolean fromLogback() {
    return StackWalker.getInstance().walk(frames -> frames.limit(LOGBACK_FRAMES)
        .anyMatch(f -> f.getClassName().startsWith("ch.qos.logback.")));
  }

  private void take(byte[] b, int off, int len) {
    ByteArrayOutputStream line = partial.get();
    int start = off;
    for (int i = off; i < off + len; i++) {
      if (b[i] == '\n') {
        append(line, b, start, i - start);
        emit(line);
        start = i + 1;
      }
    }
    append(line, b, start, off + len - start);
  }

  private static void append(ByteArrayOutputStream line, byte[] b, int off, int len) {
    int room = MAX_LINE_BYTES - line.size();
    if (room > 0 && len > 0) {
      line.write(b, off, Math.min(room, len));
    }
  }

  private void emit(ByteArrayOutputStream line) {
    String text = line.toString(charset);
    line.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    buffer.add(System.currentTimeMillis(), level, "System." + (level.equals("STDOUT") ? "out" : "err"),
        Thread.currentThread().getName(), TaskThreads.currentTaskKey(), text);
  }
}
