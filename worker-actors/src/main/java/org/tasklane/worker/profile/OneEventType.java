package org.tasklane.worker.profile;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;

/**
 * Keeps a recording to one event type. Flight Recorder turns on every Java-level event type that a
 * recording's settings do not name (an event class is enabled unless it says
 * {@code @Enabled(false)}), so a bare {@code RecordingStream} also records the events of Pekko, of
 * libraries and of users' functions: written on their threads' time, and parsed by the stream. This
 * turns off every other event type registered in this JVM: at the start, and, for types registered
 * since (their classes load later), at each later call. One thread calls it (the stream's).
 */
final class OneEventType {
  private final String kept;
  /** The types turned off so far: at most one entry per event type registered in this JVM. */
  private final Set<String> off = new HashSet<>();
  private int registered = -1;

  OneEventType(String kept) {
    this.kept = kept;
  }

  /**
   * Turns off, through {@code disable}, each event type registered since the last call, other than
   * the one kept; returns how many. Cheap when nothing new was registered (one listing, ~15 us).
   */
  int disableOthers(Consumer<String> disable) {
    List<EventType> types = FlightRecorder.getFlightRecorder().getEventTypes();
    if (types.size() == registered) {
      return 0;
    }
    registered = types.size();
    int n = 0;
    for (EventType t : types) {
      if (!t.getName().equals(kept) && off.add(t.getName())) {
        disable.accept(t.getName());
        n++;
      }
    }
    return n;
  }
}
