package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Starting a dashboard inside a running node, or as its own node, and the one-line bind error. */
class DashboardMainTest {
  static final Config config = ConfigFactory.load("application-test");
  static final ActorTestKit testKit = ActorTestKit.create("DashboardMainTest", config);
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static String health(InetSocketAddress a) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + a.getPort() + "/health"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
  }

  static Config onPort(int port) {
    return ConfigFactory.parseMap(Map.of("tasklane.dashboard.port", port)).withFallback(config);
  }

  @Test
  void startInRunsTheDashboardInsideARunningNode() throws Exception {
    InetSocketAddress a = DashboardMain.startIn(testKit.system(), Duration.ofSeconds(20));
    assertTrue(a.getPort() > 0);
    assertEquals("ok", health(a));
  }

  @Test
  void startInSaysInOneLineThatThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
      int port = taken.getLocalPort();
      ActorTestKit other = ActorTestKit.create("DashboardMainTestTaken", onPort(port));
      try {
        IllegalStateException e = assertThrows(IllegalStateException.class,
            () -> DashboardMain.startIn(other.system(), Duration.ofSeconds(20)));
        assertEquals("the dashboard could not listen on port " + port + ": Address already in use; "
            + "choose another with --dashboard-port or use --no-dashboard", e.getMessage());
      } finally {
        other.shutdownTestKit();
      }
    }
  }

  @Test
  void startRunsADashboardNodeOrSaysWhyNot() throws Exception {
    DashboardMain.Started started = DashboardMain.start(config, Duration.ofSeconds(20));
    try {
      assertEquals("ok", health(started.address()));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> DashboardMain.start(onPort(started.address().getPort()), Duration.ofSeconds(20)));
      assertEquals("the dashboard could not listen on port " + started.address().getPort()
          + ": Address already in use; choose another with --dashboard-port", e.getMessage());
    } finally {
      started.system().terminate();
      started.system().getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    }
  }
}
