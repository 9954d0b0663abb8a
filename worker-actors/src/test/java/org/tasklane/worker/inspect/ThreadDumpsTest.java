package org.tasklane.worker.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.WorkerProtocol;

/** Dumps of real threads: one parked deep in a method with a distinctive name, one idle. */
class ThreadDumpsTest {
  private final TaskThreads threads = new TaskThreads();
  private final CountDownLatch release = new CountDownLatch(1);
  private final List<Thread> started = new ArrayList<>();

  @AfterEach
  void stopThreads() throws InterruptedException {
    release.countDown();
    for (Thread t : started) {
      t.join(5000);
    }
  }

  /** A lane thread that runs a task whose function waits, {@code depth} calls down, in {@link #distinctiveWait}. */
  private void startLane(String name, String key, int depth) throws InterruptedException {
    CountDownLatch in = new CountDownLatch(1);
    Thread t = new Thread(() -> {
      TaskThreads.Lane lane = threads.enter();
      try {
        if (key != null) {
          lane.running(new TaskAssignment(7, key, "g", "fn", List.of(), List.of()), 1_700_000_000_000_000L);
        }
        recurse(depth, in);
      } finally {
        lane.idle();
        threads.leave(lane);
      }
    }, name);
    t.setDaemon(true);
    started.add(t);
    t.start();
    assertTrue(in.await(5, TimeUnit.SECONDS));
    // then until it waits inside distinctiveWait (not still on its way in)
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (t.getState() != Thread.State.WAITING) {
      assertTrue(System.nanoTime() < deadline, name + " never waited: " + t.getState());
      Thread.sleep(1);
    }
  }

  private void recurse(int depth, CountDownLatch in) {
    if (depth > 0) {
      recurse(depth - 1, in);
      return;
    }
    distinctiveWait(in);
  }

  private void distinctiveWait(CountDownLatch in) {
    in.countDown();
    try {
      release.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void busyThreadsComeFirstWithTheirTaskAndTheFunctionOnTheStack() throws Exception {
    startLane("lane-b-idle", null, 0);
    startLane("lane-a-busy", "<b>load-1</b>", 3);
    WorkerProtocol.ThreadDump dump = ThreadDumps.take("w", threads.lanes(), 64, 256 * 1024);
    assertEquals(2, dump.threads().size());
    WorkerProtocol.ThreadStack busy = dump.threads().get(0);
    assertEquals("lane-a-busy", busy.name());
    assertEquals("<b>load-1</b>", busy.task());
    assertEquals(1_700_000_000_000_000L, busy.taskStartMicros());
    assertEquals("WAITING", busy.state());
    assertTrue(busy.frames().stream().anyMatch(f -> f.startsWith(
        "org.tasklane.worker.inspect.ThreadDumpsTest.distinctiveWait(ThreadDumpsTest.java:")), busy.frames().toString());
    assertTrue(busy.lock() != null && busy.lock().contains("CountDownLatch"), busy.lock());
    assertNull(dump.threads().get(1).task());
    assertFalse(dump.truncated());
    assertTrue(dump.otherThreads() > 0);
  }

  @Test
  void framesReadLikeJavasOwnWithoutLoaderAndModulePrefixes() {
    assertEquals("java.lang.Thread.sleep(Native Method)",
        ThreadDumps.frame(new StackTraceElement("app", "java.base", "17", "java.lang.Thread", "sleep", null, -2)));
    assertEquals("org.example.Work.spin(Work.java:12)",
        ThreadDumps.frame(new StackTraceElement("app", null, null, "org.example.Work", "spin", "Work.java", 12)));
    assertEquals("org.example.Gen.run(Unknown Source)",
        ThreadDumps.frame(new StackTraceElement("org.example.Gen", "run", null, -1)));
  }

  @Test
  void framesPerThreadAreBoundedAndCounted() throws Exception {
    startLane("deep", "deep-1", 100);
    WorkerProtocol.ThreadStack s = ThreadDumps.take("w", threads.lanes(), 10, 256 * 1024).threads().get(0);
    assertEquals(10, s.frames().size());
    assertTrue(s.moreFrames() >= 100, "more frames: " + s.moreFrames());
    assertTrue(s.frames().get(0).contains("Unsafe.park") || s.frames().get(0).contains("LockSupport"), s.frames().get(0));
  }

  @Test
  void theWholeDumpIsBoundedInCharacters() throws Exception {
    for (int i = 0; i < 4; i++) {
      startLane("lane-" + i, "t-" + i, 50);
    }
    WorkerProtocol.ThreadDump dump = ThreadDumps.take("w", threads.lanes(), 64, 4096);
    long chars = dump.threads().stream().flatMap(t -> t.frames().stream()).mapToLong(String::length).sum();
    // past the budget each thread keeps its innermost frame only
    long longestFrame = dump.threads().stream().flatMap(t -> t.frames().stream()).mapToLong(String::length).max().orElse(0);
    assertTrue(chars <= 4096 + 4 * longestFrame, "chars " + chars);
    assertTrue(dump.truncated());
    assertEquals(4, dump.threads().size());
    dump.threads().forEach(t -> assertFalse(t.frames().isEmpty(), t.name()));
  }
}
