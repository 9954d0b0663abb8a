package org.tasklane.worker.inspect;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.tasklane.protocol.WorkerProtocol;

/**
 * The last log lines of this process, in memory: at most {@code maxLines} lines and about
 * {@code maxChars} characters; past either, the oldest lines go (and are counted). A line longer
 * than {@link #MAX_LINE_CHARS} is cut. Thread-safe.
 */
public final class LogBuffer {
  /** Characters of one line's message, at most. */
  public static final int MAX_LINE_CHARS = 8 * 1024;
  /** What a line costs beyond its texts (time, seq, level), in characters: for the bound. */
  static final int LINE_OVERHEAD = 32;

  private final int maxLines;
  private final long maxChars;
  private final ArrayDeque<WorkerProtocol.LogLine> lines = new ArrayDeque<>();
  private long chars;
  private long seq;
  private long dropped;

  public LogBuffer(int maxLines, long maxChars) {
    if (maxLines < 1 || maxChars < 1) {
      throw new IllegalArgumentException("a log buffer needs room for a line");
    }
    this.maxLines = maxLines;
    this.maxChars = maxChars;
  }

  /** Adds a line (the message cut to {@link #MAX_LINE_CHARS}); drops the oldest past the bounds. */
  public synchronized void add(long timeMillis, String level, String logger, String thread, String task, String message) {
    String text = message == null ? "" : message;
    if (text.length() > MAX_LINE_CHARS) {
      text = text.substring(0, MAX_LINE_CHARS) + "… (" + (text.length() - MAX_LINE_CHARS) + " more characters)";
    }
    WorkerProtocol.LogLine line = new WorkerProtocol.LogLine(++seq, timeMillis, level, logger, thread, task, text);
    lines.addLast(line);
    chars += size(line);
    while (lines.size() > maxLines || (chars > maxChars && lines.size() > 1)) {
      chars -= size(lines.removeFirst());
      dropped++;
    }
  }

  /** The newest {@code n} lines, oldest first. */
  public List<WorkerProtocol.LogLine> last(int n) {
    return last(n, 0);
  }

  /** The newest {@code n} lines whose seq is above {@code afterSeq}, oldest first. */
  public synchronized List<WorkerProtocol.LogLine> last(int n, long afterSeq) {
    int newer = (int) Math.max(0, Math.min(lines.size(), seq - afterSeq)); // seqs are consecutive
    int skip = lines.size() - Math.min(newer, Math.max(0, n));
    List<WorkerProtocol.LogLine> out = new ArrayList<>(lines.size() - skip);
    Iterator<WorkerProtocol.LogLine> it = lines.iterator();
    for (int i = 0; it.hasNext(); i++) {
      WorkerProtocol.LogLine line = it.next();
      if (i >= skip) {
        out.add(line);
      }
    }
    return out;
  }

  /** The seq of the newest line added (0 before the first). */
  public synchronized long lastSeq() {
    return seq;
  }

  /** Lines dropped to stay within the bounds since the start. */
  public synchronized long dropped() {
    return dropped;
  }

  /** Lines held now. */
  public synchronized int size() {
    return lines.size();
  }

  /** Characters held now (about: what the bound counts). */
  public synchronized long chars() {
    return chars;
  }

  static long size(WorkerProtocol.LogLine l) {
    return LINE_OVERHEAD + length(l.level()) + length(l.logger()) + length(l.thread()) + length(l.task())
        + length(l.message());
  }

  private static int length(String s) {
    return s == null ? 0 : s.length();
  }
}
