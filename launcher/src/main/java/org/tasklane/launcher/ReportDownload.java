package org.tasklane.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Optional;

/**
 * {@code submit --report FILE}: once a graph has finished, finds its run in the dashboard's history
 * ({@code api/v1/runs.json}, by graph id), waits until the run's end is recorded (it arrives a
 * moment after the graph's), and saves {@code runs/ID/report.html} to the file. Every way this can
 * fail is one line, returned, never thrown: the graph's own result and exit code do not depend on it.
 */
final class ReportDownload {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final URI dashboard;
  private final Optional<String> token;
  private final HttpClient http;

  /** @param dashboard the dashboard's base URL, ending in "/" */
  ReportDownload(URI dashboard, Optional<String> token) {
    this(dashboard, token, null);
  }

  /** As {@link #ReportDownload(URI, Optional)}, trusting the HTTPS certificates {@code tls} trusts (null: the JDK's). */
  ReportDownload(URI dashboard, Optional<String> token, javax.net.ssl.SSLContext tls) {
    this.dashboard = dashboard;
    this.token = token;
    HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    this.http = (tls == null ? b : b.sslContext(tls)).build();
  }

  /** Saves the report of graph {@code graphId} to {@code file}; empty on success, else one line saying why not. */
  Optional<String> save(String graphId, Path file, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      String runId = null;
      String last = "the dashboard has not listed the run yet";
      while (runId == null) {
        HttpResponse<String> list = get("api/v1/runs.json", HttpResponse.BodyHandlers.ofString());
        if (list.statusCode() == 401) {
          return Optional.of("the dashboard at " + dashboard + " asks for a token: pass its auth file with --auth-file");
        }
        if (list.statusCode() == 404) {
          return Optional.of("the dashboard at " + dashboard + " has no run history (is it an older version?)");
        }
        if (list.statusCode() != 200) {
          return Optional.of("the dashboard at " + dashboard + " answered api/v1/runs.json with HTTP " + list.statusCode());
        }
        for (JsonNode run : JSON.readTree(list.body())) {
          if (graphId.equals(run.path("graphId").asText())) {
            if (!"running".equals(run.path("state").asText())) {
              runId = run.path("id").asText();
            } else {
              last = "the dashboard is still recording the run";
            }
          }
        }
        if (runId == null) {
          if (System.nanoTime() - deadline > 0) {
            return Optional.of(last + " after " + timeout.toSeconds() + " s (is its history on? it is off with "
                + "--no-history)");
          }
          Thread.sleep(200); // polling a remote listing: nothing to wait on locally
        }
      }
      Path parent = file.toAbsolutePath().getParent();
      Path partial = Files.createTempFile(parent, ".report-", ".html.part");
      try {
        HttpResponse<Path> r = get("runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8) + "/report.html",
            HttpResponse.BodyHandlers.ofFile(partial));
        if (r.statusCode() != 200) {
          return Optional.of("the dashboard at " + dashboard + " answered runs/" + runId + "/report.html with HTTP "
              + r.statusCode() + ": " + oneLine(Files.readString(partial)));
        }
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING);
      } finally {
        Files.deleteIfExists(partial);
      }
      return Optional.empty();
    } catch (java.net.ConnectException e) {
      return Optional.of("cannot reach the dashboard at " + dashboard + " (give its address with --dashboard URL)");
    } catch (IOException e) {
      return Optional.of("cannot get the report from " + dashboard + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted while waiting for the report");
    }
  }

  private <T> HttpResponse<T> get(String path, HttpResponse.BodyHandler<T> body) throws IOException, InterruptedException {
    HttpRequest.Builder b = HttpRequest.newBuilder(dashboard.resolve(path)).timeout(Duration.ofMinutes(5));
    token.ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return http.send(b.build(), body);
  }

  private static String oneLine(String s) {
    String t = s.strip().replaceAll("\\s+", " ");
    return t.length() > 200 ? t.substring(0, 200) + "…" : t;
  }
}
