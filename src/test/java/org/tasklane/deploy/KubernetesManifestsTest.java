package org.tasklane.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.system.LocalCluster;

/**
 * deploy/kubernetes/*.yaml: every document parses and says what it is; the parts refer to each
 * other correctly (selectors, named ports, probes on the management port, the ServiceAccount and
 * ConfigMap the pods use, Cluster Bootstrap's label); and {@code kubectl apply --dry-run=client}
 * takes every file. No Kubernetes runs here: kubectl talks to {@link KubernetesDiscoveryStandIn}.
 */
class KubernetesManifestsTest {
  static final Path DIR = Path.of(LocalCluster.home(), "deploy", "kubernetes");
  static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  /** Every document, by file. */
  static final Map<Path, List<JsonNode>> documents = new HashMap<>();
  static final List<JsonNode> all = new ArrayList<>();

  @BeforeAll
  static void read() throws IOException {
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        List<JsonNode> docs = YAML.readerFor(JsonNode.class).<JsonNode>readValues(f.toFile()).readAll();
        docs.removeIf(d -> d == null || d.isNull() || d.isMissingNode());
        documents.put(f, docs);
        all.addAll(docs);
      }
    }
  }

  static List<JsonNode> ofKind(String kind) {
    return all.stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
  }

  static JsonNode named(String kind, String name) {
    return ofKind(kind).stream().filter(d -> d.path("metadata").path("name").asText().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
  }

  @Test
  void everyDocumentParsesAndSaysWhatItIs() {
    assertFalse(documents.isEmpty(), "no manifests in " + DIR);
    for (Map.Entry<Path, List<JsonNode>> e : documents.entrySet()) {
      assertFalse(e.getValue().isEmpty(), e.getKey() + " has no document");
      for (JsonNode d : e.getValue()) {
        String where = e.getKey().getFileName() + ": " + d.path("kind").asText("?") + " " + d.path("metadata").path("name");
        assertTrue(d.path("apiVersion").isTextual(), where + " has no apiVersion");
        assertTrue(d.path("kind").isTextual(), where + " has no kind");
        assertTrue(d.path("metadata").path("name").isTextual(), where + " has no name");
        assertEquals("tasklane", d.path("metadata").path("labels").path("app.kubernetes.io/part-of").asText(), where);
      }
    }
    Set<String> kinds = new HashSet<>();
    all.forEach(d -> kinds.add(d.get("kind").asText()));
    assertEquals(Set.of("ServiceAccount", "Role", "RoleBinding", "ConfigMap", "StatefulSet", "Deployment", "Service"), kinds);
  }

  @Test
  void thePodsProbeTheirManagementPortAndFindEachOtherByClusterBootstrap() {
    JsonNode env = named("ConfigMap", "tasklane-env").get("data");
    int management = Integer.parseInt(env.get("TASKLANE_MANAGEMENT_PORT").asText());
    named("ServiceAccount", "tasklane");
    JsonNode role = named("Role", "tasklane-pod-reader").get("rules").get(0);
    assertEquals("pods", role.get("resources").get(0).asText());
    assertEquals(Set.of("get", "watch", "list"), texts(role.get("verbs")));
    JsonNode binding = named("RoleBinding", "tasklane-read-pods");
    assertEquals("tasklane-pod-reader", binding.at("/roleRef/name").asText());
    assertEquals("tasklane", binding.at("/subjects/0/name").asText());

    List<JsonNode> workloads = new ArrayList<>(ofKind("StatefulSet"));
    workloads.addAll(ofKind("Deployment"));
    assertEquals(Set.of("scheduler", "worker", "dashboard"),
        texts(workloads.stream().map(w -> w.at("/spec/template/metadata/labels/app.kubernetes.io~1component")).toList()));
    for (JsonNode w : workloads) {
      String name = w.at("/metadata/name").asText();
      JsonNode labels = w.at("/spec/template/metadata/labels");
      w.at("/spec/selector/matchLabels").fields().forEachRemaining(l ->
          assertEquals(l.getValue().asText(), labels.path(l.getKey()).asText(), name + ": selector label " + l.getKey()));
      assertEquals("tasklane", labels.path("app.kubernetes.io/part-of").asText(), name + ": Cluster Bootstrap's label");
      JsonNode pod = w.at("/spec/template/spec");
      assertEquals("tasklane", pod.path("serviceAccountName").asText(), name);
      JsonNode c = pod.at("/containers/0");
      assertTrue(c.path("image").asText().startsWith("localhost/tasklane:"), name);
      assertEquals("tasklane-env", c.at("/envFrom/0/configMapRef/name").asText(), name);
      assertEquals("status.podIP", c.at("/env/0/valueFrom/fieldRef/fieldPath").asText(), name + ": TASKLANE_HOST");
      List<String> args = texts(c.get("args"), new ArrayList<>());
      assertTrue(args.containsAll(List.of("--discovery", "kubernetes-api")), name + " " + args);
      assertFalse(args.contains("--scheduler"), name + " " + args);
      Map<String, Integer> ports = new HashMap<>();
      c.get("ports").forEach(p -> ports.put(p.get("name").asText(), p.get("containerPort").asInt()));
      assertEquals(management, ports.get("management"), name + ": the management port is the one TASKLANE_MANAGEMENT_PORT sets");
      assertEquals("/alive", c.at("/livenessProbe/httpGet/path").asText(), name);
      assertEquals("/ready", c.at("/readinessProbe/httpGet/path").asText(), name);
      for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
        assertEquals("management", c.at("/" + probe + "/httpGet/port").asText(), name + " " + probe);
      }
      Set<String> volumes = texts(pod.get("volumes").findValues("name"));
      c.get("volumeMounts").forEach(m -> assertTrue(volumes.contains(m.get("name").asText()), name + ": mount " + m));
    }
    // each Service selects pods that have the ports it targets
    for (JsonNode s : ofKind("Service")) {
      String name = s.at("/metadata/name").asText();
      List<JsonNode> selected = workloads.stream().filter(w -> {
        JsonNode labels = w.at("/spec/template/metadata/labels");
        boolean[] all = {true};
        s.at("/spec/selector").fields().forEachRemaining(l -> all[0] &= l.getValue().asText().equals(labels.path(l.getKey()).asText()));
        return all[0];
      }).toList();
      assertFalse(selected.isEmpty(), name + " selects no pods");
      for (JsonNode port : s.at("/spec/ports")) {
        String target = port.get("targetPort").asText();
        assertTrue(selected.stream().anyMatch(w ->
                texts(w.at("/spec/template/spec/containers/0/ports").findValues("name")).contains(target)),
            name + ": no selected pod has a port named " + target);
      }
    }
  }

  @Test
  void kubectlApplyDryRunClientTakesEveryFile(@TempDir Path tmp) throws Exception {
    Path kubectl = Path.of("/usr/bin/kubectl");
    Assumptions.assumeTrue(Files.isExecutable(kubectl),
        "kubectl is not installed (apt-get install -y kubernetes-client; .ci/run installs it)");
    try (KubernetesDiscoveryStandIn server = new KubernetesDiscoveryStandIn()) {
      Path config = server.kubeconfig(tmp);
      for (Map.Entry<Path, List<JsonNode>> e : documents.entrySet()) {
        Process p = new ProcessBuilder(kubectl.toString(), "--kubeconfig", config.toString(), "apply",
            "--dry-run=client", "--validate=false", "-f", e.getKey().toString())
            .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "kubectl did not finish: " + out);
        assertEquals(0, p.exitValue(), e.getKey().getFileName() + ": " + out);
        List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
        assertEquals(e.getValue().size(), lines.size(), out);
        for (int i = 0; i < lines.size(); i++) {
          JsonNode d = e.getValue().get(i);
          assertEquals(d.get("kind").asText().toLowerCase() + (d.get("apiVersion").asText().contains("/")
                  ? "." + d.get("apiVersion").asText().substring(0, d.get("apiVersion").asText().indexOf('/')) : "")
                  + "/" + d.at("/metadata/name").asText() + " created (dry run)", lines.get(i), out);
        }
      }
      assertTrue(server.requests.stream().allMatch(r -> r.startsWith("GET ")), "kubectl only read: " + server.requests);
    }
  }

  private static Set<String> texts(Iterable<JsonNode> nodes) {
    Set<String> out = new HashSet<>();
    nodes.forEach(n -> out.add(n.asText()));
    return out;
  }

  private static List<String> texts(JsonNode array, List<String> out) {
    assertNotNull(array);
    array.forEach(n -> out.add(n.asText()));
    return out;
  }
}
