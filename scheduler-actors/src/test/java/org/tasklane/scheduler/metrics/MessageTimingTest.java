package org.tasklane.scheduler.metrics;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import org.tasklane.protocol.SchedulerProtocol;

/** The interceptor's label for a message type: its simple name (timings themselves: SchedulerMetricsTest). */
class MessageTimingTest {
  private enum Plain implements SchedulerProtocol.Command { INSTANCE }

  @Test
  void aMessageIsNamedByItsSimpleClassName() {
    MessageTiming timing = new MessageTiming(new SchedulerMetrics());
    assertEquals("Plain", timing.nameOf(Plain.INSTANCE));
    assertEquals("MailboxProbe", timing.nameOf(new MessageTiming.MailboxProbe(0)));
  }
}
