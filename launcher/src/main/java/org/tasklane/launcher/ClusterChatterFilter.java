package org.tasklane.launcher;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.helpers.MessageFormatter;

/**
 * Keeps Pekko's play-by-play of a peer's death out of a worker's or dashboard's log: when the
 * scheduler (or another node) dies, such a node would otherwise print a dozen warnings (unreachable,
 * the cluster downing it, quarantines, failed associations, compression tables of the
 * old incarnation) before {@link NodeRunner} says what happened in one line. The scheduler's log
 * keeps all of them: it is where the cluster's own account belongs. Anything not listed here (an
 * overflowing send queue, a serialization error, ...) is logged as always.
 *
 * <p>Installed in {@code logback.xml}; it filters only once {@link #quiet()} was called, which
 * {@link NodeRunner#runRejoining} does.
 */
public final class ClusterChatterFilter extends TurboFilter {
  private static volatile boolean quiet;

  /** A logger (by its name's start) and a phrase its dropped warnings contain. */
  private record Chatter(String logger, String phrase) {}

  private static final List<Chatter> CHATTER = List.of(
      // reachability of peers: the scheduler logs it, and acts on it
      new Chatter("org.apache.pekko.cluster.Cluster", "Marking node as UNREACHABLE"),
      new Chatter("org.apache.pekko.cluster.Cluster", "Marking node as REACHABLE"),
      new Chatter("org.apache.pekko.cluster.Cluster", "Received gossip where this member has been downed"),
      new Chatter("org.apache.pekko.cluster.Cluster", "Couldn't join seed nodes"),
      // consequences of a peer that died or was removed
      new Chatter("org.apache.pekko.remote.artery.ArteryTransport", "quarantined this node"),
      new Chatter("org.apache.pekko.remote.artery.Association", "is irrecoverably failed"),
      new Chatter("org.apache.pekko.remote.artery.Association", "HandshakeTimeoutException"),
      new Chatter("org.apache.pekko.remote.artery.Association", "Connection refused"),
      // messages of a previous incarnation of a peer that arrive after it came back
      new Chatter("org.apache.pekko.remote.artery.compress.Inbound", "unknown compression table version"));

  /** From now on, this process drops the warnings above. */
  static void quiet() {
    quiet = true;
  }

  @Override
  public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
    if (!quiet || logger == null || format == null || level != Level.WARN
        || !logger.getName().startsWith("org.apache.pekko.")) {
      return FilterReply.NEUTRAL;
    }
    String name = logger.getName();
    String text = params == null || params.length == 0 ? format : MessageFormatter.arrayFormat(format, params).getMessage();
    String cause = t == null ? "" : t.toString();
    for (Chatter c : CHATTER) {
      if (name.startsWith(c.logger()) && (text.contains(c.phrase()) || cause.contains(c.phrase()))) {
        return FilterReply.DENY;
      }
    }
    return FilterReply.NEUTRAL;
  }
}
