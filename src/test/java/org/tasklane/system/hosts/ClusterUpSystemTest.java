package org.tasklane.system.hosts;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.system.LocalCluster;

/**
 * `bin/tasklane cluster up` on three hosts (network namespaces), with --ssh set to a wrapper that
 * runs the command in the named host's namespace, and TLS between them ({@code --tls-dir}, folders
 * made by {@code tasklane certs}): the cluster forms, a graph runs, `cluster status` sees every
 * process, and `cluster down` leaves none behind. (ArchiveClusterUpSystemTest runs `cluster up`
 * without TLS.)
 */
class ClusterUpSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();

  @BeforeAll
  static void needsNamespaces() {
    TestHosts.assumeAvailable();
  }

  @Test
  void clusterUpRunsAGraphAndClusterDownLeavesNoProcess() throws Exception {
    Path dir = Files.createTempDirectory("tasklane-cluster");
    try (TestHosts hosts = new TestHosts()) {
      String a = hosts.add("a");
      String b = hosts.add("b");
      String c = hosts.add("c");
      Path hostsFile = dir.resolve("hosts.txt");
      Files.writeString(hostsFile, "# scheduler first\n" + a + "\n" + b + "\n" + c + "\n");
      Path ssh = hosts.sshWrapper(dir);
      Path state = dir.resolve("state.json");
      Path certs = dir.resolve("certs");
      Run made = tasklane(dir, "certs", "certs", certs.toString(), "--hosts", a + "," + b + "," + c);
      assertEquals(0, made.code, made.output);
      String ca = certs.resolve("ca").resolve("ca.pem").toString();

      Run up = tasklane(dir, "cluster-up", "cluster", "up", hostsFile.toString(), "--ssh", ssh.toString(),
          "--state", state.toString(), "--nthreads", "1", "--java-opts", LocalCluster.JAVA_OPTS,
          // not the default: the workers join only if every node is given it
          "--cluster-name", "netns", "--tls-dir", certs.toString());
      assertEquals(0, up.code, up.output);
      assertTrue(up.output.contains("cluster up: scheduler on " + a), up.output);
      assertTrue(up.output.contains("client API at https://" + a + ":8786/"), up.output);

      // the workers on b and c joined the scheduler on a over TLS; asked from another host (b) over HTTPS
      LocalCluster.await(Duration.ofSeconds(120), "two workers registered", () -> {
        try {
          return JSON.readTree(hosts.httpGet("b", "https://" + a + ":8786/api/v1/workers", "--cacert", ca)).size() == 2;
        } catch (Exception e) {
          return false;
        }
      });
      JsonNode workers = JSON.readTree(hosts.httpGet("c", "https://" + a + ":8786/api/v1/workers", "--cacert", ca));
      List<String> workerHosts = new ArrayList<>();
      workers.forEach(w -> workerHosts.add(w.get("host").asText()));
      assertEquals(List.of(b, c), workerHosts.stream().sorted().toList(), "each worker announces its own host's address");

      // a graph submitted from host c runs across the hosts
      Process submit = hosts.on("c", List.of(Path.of(LocalCluster.home(), "bin", "tasklane").toString(), "submit",
          "demo:tree:200", "--scheduler", a + ":8786", "--tls-dir", certs.resolve(c).toString(), "--wait"))
          .redirectErrorStream(false).start();
      String out = new String(submit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(submit.waitFor(120, TimeUnit.SECONDS));
      assertEquals(0, submit.exitValue(), out);
      assertEquals(DemoGraphs.treeSum(200), JSON.readTree(out).get("results").get("total").asLong());

      Run status = tasklane(dir, "cluster-status", "cluster", "status", "--state", state.toString());
      assertEquals(0, status.code, status.output);
      assertEquals(3, status.output.lines().filter(l -> l.endsWith("running")).count(), status.output);

      Run down = tasklane(dir, "cluster-down", "cluster", "down", "--state", state.toString());
      assertEquals(0, down.code, down.output);
      assertFalse(Files.exists(state), "the state is gone with the cluster");
      for (String host : List.of("a", "b", "c")) {
        Process pids = new ProcessBuilder("ip", "netns", "pids", hosts.ns(host)).start();
        String left = new String(pids.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        pids.waitFor(10, TimeUnit.SECONDS);
        assertEquals("", left, "no process left on host " + host);
      }
    }
  }

  record Run(int code, String output) {}

  static Run tasklane(Path dir, String name, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(LocalCluster.home(), "bin", "tasklane").toString()));
    cmd.addAll(List.of(args));
    Path log = dir.resolve(name + ".log");
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().put("TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS);
    Process p = pb.start();
    try {
      if (!p.waitFor(180, TimeUnit.SECONDS)) {
        throw new AssertionError(name + " did not finish: " + Files.readString(log));
      }
      return new Run(p.exitValue(), Files.readString(log));
    } finally {
      p.destroyForcibly();
    }
  }
}
