package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.io.Inet;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.DashboardSettings;

/** How the dashboard's server treats browsers' connections: small send buffers, a stall timeout, the files limit. */
class HttpServerTest {

  @Test
  void eachConnectionGetsTheConfiguredSendBuffer() {
    ServerSettings base = ServerSettings.create(ConfigFactory.load());
    List<Inet.SocketOption> options = new ArrayList<>();
    HttpServer.withSendBuffer(base, 32 * 1024).getSocketOptions().forEach(options::add);
    assertTrue(options.toString().contains("SendBufferSize(32768)"), options.toString());
    assertSame(base, HttpServer.withSendBuffer(base, 0), "0 leaves it to the operating system");
  }

  @Test
  void fewOpenFilesAreWarnedAboutInOneLine() {
    String warning = HttpServer.fileLimitWarning(1024);
    assertNotNull(warning);
    assertTrue(warning.contains("1024 open files (ulimit -n)") && warning.contains("ulimit -n 16384"), warning);
    assertFalse(warning.contains("\n"));
    assertNull(HttpServer.fileLimitWarning(65536));
    assertNull(HttpServer.fileLimitWarning(-1), "unknown: nothing to say");
  }

  @Test
  void theStallTimeoutAndSendBufferComeFromTheConfiguration() {
    DashboardSettings defaults = DashboardSettings.fromConfig(ConfigFactory.load());
    assertEquals(Duration.ofSeconds(20), defaults.clientStallTimeout());
    assertEquals(32 * 1024, defaults.socketSendBuffer());
    DashboardSettings set = DashboardSettings.fromConfig(ConfigFactory.parseString(
        "tasklane.dashboard { client-stall-timeout = 3s, socket-send-buffer = 0 }").withFallback(ConfigFactory.load()));
    assertEquals(Duration.ofSeconds(3), set.clientStallTimeout());
    assertEquals(0, set.socketSendBuffer());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DashboardSettings.fromConfig(
        ConfigFactory.parseString("tasklane.dashboard.client-stall-timeout = 0s").withFallback(ConfigFactory.load())));
    assertTrue(e.getMessage().contains("client-stall-timeout"), e.getMessage());
  }
}
