package org.tasklane.dashboard.history;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Reads a file through one reused window (1 MiB at most), so that walking many small frames in
 * order costs a read per megabyte, not one per frame. The window is as large as the file when that
 * is smaller: the history opens every run twice as it records it, and a run of a small graph is a
 * few kilobytes (a 1 MiB buffer each time was 2 MiB of garbage per graph). Not thread-safe.
 */
final class ChannelWindow {
  static final int WINDOW_BYTES = 1 << 20;

  private final FileChannel channel;
  private ByteBuffer window = ByteBuffer.allocate(0);
  private long windowStart = -1;
  private int windowLength;

  ChannelWindow(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * {@code n} bytes at {@code position}, as a buffer positioned at them (valid until the next call).
   *
   * @throws EOFException if the file ends before them
   */
  ByteBuffer read(long position, int n) throws IOException {
    if (n > WINDOW_BYTES) {
      ByteBuffer big = ByteBuffer.allocate(n);
      fill(big, position);
      return big.flip();
    }
    if (windowStart < 0 || position < windowStart || position + n > windowStart + windowLength) {
      if (window.capacity() < n || window.capacity() < WINDOW_BYTES && channel.size() > window.capacity()) {
        window = ByteBuffer.allocate((int) Math.min(WINDOW_BYTES, Math.max(n, channel.size())));
      }
      window.clear();
      windowStart = position;
      windowLength = 0;
      while (window.hasRemaining()) {
        int r = channel.read(window, position + window.position());
        if (r < 0) {
          break;
        }
      }
      windowLength = window.position();
      if (windowLength < n) {
        throw new EOFException("the file ends at byte " + (position + windowLength));
      }
    }
    ByteBuffer view = window.duplicate();
    view.limit((int) (position - windowStart) + n).position((int) (position - windowStart));
    return view;
  }

  private void fill(ByteBuffer b, long position) throws IOException {
    while (b.hasRemaining()) {
      if (channel.read(b, position + b.position()) < 0) {
        throw new EOFException("the file ends at byte " + (position + b.position()));
      }
    }
  }
}
