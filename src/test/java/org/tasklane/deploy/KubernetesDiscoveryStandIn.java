package org.tasklane.deploy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * What kubectl 1.32's client-side dry run needs of an API server, and nothing more: the API
 * discovery documents for the kinds deploy/kubernetes uses (so that kubectl can map each document
 * to its resource), and 404 Not Found for every object (so that each is "created (dry run)"). It
 * serves no OpenAPI schema, so kubectl runs with --validate=false; the manifests' consistency is
 * checked by {@link KubernetesManifestsTest} itself. Listens on loopback, ephemeral port; records
 * every request, so a test can show that nothing was written.
 */
final class KubernetesDiscoveryStandIn implements AutoCloseable {
  /** Group/version: resources (plural name, kind). */
  private static final Map<String, List<String[]>> RESOURCES = Map.of(
      "v1", List.of(new String[] {"configmaps", "ConfigMap"}, new String[] {"services", "Service"},
          new String[] {"serviceaccounts", "ServiceAccount"}, new String[] {"secrets", "Secret"}),
      "apps/v1", List.of(new String[] {"deployments", "Deployment"}, new String[] {"statefulsets", "StatefulSet"}),
      "rbac.authorization.k8s.io/v1", List.of(new String[] {"roles", "Role"}, new String[] {"rolebindings", "RoleBinding"}));

  private final HttpServer server;
  final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  KubernetesDiscoveryStandIn() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    server.createContext("/", this::handle);
    server.start();
  }

  /** A kubeconfig naming this server, in {@code dir}. */
  Path kubeconfig(Path dir) throws IOException {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: stand-in
          cluster: {server: "http://127.0.0.1:%d"}
        contexts:
        - name: stand-in
          context: {cluster: stand-in, namespace: tasklane-dry-run}
        current-context: stand-in
        users: []
        """.formatted(server.getAddress().getPort()), StandardCharsets.UTF_8);
    return file;
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    requests.add(exchange.getRequestMethod() + " " + path);
    String body;
    int status = 200;
    if (!exchange.getRequestMethod().equals("GET")) {
      status = 405;
      body = status("MethodNotAllowed", 405);
    } else if (path.equals("/api")) {
      body = "{\"kind\":\"APIVersions\",\"versions\":[\"v1\"],\"serverAddressByClientCIDRs\":"
          + "[{\"clientCIDR\":\"0.0.0.0/0\",\"serverAddress\":\"127.0.0.1\"}]}";
    } else if (path.equals("/apis")) {
      StringBuilder groups = new StringBuilder();
      for (String gv : RESOURCES.keySet()) {
        if (gv.contains("/")) {
          String group = gv.substring(0, gv.indexOf('/'));
          String v = "{\"groupVersion\":\"" + gv + "\",\"version\":\"v1\"}";
          groups.append(groups.length() > 0 ? "," : "")
              .append("{\"name\":\"").append(group).append("\",\"versions\":[").append(v)
              .append("],\"preferredVersion\":").append(v).append("}");
        }
      }
      body = "{\"kind\":\"APIGroupList\",\"apiVersion\":\"v1\",\"groups\":[" + groups + "]}";
    } else if (path.equals("/api/v1") || path.startsWith("/apis/") && RESOURCES.containsKey(path.substring(6))) {
      String gv = path.equals("/api/v1") ? "v1" : path.substring(6);
      StringBuilder list = new StringBuilder();
      for (String[] r : RESOURCES.get(gv)) {
        list.append(list.length() > 0 ? "," : "").append("{\"name\":\"").append(r[0]).append("\",\"singularName\":\"")
            .append(r[1].toLowerCase()).append("\",\"namespaced\":true,\"kind\":\"").append(r[1])
            .append("\",\"verbs\":[\"create\",\"delete\",\"get\",\"list\",\"patch\",\"update\",\"watch\"]}");
      }
      body = "{\"kind\":\"APIResourceList\",\"apiVersion\":\"v1\",\"groupVersion\":\"" + gv + "\",\"resources\":[" + list + "]}";
    } else {
      status = 404;
      body = status("NotFound", 404);
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String status(String reason, int code) {
    return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
        + "\",\"code\":" + code + "}";
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
