package org.tasklane.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import jdk.jfr.Event;
import jdk.jfr.FlightRecorder;
import jdk.jfr.Name;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * A recording kept to one event type records no other, not even event classes that are on by
 * default, whether they were registered before it started or after.
 */
class OneEventTypeTest {
  @Name("tasklane.test.Noise")
  static final class Noise extends Event {}

  @Name("tasklane.test.LateNoise")
  static final class LateNoise extends Event {}

  /** The one type the recording keeps here (its stand-in for jdk.ExecutionSample). */
  @Name("tasklane.test.Marker")
  static final class Marker extends Event {}

  @Test
  void everyOtherEventTypeIsOffIncludingTypesRegisteredLater() throws Exception {
    FlightRecorder.register(Noise.class);
    FlightRecorder.register(Marker.class);
    OneEventType one = new OneEventType("tasklane.test.Marker");
    AtomicInteger noise = new AtomicInteger();
    CountDownLatch firstMarker = new CountDownLatch(1);
    CountDownLatch secondMarker = new CountDownLatch(2);
    try (RecordingStream s = new RecordingStream()) {
      assertTrue(one.disableOthers(s::disable) >= 1, "at least the noise type is turned off");
      s.enable("tasklane.test.Marker");
      s.onEvent("tasklane.test.Noise", e -> noise.incrementAndGet());
      s.onEvent("tasklane.test.LateNoise", e -> noise.incrementAndGet());
      s.onEvent("tasklane.test.Marker", e -> {
        firstMarker.countDown();
        secondMarker.countDown();
      });
      s.startAsync();
      new Noise().commit(); // before the marker, on this thread: delivered before it if it were on
      new Marker().commit();
      assertTrue(firstMarker.await(30, TimeUnit.SECONDS), "the kept type is recorded");

      FlightRecorder.register(LateNoise.class); // on by default, registered after the start
      assertEquals(1, one.disableOthers(s::disable));
      assertEquals(0, one.disableOthers(s::disable), "nothing new since");
      new LateNoise().commit();
      new Marker().commit();
      assertTrue(secondMarker.await(30, TimeUnit.SECONDS), "the kept type is still recorded");
    } finally {
      FlightRecorder.unregister(Noise.class);
      FlightRecorder.unregister(LateNoise.class);
      FlightRecorder.unregister(Marker.class);
    }
    assertEquals(0, noise.get(), "no event of another type was recorded");
  }

  @Test
  void withoutItAnEventClassIsRecordedByDefault() throws Exception {
    // the reason for OneEventType: a bare stream records a Java event type no setting names
    FlightRecorder.register(Noise.class);
    CountDownLatch seen = new CountDownLatch(1);
    try (RecordingStream s = new RecordingStream()) {
      s.onEvent("tasklane.test.Noise", e -> seen.countDown());
      s.startAsync();
      new Noise().commit();
      assertTrue(seen.await(30, TimeUnit.SECONDS), "a default-on type is recorded by a bare stream");
    } finally {
      FlightRecorder.unregister(Noise.class);
    }
  }
}
