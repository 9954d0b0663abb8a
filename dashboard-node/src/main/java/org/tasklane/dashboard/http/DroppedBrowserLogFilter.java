package org.tasklane.dashboard.http;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Pekko HTTP's ERROR "Response stream for [GET /events] failed ... Aborting connection" (and
 * its exception line) when the failure is a browser the dashboard dropped on purpose
 * ({@link EventRoutes.ClientDropped}): that is the design at work, and {@link EventRoutes} logs it
 * in one INFO line itself. A stream that fails for any other reason is logged as always.
 * Installed in the launcher's {@code logback.xml}.
 */
public final class DroppedBrowserLogFilter extends TurboFilter {
  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (level != Level.ERROR || logger == null || !logger.getName().startsWith("org.apache.pekko.")) {
      return FilterReply.NEUTRAL;
    }
    Throwable cause = t;
    if (cause == null && params != null && params.length > 0 && params[params.length - 1] instanceof Throwable last) {
      cause = last;
    }
    for (Throwable c = cause; c != null; c = c.getCause()) {
      if (c instanceof EventRoutes.ClientDropped) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
