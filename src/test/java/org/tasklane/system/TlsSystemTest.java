package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.StreamSupport;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.TlsFolder;

/**
 * A scheduler and two workers started with {@code --tls-dir} (certificates from {@code tasklane
 * certs}) run a graph to the right answer; the client API answers over HTTPS to a JDK client that
 * trusts the CA and refuses plain HTTP; the cluster port completes a TLS handshake, shows the node's
 * certificate, and refuses a peer with no certificate or one from another CA; a worker without a TLS
 * folder, and one whose certificates come from another CA, cannot join and say why in one line,
 * while the cluster keeps its two workers and runs another graph.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TlsSystemTest {
  static final String LOGS = "tls";
  static final Duration QUICK = Duration.ofSeconds(90);

  static Path certs;
  static Path otherCerts;
  static LocalCluster cluster;

  @BeforeAll
  static void start() throws Exception {
    Path root = Path.of(LocalCluster.home(), "launcher", "target", "system-logs", LOGS).toAbsolutePath().normalize();
    Files.createDirectories(root);
    certs = Files.createTempDirectory(root, "certs-");
    otherCerts = Files.createTempDirectory(root, "other-ca-");
    CliRun made = CliRun.run(LOGS, "certs", QUICK, "certs", certs.toString(), "--hosts", "127.0.0.1");
    assertEquals(0, made.exit(), made.describe());
    assertTrue(made.out().startsWith("certs: made a new CA"), made.describe());
    CliRun other = CliRun.run(LOGS, "certs-other", QUICK, "certs", otherCerts.toString(), "--hosts", "127.0.0.1");
    assertEquals(0, other.exit(), other.describe());
    cluster = LocalCluster.start(LOGS, 2, 1, "--tls-dir", certs.toString());
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static TlsFolder node() {
    return TlsFolder.forNode(certs, "127.0.0.1");
  }

  @Test
  @Order(1)
  void aGraphRunsToTheRightAnswerOverTls() {
    String id = cluster.client().submit(DemoGraphs.tree(64));
    assertEquals("done", cluster.client().awaitDone(id, QUICK).state());
    GraphResults results = cluster.client().results(id);
    assertEquals(DemoGraphs.treeSum(64), results.results().get("total").asLong());
    String log = readLog("scheduler");
    assertTrue(log.contains("client API at https://"), "the scheduler says its API speaks HTTPS");
    assertFalse(log.contains(node().password()), "the key stores' password is in no log");
  }

  @Test
  @Order(2)
  void theClientApiAnswersOverHttpsAndRefusesPlainHttp() throws Exception {
    HttpClient trusting = HttpClient.newBuilder().sslContext(node().clientContext())
        .connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> ok = trusting.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + cluster.apiPort() + "/api/v1/workers")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, ok.statusCode());
    assertTrue(ok.body().contains("worker-1"), ok.body());
    HttpResponse<String> dashboard = trusting.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + cluster.dashboardPort() + "/status"))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, dashboard.statusCode(), "the embedded dashboard answers over HTTPS");

    HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(IOException.class, () -> plain.send(HttpRequest.newBuilder(
        URI.create("http://127.0.0.1:" + cluster.apiPort() + "/api/v1/workers")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()), "plain HTTP gets no answer");
    HttpClient defaultTrust = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    assertThrows(javax.net.ssl.SSLHandshakeException.class, () -> defaultTrust.send(HttpRequest.newBuilder(
        URI.create("https://127.0.0.1:" + cluster.apiPort() + "/api/v1/workers")).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString()), "a client that does not trust the private CA refuses the server");
  }

  @Test
  @Order(3)
  void theClusterPortSpeaksTls() throws Exception {
    try (SSLSocket socket = (SSLSocket) node().mutualContext().getSocketFactory()
        .createSocket("127.0.0.1", cluster.port())) {
      socket.setSoTimeout(10_000);
      socket.startHandshake();
      X509Certificate peer = (X509Certificate) socket.getSession().getPeerCertificates()[0];
      assertEquals("CN=127.0.0.1,O=Tasklane", peer.getSubjectX500Principal().getName());
      assertEquals(List.of("127.0.0.1"), TlsFolder.subjectAltNames(peer));
      assertTrue(socket.getSession().getProtocol().startsWith("TLSv1.3"), socket.getSession().getProtocol());
    }
    // Artery itself (not only the launcher's check before joining) refuses a peer without a
    // certificate from the cluster's CA: TLS 1.3 says so with an alert after the client's handshake
    TlsFolder other = TlsFolder.forNode(otherCerts, "127.0.0.1");
    for (SSLContext peer : List.of(node().clientContext(), withKeyOf(other, node()))) {
      try (SSLSocket socket = (SSLSocket) peer.getSocketFactory().createSocket("127.0.0.1", cluster.port())) {
        socket.setSoTimeout(10_000);
        socket.startHandshake();
        assertThrows(SSLException.class, () -> socket.getInputStream().read(), "the scheduler refuses the peer");
      }
    }
  }

  /** A TLS client context that shows {@code key}'s certificate and trusts what {@code trust} trusts. */
  static SSLContext withKeyOf(TlsFolder key, TlsFolder trust) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(key.keyStore(), key.password().toCharArray());
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust.trustStore());
    SSLContext ctx = SSLContext.getInstance("TLS");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    return ctx;
  }

  @Test
  @Order(4)
  void aWorkerWithoutACertificateCannotJoinAndSaysSo() throws Exception {
    CliRun bad = CliRun.run(LOGS, "worker-no-tls", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--host", "127.0.0.1", "--name", "intruder", "--no-nanny", "--join-timeout", "20s");
    assertEquals(1, bad.exit(), bad.describe());
    assertEquals(1, bad.errLines().size(), bad.describe());
    assertTrue(bad.err().startsWith("worker: cannot join the scheduler at 127.0.0.1:" + cluster.port()
        + ": it speaks TLS on its cluster port"), bad.describe());
  }

  @Test
  @Order(5)
  void aWorkerWithACertificateFromAnotherCaCannotJoinAndSaysSo() throws Exception {
    CliRun bad = CliRun.run(LOGS, "worker-other-ca", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--host", "127.0.0.1", "--name", "stranger", "--no-nanny", "--join-timeout", "20s",
        "--tls-dir", otherCerts.toString());
    assertEquals(1, bad.exit(), bad.describe());
    assertEquals(1, bad.errLines().size(), bad.describe());
    assertTrue(bad.err().contains("its TLS certificate (CN=127.0.0.1,O=Tasklane, issued by CN=Tasklane CA"), bad.describe());
    assertTrue(bad.err().contains("is not trusted by " + otherCerts.resolve("127.0.0.1").resolve("truststore.p12")
        + " (wrong CA?)"), bad.describe());
  }

  @Test
  @Order(6)
  void aMissingFileInTheTlsFolderIsOneLineAtStart() throws Exception {
    Path broken = Files.createTempDirectory(certs.getParent(), "broken-");
    Files.copy(certs.resolve("127.0.0.1").resolve("keystore.p12"), broken.resolve("keystore.p12"));
    Files.copy(certs.resolve("127.0.0.1").resolve("password"), broken.resolve("password"));
    CliRun bad = CliRun.run(LOGS, "worker-broken-dir", QUICK, "worker", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--host", "127.0.0.1", "--name", "broken", "--no-nanny", "--tls-dir", broken.toString());
    assertEquals(1, bad.exit(), bad.describe());
    assertEquals(List.of("worker: --tls-dir: the TLS file " + broken.resolve("truststore.p12") + " does not exist "
        + "(make the folder with 'tasklane certs DIR --hosts HOST,...')"), bad.errLines());
  }

  @Test
  @Order(7)
  void theClusterKeepsOnlyItsGoodWorkersAndStillRunsAGraph() {
    List<String> names = StreamSupport.stream(cluster.client().workers().spliterator(), false)
        .map(w -> w.get("name").asText()).sorted().toList();
    assertEquals(List.of("worker-1", "worker-2"), names);
    String id = cluster.client().submit(DemoGraphs.tree(32));
    assertEquals("done", cluster.client().awaitDone(id, QUICK).state());
    assertEquals(DemoGraphs.treeSum(32), cluster.client().results(id).results().get("total").asLong());
    assertTrue(cluster.processes().get("scheduler").isAlive());
  }

  private static String readLog(String name) {
    try {
      return Files.readString(cluster.log(name));
    } catch (IOException e) {
      throw new AssertionError("cannot read the log of " + name + ": " + e);
    }
  }
}
