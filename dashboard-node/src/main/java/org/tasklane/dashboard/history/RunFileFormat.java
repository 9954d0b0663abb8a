package org.tasklane.dashboard.history;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The layout of one run file ({@code *.tlrun}): an 8-byte header, then frames.
 *
 * <pre>
 * header   "TLRN" (4 bytes) | format version (u16, big-endian) | reserved (u16, 0)
 * frame    length (i32: payload bytes) | crc32 (i32: of every frame byte after it) |
 *          type (u8) | flags (u8: bit 0 = payload deflated) | timeMillis (i64) |
 *          minStartMicros (i64) | maxStopMicros (i64) | count (i32) | payload (length bytes)
 * </pre>
 *
 * The frame header carries what an index needs (type, record time, and for task frames their
 * number and the span of their [start, stop]), so a reader indexes a file by reading frame headers
 * only. A frame whose length is impossible, whose CRC does not match, or whose payload does not
 * decode ends the file: everything before it is read.
 */
final class RunFileFormat {
  private RunFileFormat() {}

  static final byte[] MAGIC = "TLRN".getBytes(StandardCharsets.US_ASCII);
  /**
   * The format this code writes; files of a higher version are refused. 2: a worker's metrics carry
   * their figures as one nested record (format-1 files still read: {@link StoredWorkerMetrics}).
   */
  static final int VERSION = 2;
  static final int HEADER_BYTES = 8;
  static final int FRAME_HEADER_BYTES = 4 + 4 + 1 + 1 + 8 + 8 + 8 + 4;
  /** No frame is larger: a bigger length is a torn or corrupt frame, not a reason to allocate it. */
  static final int MAX_PAYLOAD_BYTES = 64 * 1024 * 1024;
  static final String EXTENSION = ".tlrun";

  static final int FLAG_DEFLATED = 1;

  // frame types: the HistoryRecord kinds, and the writer's own summary
  static final byte RUN_STARTED = 1;
  static final byte PROGRESS = 2;
  static final byte TASKS = 3;
  static final byte WORKERS = 4;
  static final byte GAP = 5;
  static final byte CHECKPOINT = 6;
  static final byte RUN_FINISHED = 7;
  /** Not a {@link HistoryRecord}: what the index shows without reading task frames (see {@link RunSummary}). */
  static final byte SUMMARY = 16;

  static byte[] header() {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.put(MAGIC).putShort((short) VERSION).putShort((short) 0);
    return b.array();
  }

  /** The frame header's fields, as written before the payload. */
  record FrameHeader(int length, int crc, byte type, int flags, long timeMillis, long minStartMicros,
      long maxStopMicros, int count) {

    boolean deflated() {
      return (flags & FLAG_DEFLATED) != 0;
    }

    static FrameHeader read(ByteBuffer b) {
      return new FrameHeader(b.getInt(), b.getInt(), b.get(), b.get() & 0xff, b.getLong(), b.getLong(), b.getLong(),
          b.getInt());
    }

    /** The CRC over the header's fields after the CRC, then the payload. */
    static int crcOf(byte type, int flags, long timeMillis, long minStart, long maxStop, int count, byte[] payload,
        int payloadLength) {
      ByteBuffer h = ByteBuffer.allocate(FRAME_HEADER_BYTES - 8);
      h.put(type).put((byte) flags).putLong(timeMillis).putLong(minStart).putLong(maxStop).putInt(count);
      CRC32 crc = new CRC32();
      crc.update(h.array());
      crc.update(payload, 0, payloadLength);
      return (int) crc.getValue();
    }

    static void write(ByteBuffer b, int length, int crc, byte type, int flags, long timeMillis, long minStart,
        long maxStop, int count) {
      b.putInt(length).putInt(crc).put(type).put((byte) flags).putLong(timeMillis).putLong(minStart).putLong(maxStop)
          .putInt(count);
    }
  }

  static String typeName(byte type) {
    return switch (type) {
      case RUN_STARTED -> "RunStarted";
      case PROGRESS -> "Progress";
      case TASKS -> "Tasks";
      case WORKERS -> "Workers";
      case GAP -> "Gap";
      case CHECKPOINT -> "Checkpoint";
      case RUN_FINISHED -> "RunFinished";
      case SUMMARY -> "Summary";
      default -> "type " + (type & 0xff);
    };
  }
}
