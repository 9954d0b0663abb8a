package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tasklane.launcher.RestartPolicy.Decision;
import org.tasklane.launcher.RestartPolicy.GiveUp;
import org.tasklane.launcher.RestartPolicy.Restart;
import org.tasklane.launcher.RestartPolicy.Stop;

/** The nanny's decisions, from exit codes, lifetimes and times given by the test: no processes, no clock. */
class RestartPolicyTest {
  static final int KILLED = 137;
  static final Duration SHORT_LIFE = Duration.ofSeconds(2);

  static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  @Test
  void theBackOffDoublesFromOneSecondUpToThirtySeconds() {
    RestartPolicy p = RestartPolicy.standard(100, Duration.ofMinutes(5));
    long[] expected = {1, 2, 4, 8, 16, 30, 30};
    for (int i = 0; i < expected.length; i++) {
      assertEquals(new Restart(s(expected[i]), i + 1), p.onExit(KILLED, SHORT_LIFE, s(10L * i)));
    }
  }

  @Test
  void aWorkerThatLivedAMinuteIsRestartedAfterTheFirstDelayAgain() {
    RestartPolicy p = RestartPolicy.standard(100, Duration.ofMinutes(5));
    p.onExit(KILLED, SHORT_LIFE, s(0));
    p.onExit(KILLED, SHORT_LIFE, s(5));
    assertEquals(new Restart(s(4), 3), p.onExit(KILLED, Duration.ofSeconds(59), s(70)));
    assertEquals(new Restart(s(1), 4), p.onExit(KILLED, Duration.ofSeconds(60), s(140)));
    assertEquals(new Restart(s(2), 5), p.onExit(KILLED, SHORT_LIFE, s(145)));
  }

  @Test
  void itGivesUpAfterMaxRestartsWithinTheWindowWithTheWorkersCode() {
    RestartPolicy p = RestartPolicy.standard(3, Duration.ofMinutes(5));
    assertInstanceOf(Restart.class, p.onExit(KILLED, SHORT_LIFE, s(0)));
    assertInstanceOf(Restart.class, p.onExit(KILLED, SHORT_LIFE, s(10)));
    assertInstanceOf(Restart.class, p.onExit(KILLED, SHORT_LIFE, s(20)));
    assertEquals(new GiveUp(KILLED, 3), p.onExit(KILLED, SHORT_LIFE, s(30)));
  }

  @Test
  void restartsOlderThanTheWindowDoNotCount() {
    RestartPolicy p = RestartPolicy.standard(3, Duration.ofMinutes(5));
    p.onExit(KILLED, SHORT_LIFE, s(0));
    p.onExit(KILLED, SHORT_LIFE, s(100));
    p.onExit(KILLED, SHORT_LIFE, s(200));
    // at 300 s the restart at 0 s has left the window: two in it, so a third is allowed
    assertEquals(new Restart(s(8), 4), p.onExit(KILLED, SHORT_LIFE, s(300)));
    assertEquals(new GiveUp(KILLED, 3), p.onExit(KILLED, SHORT_LIFE, s(399)));
  }

  @Test
  void zeroMaxRestartsGivesUpAtTheFirstDeath() {
    RestartPolicy p = RestartPolicy.standard(0, Duration.ofMinutes(5));
    assertEquals(new GiveUp(KILLED, 0), p.onExit(KILLED, SHORT_LIFE, s(0)));
  }

  @Test
  void aWorkerAskedToStopIsNotRestartedAndTheNannyExitsWithItsCode() {
    RestartPolicy p = RestartPolicy.standard(10, Duration.ofMinutes(5));
    for (int code : new int[] {143, 130, 129}) {
      assertEquals(new Stop(code, ChildExit.Kind.ASKED), p.onExit(code, SHORT_LIFE, s(0)));
    }
  }

  @Test
  void aWorkerThatRefusedToRunIsNotRestartedAndTheNannyExitsWithTheCommandsCode() {
    RestartPolicy p = RestartPolicy.standard(10, Duration.ofMinutes(5));
    assertEquals(new Stop(1, ChildExit.Kind.REFUSED), p.onExit(ChildExit.CHILD_FAILED, SHORT_LIFE, s(0)));
    assertEquals(new Stop(2, ChildExit.Kind.REFUSED), p.onExit(ChildExit.CHILD_USAGE, SHORT_LIFE, s(0)));
  }

  @Test
  void aTaskThatEndsTheJvmWithAnyOtherCodeCostsARestartEvenWithCodeZero() {
    RestartPolicy p = RestartPolicy.standard(2, Duration.ofMinutes(5));
    assertEquals(new Restart(s(1), 1), p.onExit(0, SHORT_LIFE, s(0))); // System.exit(0) in a task
    assertEquals(new Restart(s(2), 2), p.onExit(1, SHORT_LIFE, s(1))); // System.exit(1), an uncaught error
    Decision last = p.onExit(0, SHORT_LIFE, s(2));
    assertEquals(new GiveUp(TasklaneCli.EXIT_FAILURE, 2), last, "giving up is never exit code 0");
  }

  @Test
  void aChildSaysRefusedWithItsOwnCodesSoThatTasksCannotFakeIt() {
    assertEquals(0, ChildExit.forChild(0));
    assertEquals(ChildExit.CHILD_FAILED, ChildExit.forChild(TasklaneCli.EXIT_FAILURE));
    assertEquals(ChildExit.CHILD_USAGE, ChildExit.forChild(TasklaneCli.EXIT_USAGE));
    assertEquals(ChildExit.Kind.DIED, ChildExit.kind(1));
    assertEquals(ChildExit.Kind.DIED, ChildExit.kind(255)); // Pekko's exit on a fatal error (out of memory)
    assertEquals(ChildExit.Kind.DIED, ChildExit.kind(134)); // a JVM crash
  }

  @Test
  void aWorkerPastItsMemoryLineIsRestartedWithBackOff() {
    assertEquals(ChildExit.MEMORY_RESTART, ChildExit.forChild(ChildExit.MEMORY_RESTART), "passed through to the nanny");
    assertEquals(ChildExit.Kind.DIED, ChildExit.kind(ChildExit.MEMORY_RESTART));
    RestartPolicy p = RestartPolicy.standard(3, Duration.ofMinutes(5));
    assertEquals(new Restart(Duration.ofSeconds(1), 1), p.onExit(ChildExit.MEMORY_RESTART, SHORT_LIFE, s(0)));
    assertEquals(" (its memory passed the restart line: --memory-terminate-fraction)",
        ChildExit.describe(ChildExit.MEMORY_RESTART));
  }

  @Test
  void exitCodesAndDurationsAreDescribedForTheRestartLine() {
    assertEquals(" (killed)", ChildExit.describe(137));
    assertEquals(" (SIGTERM)", ChildExit.describe(143));
    assertEquals("", ChildExit.describe(1));
    assertEquals("12.3 s", Nanny.seconds(Duration.ofMillis(12_345)));
    assertEquals("1 s", Nanny.seconds(Duration.ofSeconds(1)));
  }
}
