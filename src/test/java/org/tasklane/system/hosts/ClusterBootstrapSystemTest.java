package org.tasklane.system.hosts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.system.LocalCluster;

/**
 * Pekko Cluster Bootstrap with config discovery across three hosts (network namespaces): a
 * scheduler and two workers, each started with the same three contact points (the hosts'
 * management ports) and no {@code --scheduler}, form one cluster: every node is ready, the
 * scheduler lists both workers, and a graph submitted from a fourth host runs to the right answer.
 */
class ClusterBootstrapSystemTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final int MANAGEMENT = 8558;
  static TestHosts hosts;
  static final Map<String, Process> processes = new LinkedHashMap<>();
  static Path logs;

  @BeforeAll
  static void startHosts() throws Exception {
    TestHosts.assumeAvailable();
    logs = Path.of(LocalCluster.home(), "launcher", "target", "system-logs", "cluster-bootstrap");
    Files.createDirectories(logs);
    hosts = new TestHosts();
    for (String h : List.of("s", "w1", "w2", "c")) {
      hosts.add(h);
    }
  }

  @AfterAll
  static void stop() {
    LocalCluster.stopAll(new ArrayList<>(processes.values()), Duration.ofSeconds(30));
    if (hosts != null) {
      hosts.close();
    }
  }

  @Test
  void threeHostsWithNoSchedulerNamedFormOneClusterAndRunAGraph() throws Exception {
    String s = hosts.address("s");
    String contacts = String.join(",", s, hosts.address("w1"), hosts.address("w2"));
    List<String> bootstrap = List.of("--management-port", "" + MANAGEMENT, "--discovery", "config",
        "--discovery-hosts", contacts, "--bootstrap-contacts", "3");
    // the workers first: nothing to join yet, so they wait for all three contact points
    for (String w : List.of("w1", "w2")) {
      start(w, bootstrap, "worker", "--host", hosts.address(w), "--name", w, "--nthreads", "1", "--no-nanny");
    }
    start("s", bootstrap, "scheduler", "--host", s, "--no-dashboard", "--no-history");

    for (String h : List.of("s", "w1", "w2")) {
      LocalCluster.await(Duration.ofSeconds(240), h + "'s /ready answers 200", () -> ready(hosts.address(h)));
    }
    JsonNode workers = JSON.readTree(hosts.httpGet("c", "http://" + s + ":8786/api/v1/workers"));
    assertEquals(2, workers.size(), workers.toString());
    JsonNode members = JSON.readTree(hosts.httpGet("c", "http://" + s + ":" + MANAGEMENT + "/cluster/members"));
    assertEquals(3, members.get("members").size(), members.toString());

    Process submit = hosts.on("c", List.of(Path.of(LocalCluster.home(), "bin", "tasklane").toString(), "submit",
        "demo:tree:200", "--scheduler", s + ":8786", "--wait")).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(submit.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!submit.waitFor(180, TimeUnit.SECONDS)) {
      submit.destroyForcibly();
      throw new AssertionError("submit did not finish in 180 s: " + out);
    }
    assertEquals(0, submit.exitValue(), out);
    assertEquals(DemoGraphs.treeSum(200), JSON.readTree(out).get("results").get("total").asLong(), out);
  }

  /** The node's /ready, asked from the client host, answers 200. */
  static boolean ready(String address) {
    try {
      hosts.httpGet("c", "http://" + address + ":" + MANAGEMENT + "/ready");
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static void start(String host, List<String> bootstrap, String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Path.of(LocalCluster.home(), "bin", "tasklane").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(bootstrap);
    ProcessBuilder pb = hosts.on(host, cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(host + ".log").toFile()));
    pb.environment().put("TASKLANE_JAVA_OPTS", LocalCluster.JAVA_OPTS);
    processes.put(host, pb.start());
  }
}
