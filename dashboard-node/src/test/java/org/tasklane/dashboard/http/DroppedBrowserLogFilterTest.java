package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.spi.FilterReply;
import org.junit.jupiter.api.Test;

class DroppedBrowserLogFilterTest {
  private final LoggerContext context = new LoggerContext();
  private final DroppedBrowserLogFilter filter = new DroppedBrowserLogFilter();
  private static final String FORMAT = "Response stream for [GET /events] failed with 'x'. Aborting connection.";

  @Test
  void pekkoHttpsErrorForADroppedBrowserIsDropped() {
    EventRoutes.ClientDropped dropped = new EventRoutes.ClientDropped("a browser took no data for 20 s");
    assertEquals(FilterReply.DENY, filter.decide(null, context.getLogger("org.apache.pekko.actor.ActorSystemImpl"),
        Level.ERROR, FORMAT, null, dropped));
    assertEquals(FilterReply.DENY, filter.decide(null, context.getLogger("org.apache.pekko.actor.ActorSystemImpl"),
        Level.ERROR, FORMAT, null, new RuntimeException("wrapped", dropped)));
  }

  @Test
  void everythingElseIsLoggedAsAlways() {
    assertEquals(FilterReply.NEUTRAL, filter.decide(null, context.getLogger("org.apache.pekko.actor.ActorSystemImpl"),
        Level.ERROR, FORMAT, null, new IllegalStateException("a real failure")));
    assertEquals(FilterReply.NEUTRAL, filter.decide(null, context.getLogger("org.tasklane.dashboard.Dashboard"),
        Level.ERROR, "ours", null, new EventRoutes.ClientDropped("x")));
    assertEquals(FilterReply.NEUTRAL, filter.decide(null, context.getLogger("org.apache.pekko.actor.ActorSystemImpl"),
        Level.WARN, FORMAT, null, new EventRoutes.ClientDropped("x")));
  }
}
