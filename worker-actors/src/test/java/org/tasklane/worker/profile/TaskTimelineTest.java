package org.tasklane.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A task thread's timeline: which group ran when, read by another thread while it is written. */
class TaskTimelineTest {
  static String group(long k) {
    return "g" + (k % 3);
  }

  @Test
  void aReaderRacingTheWriterGetsTheRightGroupOrNoneNeverAWrongOne() throws Exception {
    TaskTimeline timeline = new TaskTimeline(8); // small: the writer laps the reader often
    long tasks = 2_000_000;
    AtomicLong writtenUpTo = new AtomicLong(-1);
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> wrong = new AtomicReference<>();
    AtomicLong answered = new AtomicLong();
    Thread reader = new Thread(() -> {
      long i = 0;
      while (!done.get() && wrong.get() == null) {
        long last = writtenUpTo.get();
        if (last < 0) {
          continue;
        }
        long k = Math.max(0, last - (i++ % 12)); // recent entries, some already overwritten
        String g = timeline.groupAt(k * 100 + 25); // inside task k
        if (g != null) {
          answered.incrementAndGet();
          if (!g.equals(group(k))) {
            wrong.set("task " + k + " ran group " + group(k) + ", the timeline said " + g);
          }
        }
        if (timeline.groupAt(k * 100 + 75) != null) { // between task k and k + 1
          wrong.set("a group between tasks " + k + " and " + (k + 1));
        }
      }
    }, "timeline-reader");
    reader.start();
    for (long k = 0; k < tasks; k++) {
      timeline.started(group(k), k * 100); // groups alternate: no two entries join
      timeline.stopped(k * 100 + 50);
      writtenUpTo.lazySet(k);
    }
    done.set(true);
    reader.join(60_000);
    assertNull(wrong.get());
    assertTrue(answered.get() > 0, "the reader found some tasks");
  }

  @Test
  void tasksOfOneGroupBackToBackShareAnEntryAndOlderOnesFallOffTheRing() {
    TaskTimeline timeline = new TaskTimeline(4); // the newest 3 entries are readable (the 4th slot is the next one's)
    timeline.started("a", 1_000);
    timeline.stopped(1_010);
    timeline.started("a", 1_020); // within the join gap: the same entry
    timeline.stopped(1_030);
    timeline.started("b", 2_000);
    timeline.stopped(2_010);
    assertEquals("a", timeline.groupAt(1_015), "the gap between joined tasks belongs to the group");
    assertEquals("b", timeline.groupAt(2_005));
    assertNull(timeline.groupAt(2_020), "after the last stop");
    timeline.started("c", 3_000);
    timeline.stopped(3_010);
    timeline.started("d", 4_000);
    assertEquals("d", timeline.groupAt(4_500), "running");
    assertEquals("b", timeline.groupAt(2_005));
    assertNull(timeline.groupAt(1_015), "a's entry is too old for the ring");
  }
}
