package org.tasklane.worker.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class MemoryThresholdsTest {
  private static final long LIMIT = 1000;
  private final MemoryThresholds dask = new MemoryThresholds(LIMIT, 0.6, 0.7, 0.8, 0.95);

  @Test
  void belowTheTargetNothingIsSpilled() {
    assertEquals(0, dask.bytesToSpill(600, 650));
    assertEquals(MemoryThresholds.Level.RUNNING, dask.level(650));
  }

  @Test
  void managedMemoryAboveTheTargetSpillsDownToIt() {
    assertEquals(100, dask.bytesToSpill(700, 700));
  }

  @Test
  void processMemoryAboveTheSpillLineSpillsUntilProcessMemoryIsAtTheTarget() {
    // managed 500 is under the target, but 250 unmanaged bring the process to 750 > 700
    assertEquals(150, dask.bytesToSpill(500, 750));
  }

  @Test
  void neverMoreThanIsManaged() {
    assertEquals(100, dask.bytesToSpill(100, 900));
  }

  @Test
  void levelsAtEachLine() {
    assertEquals(MemoryThresholds.Level.RUNNING, dask.level(800));
    assertEquals(MemoryThresholds.Level.PAUSED, dask.level(801));
    assertEquals(MemoryThresholds.Level.PAUSED, dask.level(950));
    assertEquals(MemoryThresholds.Level.TERMINATE, dask.level(951));
  }

  @Test
  void zeroTurnsEachOff() {
    MemoryThresholds off = new MemoryThresholds(LIMIT, 0, 0, 0, 0);
    assertEquals(0, off.bytesToSpill(990, 2000));
    assertEquals(MemoryThresholds.Level.RUNNING, off.level(5000));
    MemoryThresholds spillOnly = new MemoryThresholds(LIMIT, 0, 0.7, 0, 0);
    assertEquals(100, spillOnly.bytesToSpill(800, 800), "without a target, the spill line is where spilling stops");
  }

  @Test
  void aLimitMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new MemoryThresholds(0, 0.6, 0.7, 0.8, 0.95));
  }

  @Test
  void settingsRejectFractionsOutsideZeroToOne() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new MemorySettings(
        100, 1.5, 0.7, 0.8, 0.95, java.nio.file.Path.of("x"), 10, java.time.Duration.ofMillis(100)));
    assertEquals("memory.target must be a fraction from 0 (off) to 1, got 1.5", e.getMessage());
  }
}
