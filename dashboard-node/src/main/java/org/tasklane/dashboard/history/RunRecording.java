package org.tasklane.dashboard.history;

import java.util.function.Consumer;
import org.tasklane.protocol.DashboardProtocol;

/**
 * One run of the history, opened for reading: what the replay, the report and the trace read.
 * Reading never fails on a torn or corrupt end: the records before it are read, and {@link #info()}
 * says the run is partial and why.
 */
public interface RunRecording extends AutoCloseable {

  RunInfo info();

  /** Every record, in the order written ({@link HistoryRecord.RunStarted} first). */
  void forEach(Consumer<HistoryRecord> visitor);

  /**
   * What rebuilding the run's state at {@code timeMillis} needs, in the order written: the
   * {@link HistoryRecord.RunStarted}, then the latest {@link HistoryRecord.Checkpoint} written at or
   * before that time (if any), then every later record written at or before it. Reads only that part
   * of the file.
   */
  void forEachUpTo(long timeMillis, Consumer<HistoryRecord> visitor);

  /**
   * The task records whose run ([start, stop], epoch microseconds) overlaps [fromMicros, toMicros],
   * in the order written. Reads only the parts of the file that can hold them.
   */
  void forEachTaskBetween(long fromMicros, long toMicros, Consumer<DashboardProtocol.TaskEvent> visitor);

  @Override
  void close();
}
