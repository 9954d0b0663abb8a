package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The stamps of applied messages and the times of answers: a replay at an answer's time has exactly what it had. */
class RecordClockTest {
  long wall = 1000;
  final RecordClock clock = new RecordClock(() -> wall);

  @Test
  void aStampAfterAnAnswerInTheSameMillisecondIsAfterIt() {
    assertEquals(1000, clock.stamp());
    assertEquals(1000, clock.stamp(), "messages in one millisecond share it");
    assertEquals(1000, clock.read(), "the answer holds both: they are at or before it");
    assertEquals(1001, clock.stamp(), "the next message is not in that answer: it is after it");
    assertEquals(1001, clock.read());
    wall = 1005;
    assertEquals(1005, clock.stamp(), "the wall clock again once it is ahead");
  }

  @Test
  void neitherGoesBackWhenTheWallClockDoes() {
    wall = 2000;
    assertEquals(2000, clock.stamp());
    wall = 1500;
    assertEquals(2000, clock.stamp());
    assertEquals(2000, clock.read());
    assertEquals(2001, clock.stamp());
    wall = 1000;
    assertEquals(2001, clock.read(), "an answer is at or after every stamp");
    assertEquals(2001, clock.read());
  }
}
