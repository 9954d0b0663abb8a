package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import org.apache.pekko.actor.Address;
import org.junit.jupiter.api.Test;

class WorkerSettingsTest {

  @Test
  void defaultsFromReferenceConf() {
    WorkerSettings s = WorkerSettings.fromConfig(ConfigFactory.defaultReference());
    assertEquals("", s.name());
    assertEquals("", s.host());
    assertEquals("", s.address());
    assertEquals(Runtime.getRuntime().availableProcessors(), s.nthreads());
    assertEquals(Duration.ofSeconds(30), s.fetchTimeout());
    assertEquals(32L * 1024 * 1024, s.maxResultBytes());
  }

  @Test
  void overrides() {
    WorkerSettings s = WorkerSettings.fromConfig(ConfigFactory.parseString(
            "tasklane.worker { name = w1, host = h, address = \"h:1\", nthreads = 3, fetch-timeout = 250ms, max-result-bytes = 1KiB }")
        .withFallback(ConfigFactory.defaultReference()));
    assertEquals(new WorkerSettings("w1", "h", "h:1", 3, Duration.ofMillis(250), 1024), s);
  }

  @Test
  void emptyIdentityIsFilledFromTheSystemAddress() {
    WorkerSettings s = new WorkerSettings("", "", "", 2, Duration.ofSeconds(1), 10);
    WorkerSettings remote = s.withDefaultsFrom(new Address("pekko", "Tasklane", "10.0.0.1", 2552));
    assertEquals("10.0.0.1:2552", remote.name());
    assertEquals("10.0.0.1", remote.host());
    assertEquals("10.0.0.1:2552", remote.address());

    WorkerSettings local = s.withDefaultsFrom(new Address("pekko", "Tasklane"));
    assertEquals("Tasklane", local.name());

    WorkerSettings named = s.withIdentity("alice", "", "").withDefaultsFrom(new Address("pekko", "T", "h", 1));
    assertEquals("alice", named.name());
    assertEquals("h:1", named.address());
  }

  @Test
  void invalidValuesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("", "", "", 0, Duration.ofSeconds(1), 1));
    assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("", "", "", 1, Duration.ZERO, 1));
    assertThrows(IllegalArgumentException.class, () -> new WorkerSettings("", "", "", 1, Duration.ofSeconds(1), 0));
  }
}
