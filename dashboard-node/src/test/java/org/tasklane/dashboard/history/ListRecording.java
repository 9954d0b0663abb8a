package org.tasklane.dashboard.history;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.tasklane.protocol.DashboardProtocol;

/**
 * A {@link RunRecording} over records in memory, keeping {@link RunRecording}'s contract (forEachUpTo
 * starts at the latest checkpoint), and counting what it is asked to read so that tests can check a
 * replay reads about the span it needs and not the whole run.
 */
final class ListRecording implements RunRecording {
  private final RunInfo info;
  private final List<HistoryRecord> records;
  int upToCalls;
  long recordsVisited;

  ListRecording(RunInfo info, List<HistoryRecord> records) {
    this.info = info;
    this.records = List.copyOf(records);
  }

  @Override
  public RunInfo info() {
    return info;
  }

  @Override
  public void forEach(Consumer<HistoryRecord> visitor) {
    records.forEach(r -> visit(r, visitor));
  }

  @Override
  public void forEachUpTo(long timeMillis, Consumer<HistoryRecord> visitor) {
    upToCalls++;
    int checkpoint = -1;
    for (int i = 0; i < records.size(); i++) {
      HistoryRecord r = records.get(i);
      if (r.timeMillis() > timeMillis) {
        break;
      }
      if (r instanceof HistoryRecord.Checkpoint) {
        checkpoint = i;
      }
    }
    visit(records.get(0), visitor);
    int i = Math.max(1, checkpoint);
    for (; i < records.size() && records.get(i).timeMillis() <= timeMillis; i++) {
      visit(records.get(i), visitor);
    }
  }

  @Override
  public void forEachTaskBetween(long fromMicros, long toMicros, Consumer<DashboardProtocol.TaskEvent> visitor) {
    for (HistoryRecord r : records) {
      if (r instanceof HistoryRecord.Tasks t) {
        for (DashboardProtocol.TaskEvent e : t.tasks()) {
          if (e.stopMicros() >= fromMicros && e.startMicros() <= toMicros) {
            visitor.accept(e);
          }
        }
      }
    }
  }

  private void visit(HistoryRecord r, Consumer<HistoryRecord> visitor) {
    recordsVisited++;
    visitor.accept(r);
  }

  @Override
  public void close() {}

  /** The task records of the run. */
  List<DashboardProtocol.TaskEvent> tasks() {
    List<DashboardProtocol.TaskEvent> out = new ArrayList<>();
    records.forEach(r -> {
      if (r instanceof HistoryRecord.Tasks t) {
        out.addAll(t.tasks());
      }
    });
    return out;
  }
}
