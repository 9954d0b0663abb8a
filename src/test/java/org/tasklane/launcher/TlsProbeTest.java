package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.TlsFolder;

/**
 * The handshake a node makes before it joins, against a JDK TLS server that asks for a client
 * certificate as Artery's does (and a plain one): each mismatch is one line saying which.
 */
class TlsProbeTest {
  static TlsFolder good;
  static TlsFolder otherCa;
  static TlsFolder otherKeyGoodTrust;
  static SSLServerSocket tlsServer;
  static ServerSocket plainServer;

  @BeforeAll
  static void start() throws Exception {
    good = TlsFolder.forNode(TestCerts.get("node", "127.0.0.1"), "127.0.0.1");
    otherCa = TlsFolder.forNode(TestCerts.get("other", "127.0.0.1"), "127.0.0.1");
    // a node that trusts the cluster's CA but whose own certificate comes from another CA
    Path mixed = TestCerts.tempDir("tls-mixed");
    Files.copy(otherCa.keyStorePath(), mixed.resolve(TlsFolder.KEY_STORE));
    Files.copy(otherCa.dir().resolve(TlsFolder.PASSWORD), mixed.resolve(TlsFolder.PASSWORD));
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("ca", good.trustStore().getCertificate(good.trustStore().aliases().nextElement()));
    try (OutputStream out = Files.newOutputStream(mixed.resolve(TlsFolder.TRUST_STORE))) {
      trust.store(out, otherCa.password().toCharArray());
    }
    otherKeyGoodTrust = TlsFolder.forNode(mixed, null);

    tlsServer = (SSLServerSocket) good.mutualContext().getServerSocketFactory()
        .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    tlsServer.setNeedClientAuth(true);
    serve(tlsServer, true);
    plainServer = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    serve(plainServer, false);
  }

  @AfterAll
  static void stop() throws IOException {
    tlsServer.close();
    plainServer.close();
  }

  /** Accepts connections; a TLS one is handshaken, then read until the client goes; a plain one is closed on its first bytes. */
  private static void serve(ServerSocket server, boolean tls) {
    Thread t = new Thread(() -> {
      while (!server.isClosed()) {
        try {
          Socket s = server.accept();
          Thread handler = new Thread(() -> {
            try (s; InputStream in = s.getInputStream()) {
              s.setSoTimeout(10_000);
              if (tls) {
                ((javax.net.ssl.SSLSocket) s).startHandshake();
                while (in.read() >= 0) {
                  // drain until the client closes
                }
              } else {
                in.read(); // not the header of a plain peer: close, as Artery does
              }
            } catch (IOException e) {
              // the refused handshakes end here
            }
          });
          handler.setDaemon(true);
          handler.start();
        } catch (IOException e) {
          return;
        }
      }
    }, "probe-test-server");
    t.setDaemon(true);
    t.start();
  }

  @Test
  void aCertificateFromTheSameCaPasses() {
    assertDoesNotThrow(() -> TlsProbe.check("127.0.0.1", tlsServer.getLocalPort(), Optional.of(good), true));
  }

  @Test
  void noTlsAgainstAPlainPortPasses() {
    assertDoesNotThrow(() -> TlsProbe.check("127.0.0.1", plainServer.getLocalPort(), Optional.empty(), true));
  }

  @Test
  void aNodeWithoutAFolderIsToldTheSchedulerSpeaksTls() {
    TlsProbe.Refused e = assertThrows(TlsProbe.Refused.class,
        () -> TlsProbe.check("127.0.0.1", tlsServer.getLocalPort(), Optional.empty(), true));
    assertTrue(e.getMessage().startsWith("cannot join the scheduler at 127.0.0.1:" + tlsServer.getLocalPort()
        + ": it speaks TLS on its cluster port (its certificate: CN=127.0.0.1,O=Tasklane"), e.getMessage());
    assertFalse(e.getMessage().contains("\n"));
  }

  @Test
  void aSchedulerCertificateFromAnotherCaIsNotTrusted() {
    TlsProbe.Refused e = assertThrows(TlsProbe.Refused.class,
        () -> TlsProbe.check("127.0.0.1", tlsServer.getLocalPort(), Optional.of(otherCa), true));
    assertTrue(e.getMessage().contains("is not trusted by " + otherCa.trustStorePath() + " (wrong CA?)"), e.getMessage());
  }

  @Test
  void aNodeCertificateFromAnotherCaIsRefusedByTheScheduler() {
    TlsProbe.Refused e = assertThrows(TlsProbe.Refused.class,
        () -> TlsProbe.check("127.0.0.1", tlsServer.getLocalPort(), Optional.of(otherKeyGoodTrust), true));
    assertTrue(e.getMessage().contains("it does not accept this node's certificate"), e.getMessage());
    assertTrue(e.getMessage().endsWith("; it must be signed by the scheduler's CA"), e.getMessage());
  }

  @Test
  void aTlsNodeAgainstAPlainPortIsToldSo() {
    TlsProbe.Refused e = assertThrows(TlsProbe.Refused.class,
        () -> TlsProbe.check("127.0.0.1", plainServer.getLocalPort(), Optional.of(good), true));
    assertTrue(e.getMessage().contains("it does not speak TLS on its cluster port"), e.getMessage());
  }

  @Test
  void aSchedulerCertificateForAnotherAddressFailsHostnameVerification() {
    // "localhost" reaches the same server, whose certificate names only 127.0.0.1
    TlsProbe.Refused e = assertThrows(TlsProbe.Refused.class,
        () -> TlsProbe.check("localhost", tlsServer.getLocalPort(), Optional.of(good), true));
    assertTrue(e.getMessage().contains("is not trusted by"), e.getMessage());
    assertTrue(e.getMessage().contains("localhost"), e.getMessage());
  }
}
