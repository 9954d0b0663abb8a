package org.tasklane.system.image;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.system.LocalCluster;

/**
 * The container image: {@code deploy/container/build-image} builds it from this build's release
 * archive (reusing the Debian base, and the image itself when built from the same archive), then a
 * scheduler and two worker containers on the host's network, loopback and ephemeral ports, run a
 * graph submitted from the host with the Java client. Their health checks go healthy, every process
 * in them runs as the user tasklane, and they take their settings from the environment and mounted
 * files. Without podman, runc or mmdebstrap, or where a container cannot start, it is skipped with
 * one line saying why.
 */
class ImageSystemTest {
  static final int TASKLANE_UID = 10001;
  static Path home;
  static Podman podman;
  static String image;
  static Path work;
  /** Containers this test started, by name: removed whatever happens. */
  static final List<String> containers = new ArrayList<>();

  @BeforeAll
  static void buildTheImage() throws Exception {
    skipIf(Podman.missingTools());
    home = Path.of(LocalCluster.home()).toAbsolutePath().normalize();
    podman = new Podman(home);
    Path archive = Path.of(System.getProperty("tasklane.archive"));
    assertTrue(Files.isRegularFile(archive), "the archive is built by 'package' before these tests: " + archive);
    // the base takes minutes the first time (mmdebstrap); later runs reuse it, and the image too
    Podman.Result build = podman.exec(List.of(home.resolve("deploy/container/build-image").toString(),
        "--archive", archive.toString()), Duration.ofMinutes(30));
    assertEquals(0, build.code(), "build-image: " + build.output());
    String last = build.output().lines().reduce((a, b) -> b).orElse("");
    image = last.split(" ")[0];
    assertTrue(image.startsWith("localhost/tasklane:"), "build-image names the image last: " + build.output());
    System.out.println("image: " + last);

    Podman.Result version = podman.run("run", "--rm", "--no-healthcheck", "--network", "host", image, "--version");
    skipIf(Podman.cannotStart(version) ? "a container cannot start on this machine: " + version.firstLine() : null);
    assertEquals(0, version.code(), version.output());
    assertTrue(version.output().contains("tasklane " + image.substring(image.indexOf(':') + 1)), version.output());
    work = Files.createTempDirectory("tasklane-image-test");
  }

  /** Skips every test of this class, with one line saying why (on stdout and in the report). */
  private static void skipIf(String reason) {
    if (reason != null) {
      System.out.println("ImageSystemTest skipped: " + reason);
    }
    Assumptions.assumeTrue(reason == null, reason);
  }

  @AfterAll
  static void removeContainers() throws Exception {
    for (String name : containers) {
      podman.run("rm", "--force", "--time", "0", name);
    }
    if (work != null) {
      try (var walk = Files.walk(work)) {
        for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      }
    }
  }

  @Test
  void theImageIsDescribedByItsConfiguration() throws Exception {
    JsonNode inspected = inspect("image", image);
    JsonNode config = inspected.get("Config");
    assertEquals(TASKLANE_UID + ":" + TASKLANE_UID, config.get("User").asText());
    assertEquals("/var/lib/tasklane", config.get("WorkingDir").asText());
    assertEquals(List.of("CMD", "/usr/local/bin/tasklane-healthcheck"), toList(inspected.get("Healthcheck").get("Test")),
        "a HEALTHCHECK (kept because the image is built in docker format)");
    assertEquals(List.of("/usr/bin/tini", "--", "/usr/local/bin/tasklane-entrypoint"),
        toList(config.get("Entrypoint")));
    String archiveSha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
        .digest(Files.readAllBytes(Path.of(System.getProperty("tasklane.archive")))));
    assertEquals(archiveSha, config.get("Labels").get("org.tasklane.archive-sha256").asText(),
        "the image is the one built from this build's archive");
  }

  @Test
  void theEntrypointTakesSecretsOnlyFromFilesAndSaysWhatIsWrongInOneLine() throws Exception {
    Podman.Result token = podman.run("run", "--rm", "--no-healthcheck", "--network", "host",
        "--env", "TASKLANE_AUTH_TOKEN=s3cret-value", image, "scheduler");
    assertEquals(2, token.code(), token.output());
    assertEquals(1, token.output().strip().lines().count(), token.output());
    assertTrue(token.output().contains("TASKLANE_AUTH_TOKEN is not read: secrets come from mounted files"), token.output());
    assertFalse(token.output().contains("s3cret-value"), token.output());

    Podman.Result config = podman.run("run", "--rm", "--no-healthcheck", "--network", "host",
        "--env", "TASKLANE_CONFIG=/etc/tasklane/missing.conf", image, "worker");
    assertEquals(2, config.code(), config.output());
    assertEquals("tasklane-entrypoint: TASKLANE_CONFIG=/etc/tasklane/missing.conf: no such file or folder in the container (is it mounted?)",
        config.output().strip());

    // a bad value from the environment is the launcher's own one-line usage error
    Podman.Result port = podman.run("run", "--rm", "--no-healthcheck", "--network", "host",
        "--env", "TASKLANE_PORT=not-a-port", "--env", "TASKLANE_SCHEDULER=127.0.0.1", image, "worker");
    assertEquals(2, port.code(), port.output());
    assertTrue(port.output().contains("--port not-a-port (TASKLANE_PORT)"), "the entrypoint says where it came from: " + port.output());
    assertTrue(port.output().lines().anyMatch(l -> l.contains("not-a-port") && !l.startsWith("tasklane-entrypoint")),
        port.output());
    assertFalse(port.output().contains("\tat "), "no stack trace: " + port.output());
  }

  @Test
  void aSchedulerAndTwoWorkerContainersRunAGraphAndGoHealthy() throws Exception {
    String run = "tasklane-test-" + Long.toHexString(new SecureRandom().nextLong() & 0xffffffffL);
    int port = LocalCluster.freePort();
    int apiPort = LocalCluster.freePort();
    int dashboardPort = LocalCluster.freePort();
    String secret = HexFormat.of().formatHex(new SecureRandom().generateSeed(16));
    Path token = secretFile(work.resolve("auth-token"), secret);
    Path workerConf = Files.writeString(work.resolve("tasklane.conf"), "tasklane.worker.memory-limit = 123MiB\n");

    String scheduler = start(run + "-scheduler", List.of(
        "--env", "TASKLANE_HOST=127.0.0.1", "--env", "TASKLANE_PORT=" + port, "--env", "TASKLANE_API_PORT=" + apiPort,
        "--env", "TASKLANE_DASHBOARD_PORT=" + dashboardPort, "--env", "TASKLANE_MANAGEMENT_PORT=" + LocalCluster.freePort(),
        "--volume", token + ":/etc/tasklane/auth-token:ro"), "scheduler");
    List<String> workerEnv = List.of("--env", "TASKLANE_SCHEDULER=127.0.0.1:" + port, "--env", "TASKLANE_HOST=127.0.0.1",
        "--env", "TASKLANE_NTHREADS=2");
    // each container its own management port: they share the host's network
    String worker1 = start(run + "-worker-1", concat(workerEnv, List.of("--env", "TASKLANE_NAME=worker-1",
        "--env", "TASKLANE_MANAGEMENT_PORT=" + LocalCluster.freePort(),
        "--volume", workerConf + ":/etc/tasklane/tasklane.conf:ro")), "worker");
    String worker2 = start(run + "-worker-2", concat(workerEnv, List.of("--env", "TASKLANE_NAME=worker-2",
        "--env", "TASKLANE_MEMORY_LIMIT=77MiB", "--env", "TASKLANE_MANAGEMENT_PORT=" + LocalCluster.freePort())), "worker");

    try (TasklaneClient client = new TasklaneClient(URI.create("http://127.0.0.1:" + apiPort + "/"), secret)) {
      // three JVMs and two nannies starting at once in containers, on a busy 2-core machine
      awaitOrShowLogs(Duration.ofSeconds(240), "two workers registered with the scheduler", () -> {
        try {
          return client.workers().size() == 2;
        } catch (RuntimeException e) {
          return false;
        }
      });

      GraphStatus status = client.submitAndWait(DemoGraphs.tree(200), Duration.ofMinutes(3));
      assertEquals("done", status.state(), status.toString());
      GraphResults results = client.results(status.id());
      assertEquals(DemoGraphs.treeSum(200), results.results().get("total").asLong(), results.toString());

      // the settings came from the environment and the mounted config file
      HttpClient http = HttpClient.newHttpClient();
      awaitOrShowLogs(Duration.ofSeconds(60), "both workers' memory limits on the dashboard", () -> {
        String body = get(http, "http://127.0.0.1:" + dashboardPort + "/api/v1/workers.json", secret);
        return body != null && body.contains("" + 123L * 1024 * 1024) && body.contains("" + 77L * 1024 * 1024);
      });
    }

    for (String name : List.of(scheduler, worker1, worker2)) {
      awaitOrShowLogs(Duration.ofSeconds(180), name + "'s health check passing", () -> {
        try {
          return podman.run("healthcheck", "run", name).code() == 0;
        } catch (Exception e) {
          throw new AssertionError(e);
        }
      });
      assertEquals("healthy", inspect("container", name).get("State").get("Health").get("Status").asText(), name);
      assertEveryProcessRunsAsTasklane(name);
    }

    String logs = podman.run("logs", worker1).output();
    assertTrue(logs.contains("tasklane-entrypoint: worker with --scheduler 127.0.0.1:" + port + " (TASKLANE_SCHEDULER)"), logs);
    assertTrue(logs.contains("--config /etc/tasklane/tasklane.conf (mounted)"), logs);
    String schedulerLogs = podman.run("logs", scheduler).output();
    assertTrue(schedulerLogs.contains("--auth-file /etc/tasklane/auth-token (mounted)"), schedulerLogs);
    assertFalse(schedulerLogs.contains(secret), "the token is never in the logs");
    assertFalse(podman.run("inspect", scheduler).output().contains(secret), "nor in the container's configuration");

    // podman stop: SIGTERM reaches the worker through tini and its nanny, which stop gracefully
    Podman.Result stop = podman.run("stop", "--time", "90", worker2);
    assertEquals(0, stop.code(), stop.output());
    int exit = inspect("container", worker2).get("State").get("ExitCode").asInt();
    assertEquals(143, exit, "the nanny exits with the worker's code after SIGTERM, not killed (137): " + podman.run("logs", worker2).output());
  }

  /** Every process of the container, seen from the host (no user namespace here), has uid 10001. */
  private static void assertEveryProcessRunsAsTasklane(String name) throws Exception {
    long pid = inspect("container", name).get("State").get("Pid").asLong();
    ProcessHandle first = ProcessHandle.of(pid).orElseThrow(() -> new AssertionError(name + " has no process " + pid));
    List<ProcessHandle> all = new ArrayList<>(List.of(first));
    all.addAll(first.descendants().toList());
    assertTrue(all.stream().anyMatch(p -> p.info().command().orElse("").endsWith("/java")), name + " runs java: " + all);
    for (ProcessHandle p : all) {
      String uidLine = Files.readAllLines(Path.of("/proc", "" + p.pid(), "status")).stream()
          .filter(l -> l.startsWith("Uid:")).findFirst().orElseThrow();
      for (String uid : uidLine.substring(4).trim().split("\\s+")) {
        assertEquals("" + TASKLANE_UID, uid, name + "'s process " + p.pid() + " " + p.info().command().orElse("") + ": " + uidLine);
      }
    }
    assertEquals("tasklane", podman.run("exec", name, "id", "-un").output().strip(), name);
  }

  private static String start(String name, List<String> options, String command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("podman", "run", "--detach", "--name", name, "--network", "host",
        "--env", "TASKLANE_JAVA_OPTS=" + LocalCluster.JAVA_OPTS));
    cmd.addAll(options);
    cmd.addAll(List.of(image, command));
    containers.add(name); // before it starts: removed even if 'run' fails half-way
    Podman.Result started = podman.exec(cmd, Duration.ofMinutes(2));
    assertEquals(0, started.code(), name + ": " + started.output());
    return name;
  }

  /** A file only the user tasklane can read, as a secret should be mounted. */
  private static Path secretFile(Path file, String content) throws Exception {
    Files.writeString(file, content + "\n");
    Files.setAttribute(file, "unix:uid", TASKLANE_UID);
    Files.setAttribute(file, "unix:gid", TASKLANE_UID);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
    return file;
  }

  private static void awaitOrShowLogs(Duration timeout, String what, java.util.function.BooleanSupplier condition)
      throws Exception {
    try {
      LocalCluster.await(timeout, what, condition);
    } catch (AssertionError e) {
      StringBuilder logs = new StringBuilder(e.getMessage());
      for (String name : containers) {
        logs.append("\n--- podman logs ").append(name).append(" (last 40 lines):\n");
        List<String> lines = podman.run("logs", name).output().lines().toList();
        lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(l -> logs.append(l).append('\n'));
      }
      throw new AssertionError(logs.toString(), e);
    }
  }

  private static JsonNode inspect(String kind, String name) throws Exception {
    Podman.Result r = podman.run(kind, "inspect", name);
    assertEquals(0, r.code(), r.output());
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.output()).get(0);
  }

  private static String get(HttpClient http, String url, String token) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5))
          .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
      return r.statusCode() == 200 ? r.body() : null;
    } catch (java.io.IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static List<String> toList(JsonNode array) {
    List<String> out = new ArrayList<>();
    array.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> concat(List<String> a, List<String> b) {
    List<String> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }
}
