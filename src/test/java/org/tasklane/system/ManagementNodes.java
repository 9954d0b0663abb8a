package org.tasklane.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Nodes started with {@code bin/tasklane} on this host, each logging to its own file, and what their
 * Pekko Management health checks answer. {@link #close} stops them all (SIGTERM, then SIGKILL).
 */
public final class ManagementNodes implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final Path logs;
  private final Map<String, Process> processes = new LinkedHashMap<>();

  public ManagementNodes(String logFolder) throws IOException {
    this.logs = Path.of(LocalCluster.home(), "launcher", "target", "system-logs", logFolder);
    Files.createDirectories(logs);
  }

  /** Starts {@code bin/tasklane ARGS...} as node {@code name} (its log: NAME.log). */
  public Process start(String name, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(LocalCluster.home(), "bin", "tasklane").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
    pb.environment().put("TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS);
    Process p = pb.start();
    processes.put(name, p);
    return p;
  }

  /** Kills a node at once (SIGKILL), as a crash would, and waits until it is gone. */
  public void kill(String name) throws InterruptedException {
    Process p = processes.get(name);
    p.destroyForcibly();
    p.waitFor(30, TimeUnit.SECONDS);
  }

  public Path log(String name) {
    return logs.resolve(name + ".log");
  }

  /** An HTTP GET's status and body; status 0 if nothing answers (not listening, or no answer in 10 s). */
  public record Answer(int status, String body) {}

  public static Answer get(String url) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Answer(r.statusCode(), r.body());
    } catch (IOException e) {
      return new Answer(0, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Answer(0, "interrupted");
    }
  }

  @Override
  public void close() {
    List<Process> all = new ArrayList<>(processes.values());
    for (int i = all.size() - 1; i >= 0; i--) {
      all.get(i).destroy();
    }
    for (Process p : all) {
      try {
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          p.waitFor(10, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        p.destroyForcibly();
      }
    }
  }
}
