package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's own settings ({@code tasklane-scheduler.conf}) over {@code tasklane-node.conf}:
 * smaller large-message buffers than the workers', which send results up to max-result-bytes.
 */
class RoleConfigTest {
  static final String FRAME = "pekko.remote.artery.advanced.maximum-large-frame-size";
  static final String POOL = "pekko.remote.artery.advanced.large-buffer-pool-size";

  @Test
  void theSchedulerSendsSmallerLargeFramesThanWorkers() {
    Config scheduler = new NodeConfig("scheduler", "127.0.0.1", 17355, null).build();
    Config worker = new NodeConfig("worker", "127.0.0.1", 0, null).seed("127.0.0.1", 17355).build();
    assertEquals(4L << 20, scheduler.getBytes(FRAME));
    // what the scheduler sends on the large lane in pieces fits with room to spare
    assertTrue(scheduler.getBytes(FRAME) >= 2L * org.tasklane.protocol.CodeProtocol.MAX_CHUNK_BYTES);
    assertTrue(scheduler.getBytes(FRAME) >= 2L * org.tasklane.protocol.SnapshotPieces.PIECE_BYTES);
    assertEquals(4, scheduler.getInt(POOL));
    assertEquals(40L << 20, worker.getBytes(FRAME));
    assertEquals(16, worker.getInt(POOL));
    // a worker's largest result fits in its own frames (the scheduler only receives them)
    assertTrue(worker.getBytes("tasklane.worker.max-result-bytes") < worker.getBytes(FRAME));
    // the rest of tasklane-node.conf still applies to the scheduler
    assertEquals(1, scheduler.getInt("pekko.remote.artery.advanced.inbound-lanes"));
  }

  @Test
  void aConfigFileLiesOverTheSchedulersOwnSettings() throws Exception {
    Path conf = Files.createTempFile("scheduler", ".conf");
    try {
      Files.writeString(conf, FRAME + " = 40MiB\n");
      Config c = new NodeConfig("scheduler", "127.0.0.1", 17355, null).file(conf.toFile()).build();
      assertEquals(40L << 20, c.getBytes(FRAME));
    } finally {
      Files.delete(conf);
    }
  }
}
