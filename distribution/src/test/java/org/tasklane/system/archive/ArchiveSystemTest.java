package org.tasklane.system.archive;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.system.LocalCluster;

/**
 * The release archive, unpacked into an empty folder and run with no Maven on the PATH and no
 * source tree: every command's help, and {@code local} running a graph to the right answer with
 * the settings of its {@code conf/}.
 */
class ArchiveSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static UnpackedArchive unpacked;

  @BeforeAll
  static void unpack() throws Exception {
    unpacked = UnpackedArchive.unpack("archive");
  }

  @AfterAll
  static void deleteIt() throws Exception {
    if (unpacked != null) {
      UnpackedArchive.delete(unpacked.parent);
    }
  }

  @Test
  void theArchiveHasItsLayoutWithFixedTimes() throws Exception {
    Path home = unpacked.home;
    assertTrue(Files.isExecutable(unpacked.launcher()), "bin/tasklane is executable");
    for (String f : List.of("README.md", "conf/tasklane-node.conf", "conf/logback.xml",
        "deploy/systemd/tasklane-scheduler.service", "deploy/systemd/tasklane-worker@.service",
        "deploy/systemd/tasklane-dashboard.service", "deploy/systemd/tasklane.env",
        "deploy/prometheus/prometheus.yml", "deploy/grafana/tasklane.json", "deploy/kubernetes/workers.yaml",
        "deploy/kubernetes/scheduler.yaml", "deploy/container/Containerfile", "deploy/container/base.packages")) {
      assertTrue(Files.isRegularFile(home.resolve(f)), f);
    }
    for (String f : List.of("deploy/container/build-image", "deploy/container/tasklane-entrypoint",
        "deploy/container/tasklane-healthcheck")) {
      assertTrue(Files.isExecutable(home.resolve(f)), f + " is executable");
    }
    List<String> jars;
    try (var lib = Files.list(home.resolve("lib"))) {
      jars = lib.map(p -> p.getFileName().toString()).sorted().toList();
    }
    for (String module : List.of("launcher-", "scheduler-actors-", "worker-actors-", "dashboard-node-", "protocol-",
        "tasklane-client-", "pekko-cluster-typed_2.13-", "logback-classic-")) {
      assertTrue(jars.stream().anyMatch(j -> j.startsWith(module) && j.endsWith(".jar")), module + " in lib/: " + jars);
    }
    assertTrue(jars.stream().allMatch(j -> j.endsWith(".jar")), "lib/ holds jars only: " + jars);
    assertFalse(jars.stream().anyMatch(j -> j.contains("junit") || j.contains("playwright") || j.contains("-tests")),
        "no test jars in lib/: " + jars);
    // project.build.outputTimestamp: every entry has the same time, so two builds list the same files and times
    assertEquals(Instant.parse("2026-01-01T00:00:00Z"), Files.getLastModifiedTime(unpacked.launcher()).toInstant());
    assertFalse(Files.exists(home.resolve("pom.xml")), "no source tree in the archive");
  }

  @Test
  void everyCommandHasHelpWithoutMaven() throws Exception {
    UnpackedArchive.Result mvn = UnpackedArchive.run(unpacked.parent, List.of("bash", "-c", "command -v mvn || echo none"),
        unpacked.env());
    assertEquals("none", mvn.output().strip(), "the test's PATH has no mvn");

    UnpackedArchive.Result version = tasklane("--version");
    assertEquals(0, version.code(), version.output());
    assertTrue(version.output().strip().matches("tasklane \\d+\\.\\d+\\.\\d+.*"), version.output());

    List<String> checked = new ArrayList<>();
    helpOf(List.of(), checked);
    assertTrue(checked.containsAll(List.of("local", "scheduler", "worker", "dashboard", "history", "submit",
        "cluster", "cluster up", "cluster down", "cluster status")), "checked: " + checked);
  }

  /** Runs {@code tasklane COMMAND --help}, then does the same for each subcommand it lists. */
  private static void helpOf(List<String> command, List<String> checked) throws Exception {
    List<String> args = new ArrayList<>(command);
    args.add("--help");
    UnpackedArchive.Result help = tasklane(args.toArray(String[]::new));
    String name = String.join(" ", command);
    assertEquals(0, help.code(), name + " --help: " + help.output());
    assertTrue(help.output().startsWith("Usage: tasklane" + (command.isEmpty() ? "" : " " + name)), help.output());
    if (!command.isEmpty()) {
      checked.add(name);
    }
    boolean inCommands = false;
    for (String line : help.output().lines().toList()) {
      if (line.equals("Commands:")) {
        inCommands = true;
      } else if (inCommands && line.matches("  [a-z][a-z-]*( .*)?")) {
        String sub = line.trim().split("\\s+")[0];
        if (!sub.equals("help")) {
          List<String> next = new ArrayList<>(command);
          next.add(sub);
          helpOf(next, checked);
        }
      }
    }
  }

  @Test
  void localRunsAGraphToTheRightAnswerWithItsConf() throws Exception {
    // conf/ is the archive's: a setting there reaches every node
    Path conf = unpacked.home.resolve("conf/tasklane-node.conf");
    Files.writeString(conf, Files.readString(conf) + "\ntasklane.worker.memory-limit = 123MiB\n");
    int port = LocalCluster.freePort();
    int apiPort = LocalCluster.freePort();
    int dashboardPort = LocalCluster.freePort();
    Path log = unpacked.parent.resolve("local.log");
    ProcessBuilder pb = new ProcessBuilder(unpacked.launcher().toString(), "local", "--workers", "2",
        "--port", "" + port, "--api-port", "" + apiPort, "--dashboard-port", "" + dashboardPort)
        .directory(unpacked.parent.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(unpacked.env());
    Process local = pb.start();
    try {
      HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
      // five JVMs (local, scheduler, two nannies and their workers) on a busy 2-core machine
      try {
        LocalCluster.await(Duration.ofSeconds(180), "two workers registered", () -> {
          assertTrue(local.isAlive(), () -> "local exited: " + read(log));
          String body = get(http, "http://127.0.0.1:" + apiPort + "/api/v1/workers");
          return body != null && body.startsWith("[") && readTree(body).size() == 2;
        });
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; local's output:\n" + read(log), e);
      }

      UnpackedArchive.Result submit = tasklane("submit", "demo:tree:200", "--scheduler", "127.0.0.1:" + apiPort, "--wait",
          "--timeout", "2m");
      assertEquals(0, submit.code(), submit.output());
      String json = submit.output().substring(submit.output().indexOf('{'));
      assertEquals(DemoGraphs.treeSum(200), JSON.readTree(json).get("results").get("total").asLong(), submit.output());

      LocalCluster.await(Duration.ofSeconds(60), "the workers' memory limit from conf/ on the dashboard", () -> {
        String body = get(http, "http://127.0.0.1:" + dashboardPort + "/api/v1/workers.json");
        return body != null && body.contains("" + 123L * 1024 * 1024);
      });
      String output = read(log);
      assertFalse(output.contains("occurs multiple times"), "logback finds one configuration: " + output);
    } finally {
      List<ProcessHandle> children = local.descendants().toList();
      local.destroy(); // SIGTERM, as Ctrl-C: it stops every process it started
      if (!local.waitFor(60, TimeUnit.SECONDS)) {
        local.destroyForcibly();
        children.forEach(ProcessHandle::destroyForcibly);
        fail("local did not stop in 60 s on SIGTERM: " + read(log));
      }
      for (ProcessHandle child : children) {
        child.onExit().get(30, TimeUnit.SECONDS);
      }
    }
  }

  private static UnpackedArchive.Result tasklane(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(unpacked.launcher().toString()));
    cmd.addAll(List.of(args));
    return UnpackedArchive.run(unpacked.parent, cmd, unpacked.env());
  }

  private static String get(HttpClient http, String url) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
          HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String body) {
    try {
      return JSON.readTree(body);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  private static String read(Path log) {
    try {
      return Files.readString(log);
    } catch (java.io.IOException e) {
      return "(cannot read " + log + ": " + e.getMessage() + ")";
    }
  }
}
