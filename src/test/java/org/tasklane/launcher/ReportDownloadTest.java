package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** submit --report against a stand-in dashboard (the JDK's HTTP server on loopback): each outcome is one line or a file. */
class ReportDownloadTest {
  @TempDir Path dir;
  private HttpServer server;
  private final List<String> authorizations = new CopyOnWriteArrayList<>();

  private URI serve(String runsJson, int runsStatus, String reportBody) throws IOException {
    AtomicInteger listings = new AtomicInteger();
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/api/v1/runs.json", ex -> {
      authorizations.add(String.valueOf(ex.getRequestHeaders().getFirst("Authorization")));
      // the first listing shows the run still being recorded, as right after the graph's end
      String body = listings.getAndIncrement() == 0 ? runsJson.replace("\"done\"", "\"running\"") : runsJson;
      answer(ex, runsStatus, body);
    });
    server.createContext("/runs/", ex -> {
      boolean known = ex.getRequestURI().getPath().equals("/runs/20261206-100000-000-g1/report.html");
      answer(ex, known ? 200 : 404, known ? reportBody : "{\"error\":\"no run\"}");
    });
    server.start();
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  private static void answer(HttpExchange ex, int status, String body) throws IOException {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.sendResponseHeaders(status, b.length);
    ex.getResponseBody().write(b);
    ex.close();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  private static final String RUNS = "[{\"id\":\"20261206-100000-000-other\",\"graphId\":\"other\",\"state\":\"done\"},"
      + "{\"id\":\"20261206-100000-000-g1\",\"graphId\":\"g1\",\"state\":\"done\"}]";

  @Test
  void savesTheReportOnceTheRunIsRecorded() throws Exception {
    URI base = serve(RUNS, 200, "<!DOCTYPE html><title>r</title>");
    Path file = dir.resolve("run.html");
    Optional<String> failure = new ReportDownload(base, Optional.of("s3cret")).save("g1", file, Duration.ofSeconds(20));
    assertEquals(Optional.empty(), failure);
    assertEquals("<!DOCTYPE html><title>r</title>", Files.readString(file));
    assertTrue(authorizations.size() >= 2, "asked again while the run was being recorded");
    assertEquals("Bearer s3cret", authorizations.get(0));
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no partial file left behind");
    }
  }

  @Test
  void aRunThatNeverAppearsIsOneLineAfterTheTimeout() throws Exception {
    URI base = serve("[]", 200, "");
    Optional<String> failure = new ReportDownload(base, Optional.empty()).save("g1", dir.resolve("x.html"),
        Duration.ofMillis(600));
    assertTrue(failure.isPresent());
    assertTrue(failure.get().contains("has not listed the run yet"), failure.get());
    assertFalse(failure.get().contains("\n"));
    assertFalse(Files.exists(dir.resolve("x.html")));
  }

  @Test
  void aDashboardWithoutHistoryOrWithoutTheTokenIsOneLine() throws Exception {
    URI base = serve(RUNS, 404, "");
    assertTrue(new ReportDownload(base, Optional.empty()).save("g1", dir.resolve("x.html"), Duration.ofSeconds(5))
        .orElseThrow().contains("has no run history"));
    server.stop(0);
    base = serve(RUNS, 401, "");
    assertTrue(new ReportDownload(base, Optional.empty()).save("g1", dir.resolve("x.html"), Duration.ofSeconds(5))
        .orElseThrow().contains("asks for a token"));
  }

  @Test
  void anUnreachableDashboardIsOneLine() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    String failure = new ReportDownload(URI.create("http://127.0.0.1:" + port + "/"), Optional.empty())
        .save("g1", dir.resolve("x.html"), Duration.ofSeconds(5)).orElseThrow();
    assertTrue(failure.startsWith("cannot reach the dashboard at http://127.0.0.1:" + port + "/"), failure);
  }
}
