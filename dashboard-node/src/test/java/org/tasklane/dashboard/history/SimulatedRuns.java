package org.tasklane.dashboard.history;

import java.util.List;
import java.util.Map;
import org.tasklane.dashboard.DashboardView;

/** Simulated recorded runs for tests outside this package (see {@link SimulatedRun}). */
public final class SimulatedRuns {
  public static final long T0 = SimulatedRun.T0;

  private SimulatedRuns() {}

  /** A recorded run and what the live dashboard showed during it. */
  public static final class Run {
    private final SimulatedRun run;

    private Run(SimulatedRun run) {
      this.run = run;
    }

    /** The run's records, opened anew. */
    public RunRecording recording() {
      return run.recording();
    }

    /** The live snapshots taken, by time. */
    public Map<Long, DashboardView.Snapshot> live() {
      return run.live;
    }

    public long end() {
      return run.end;
    }

    /** Task records in the run. */
    public long tasks() {
      return run.tasks + 1;
    }
  }

  /** 4,000 tasks in 10 s on two workers, a checkpoint every 2 s; live snapshots at {@code snapshotsAt}. */
  public static Run tenSecondRun(List<Long> snapshotsAt) {
    return new Run(new SimulatedRun(4000, 20, 2000, snapshotsAt));
  }
}
