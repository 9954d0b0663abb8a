package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tasklane.client.TasklaneClient;

/** The README's first command: `bin/tasklane local --demo` keeps work flowing and stops everything on SIGTERM. */
class LocalCommandSystemTest {

  @Test
  void localDemoRunsWorkAndSigtermStopsEveryProcessItStarted() throws Exception {
    int port = LocalCluster.freePort();
    int apiPort = LocalCluster.freePort();
    int dashboardPort = LocalCluster.freePort();
    Path logs = Path.of(LocalCluster.home(), "launcher", "target", "system-logs", "local-command");
    Files.createDirectories(logs);
    ProcessBuilder pb = new ProcessBuilder(Path.of(LocalCluster.home(), "bin", "tasklane").toString(), "local",
        "--demo", "--port", "" + port, "--api-port", "" + apiPort, "--dashboard-port", "" + dashboardPort,
        "--worker-metrics-port", "0")
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve("local.log").toFile());
    pb.environment().put("TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS);
    Process local = pb.start();
    try {
      TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"));
      LocalCluster.await(Duration.ofSeconds(120), "two workers registered", () -> {
        try {
          return client.workers().size() == 2;
        } catch (RuntimeException e) {
          return false;
        }
      });
      // the demo keeps submitting: tasks keep completing (each round has 109 tasks)
      LocalCluster.await(Duration.ofSeconds(120), "two demo rounds' worth of tasks completed", () -> {
        long done = 0;
        for (var w : client.workers()) {
          done += w.at("/figures/tasks/completed").asLong();
        }
        return done > 220;
      });
      // each worker serves /metrics on a port of its own (here any free one) and says where
      java.util.Set<String> urls = new java.util.TreeSet<>();
      java.util.regex.Pattern line = java.util.regex.Pattern.compile("Worker metrics at: (http://127\\.0\\.0\\.1:\\d+/metrics)");
      LocalCluster.await(Duration.ofSeconds(30), "both workers' 'Worker metrics at' lines", () -> {
        try {
          java.util.regex.Matcher m = line.matcher(Files.readString(logs.resolve("local.log")));
          while (m.find()) {
            urls.add(m.group(1));
          }
        } catch (java.io.IOException e) {
          return false;
        }
        return urls.size() == 2;
      });
      for (String url : urls) {
        String text = java.net.http.HttpClient.newHttpClient().send(
            java.net.http.HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
            java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(text.contains("\ntasklane_worker_info{"), url + ": " + text);
        assertTrue(text.contains("\ntasklane_worker_task_duration_seconds_count{"), "the demo's tasks were timed: " + text);
      }
      List<ProcessHandle> children = local.descendants().toList();
      assertTrue(children.size() >= 3, "a scheduler and two workers, each its own process: " + children);

      local.destroy(); // SIGTERM, as Ctrl-C would
      assertTrue(local.waitFor(60, TimeUnit.SECONDS), "local exits after SIGTERM");
      for (ProcessHandle child : children) {
        LocalCluster.await(Duration.ofSeconds(30), "child " + child.pid() + " stopped", () -> !child.isAlive());
      }
    } finally {
      local.descendants().forEach(ProcessHandle::destroyForcibly);
      local.destroyForcibly();
      local.waitFor(30, TimeUnit.SECONDS);
    }
  }
}
