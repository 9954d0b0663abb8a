package org.tasklane.dashboard.history;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.cbor.databind.CBORMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Turns a record into a frame's payload and back: CBOR through Jackson (task events are arrays,
 * without field names), deflated when that makes it smaller. Not thread-safe (it reuses its
 * deflater and buffers): one per writer thread, one per open reading.
 */
final class RecordCodec {
  /** Payloads smaller than this are stored as they are: deflate would not pay. */
  static final int DEFLATE_FROM_BYTES = 256;

  private static final ObjectMapper CBOR = CBORMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .addModule(StoredWorkerMetrics.module()) // workers' metrics of format-1 files too
      .addModule(TaskEventWriter.module()) // every task record: field by field, no reflection
      .build();

  /**
   * One encoded frame, before its header is written. Its payload is one of the codec's buffers:
   * write it before the next encode.
   */
  record Encoded(byte type, int flags, byte[] payload, int length, long minStartMicros, long maxStopMicros, int count) {}

  // Made on first use and ended by release() (a reading's close): a reading that only lists a run neither deflates nor
  // inflates, and a zlib stream holds native memory until it is ended or collected.
  private Deflater deflater;
  private Inflater inflater;
  private final Buffer out = new Buffer();
  /**
   * What a record encodes to, before deflate: reused (as {@link #deflated} is), so that a batch of
   * 1,000 task records allocates no buffers; one that grew past {@link #KEEP_BUFFER_BYTES} for a
   * rare large record (a snapshot's 20,000 tasks) is dropped at the next encode.
   */
  private Buffer plain = new Buffer();
  static final int KEEP_BUFFER_BYTES = 1 << 20;
  private byte[] deflated = new byte[0];
  private byte[] chunk;

  Encoded encode(HistoryRecord r) throws IOException {
    long minStart = 0;
    long maxStop = 0;
    int count = 0;
    byte type;
    if (r instanceof HistoryRecord.Tasks x) {
      type = RunFileFormat.TASKS;
      count = x.tasks().size();
      if (count > 0) {
        minStart = Long.MAX_VALUE;
        maxStop = Long.MIN_VALUE;
        for (DashboardProtocol.TaskEvent t : x.tasks()) {
          minStart = Math.min(minStart, Math.min(t.startMicros(), t.stopMicros()));
          maxStop = Math.max(maxStop, Math.max(t.startMicros(), t.stopMicros()));
        }
      }
    } else if (r instanceof HistoryRecord.Workers x) {
      type = RunFileFormat.WORKERS;
      count = x.metrics().size();
    } else {
      type = typeOf(r);
    }
    return pack(type, r, minStart, maxStop, count);
  }

  static byte typeOf(HistoryRecord r) {
    if (r instanceof HistoryRecord.RunStarted) {
      return RunFileFormat.RUN_STARTED;
    } else if (r instanceof HistoryRecord.Progress) {
      return RunFileFormat.PROGRESS;
    } else if (r instanceof HistoryRecord.Tasks) {
      return RunFileFormat.TASKS;
    } else if (r instanceof HistoryRecord.Workers) {
      return RunFileFormat.WORKERS;
    } else if (r instanceof HistoryRecord.Gap) {
      return RunFileFormat.GAP;
    } else if (r instanceof HistoryRecord.Checkpoint) {
      return RunFileFormat.CHECKPOINT;
    } else if (r instanceof HistoryRecord.RunFinished) {
      return RunFileFormat.RUN_FINISHED;
    }
    throw new IllegalArgumentException("not a history record: " + r.getClass().getName());
  }

  Encoded encodeSummary(RunSummary s) throws IOException {
    return pack(RunFileFormat.SUMMARY, s, 0, 0, s.workers().size());
  }

  private Encoded pack(byte type, Object value, long minStart, long maxStop, int count) throws IOException {
    if (plain.array().length > KEEP_BUFFER_BYTES) {
      plain = new Buffer();
    }
    if (deflated.length > KEEP_BUFFER_BYTES) {
      deflated = new byte[0];
    }
    plain.reset();
    CBOR.writeValue(plain, value);
    byte[] bytes = plain.array();
    int length = plain.size();
    if (length < DEFLATE_FROM_BYTES) {
      return new Encoded(type, 0, bytes, length, minStart, maxStop, count);
    }
    if (deflater == null) {
      deflater = new Deflater(Deflater.BEST_SPEED);
    }
    deflater.reset();
    deflater.setInput(bytes, 0, length);
    deflater.finish();
    if (deflated.length < length) {
      deflated = new byte[Math.max(length, deflated.length * 2)];
    }
    int n = 0;
    while (!deflater.finished() && n < length) {
      n += deflater.deflate(deflated, n, length - n);
    }
    if (!deflater.finished() || n >= length) {
      return new Encoded(type, 0, bytes, length, minStart, maxStop, count); // did not pay
    }
    return new Encoded(type, RunFileFormat.FLAG_DEFLATED, deflated, n, minStart, maxStop, count);
  }

  /**
   * The record of a {@link HistoryRecord} frame.
   *
   * @throws IOException (one line) if the payload does not inflate or decode, or the type is unknown
   */
  HistoryRecord decode(byte type, boolean isDeflated, byte[] payload, int length) throws IOException {
    byte[] plain = isDeflated ? inflate(payload, length) : payload;
    int n = isDeflated ? out.size() : length;
    Class<? extends HistoryRecord> cls = switch (type) {
      case RunFileFormat.RUN_STARTED -> HistoryRecord.RunStarted.class;
      case RunFileFormat.PROGRESS -> HistoryRecord.Progress.class;
      case RunFileFormat.TASKS -> HistoryRecord.Tasks.class;
      case RunFileFormat.WORKERS -> HistoryRecord.Workers.class;
      case RunFileFormat.GAP -> HistoryRecord.Gap.class;
      case RunFileFormat.CHECKPOINT -> HistoryRecord.Checkpoint.class;
      case RunFileFormat.RUN_FINISHED -> HistoryRecord.RunFinished.class;
      default -> throw new IOException("unknown frame type " + (type & 0xff));
    };
    try {
      return CBOR.readValue(plain, 0, n, cls);
    } catch (IOException | RuntimeException e) {
      throw new IOException("the " + RunFileFormat.typeName(type) + " record does not decode ("
          + firstLine(e.getMessage()) + ")");
    }
  }

  RunSummary decodeSummary(boolean isDeflated, byte[] payload, int length) throws IOException {
    byte[] plain = isDeflated ? inflate(payload, length) : payload;
    int n = isDeflated ? out.size() : length;
    try {
      return CBOR.readValue(plain, 0, n, RunSummary.class);
    } catch (IOException | RuntimeException e) {
      throw new IOException("the Summary record does not decode (" + firstLine(e.getMessage()) + ")");
    }
  }

  /** Inflates into {@link #out}; returns its buffer (valid for {@code out.size()} bytes). */
  private byte[] inflate(byte[] payload, int length) throws IOException {
    if (inflater == null) {
      inflater = new Inflater();
      chunk = new byte[8 * 1024];
    }
    inflater.reset();
    inflater.setInput(payload, 0, length);
    out.reset();
    try {
      while (!inflater.finished()) {
        int n = inflater.inflate(chunk);
        if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new IOException("the payload is not whole deflate data");
        }
        out.write(chunk, 0, n);
        if (out.size() > RunFileFormat.MAX_PAYLOAD_BYTES * 8) {
          throw new IOException("the payload inflates past " + RunFileFormat.MAX_PAYLOAD_BYTES * 8 + " bytes");
        }
      }
    } catch (DataFormatException e) {
      throw new IOException("the payload does not inflate (" + firstLine(e.getMessage()) + ")");
    }
    return outBuffer();
  }

  /** Ends the zlib streams (their native memory); the codec can still be used, they are made again. */
  void release() {
    if (deflater != null) {
      deflater.end();
      deflater = null;
    }
    if (inflater != null) {
      inflater.end();
      inflater = null;
    }
  }

  private byte[] outBuffer() {
    return out.array();
  }

  /** A growing buffer whose array is read in place (no copy per frame). */
  private static final class Buffer extends ByteArrayOutputStream {
    Buffer() {
      super(4 * 1024); // grows to the largest record seen
    }

    byte[] array() {
      return buf;
    }
  }

  static String firstLine(String s) {
    if (s == null) {
      return "no detail";
    }
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }
}
