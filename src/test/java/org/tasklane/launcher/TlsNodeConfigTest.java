package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import com.typesafe.config.Config;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.TlsSetting;

/** {@code --tls-dir} (and {@code tasklane.tls.dir}) into Pekko's settings, and its one-line errors. */
class TlsNodeConfigTest {
  static Path certs;
  static Path node;

  @BeforeAll
  static void makeCerts() throws Exception {
    certs = TestCerts.get("node", "127.0.0.1");
    node = certs.resolve("127.0.0.1");
  }

  static NodeConfig worker(String host) {
    return new NodeConfig("worker", host, 0, null).seed("127.0.0.1", 17355);
  }

  @Test
  void aTlsFolderSwitchesArteryToTlsWithMutualAuthentication() throws Exception {
    Config c = worker("127.0.0.1").tlsDir(certs.toFile()).build();
    String engine = TlsNodeConfig.ENGINE;
    assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
    assertEquals("org.apache.pekko.remote.artery.tcp.ConfigSSLEngineProvider",
        c.getString("pekko.remote.artery.ssl.ssl-engine-provider"));
    assertEquals(node.resolve("keystore.p12").toString(), c.getString(engine + ".key-store"));
    assertEquals(node.resolve("truststore.p12").toString(), c.getString(engine + ".trust-store"));
    String password = Files.readString(node.resolve("password")).strip();
    assertEquals(password, c.getString(engine + ".key-store-password"));
    assertEquals(password, c.getString(engine + ".key-password"));
    assertEquals(password, c.getString(engine + ".trust-store-password"));
    assertTrue(c.getBoolean(engine + ".require-mutual-authentication"));
    assertTrue(c.getBoolean(engine + ".hostname-verification"));
    assertEquals("TLSv1.3", c.getString(engine + ".protocol"));
    assertEquals(node.toString(), c.getString(TlsSetting.DIR), "the host's own folder, for the HTTP servers");
  }

  @Test
  void withoutAFolderTheClusterPortIsPlainTcp() {
    Config c = worker("127.0.0.1").build();
    assertEquals("tcp", c.getString("pekko.remote.artery.transport"));
    assertEquals("", c.getString(TlsSetting.DIR));
  }

  @Test
  void theHoconSettingDoesTheSame() throws Exception {
    Path conf = TestCerts.tempDir("tls").resolve("node.conf");
    Files.writeString(conf, "tasklane.tls.dir = \"" + node + "\"\n");
    Config c = worker("127.0.0.1").file(conf.toFile()).build();
    assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
    assertEquals(node.resolve("keystore.p12").toString(), c.getString(TlsNodeConfig.ENGINE + ".key-store"));
  }

  @Test
  void aMissingFileIsOneLineNamingIt() throws Exception {
    Path partial = TestCerts.tempDir("tls-partial");
    Files.copy(node.resolve("keystore.p12"), partial.resolve("keystore.p12"));
    Files.copy(node.resolve("truststore.p12"), partial.resolve("truststore.p12"));
    TasklaneCli.UserError e = assertThrows(TasklaneCli.UserError.class,
        () -> worker("127.0.0.1").tlsDir(partial.toFile()).build());
    assertEquals("--tls-dir: the TLS file " + partial.resolve("password") + " does not exist: its first line is the "
        + "key stores' password", e.getMessage());
    File nowhere = new File("/nonexistent/tls");
    e = assertThrows(TasklaneCli.UserError.class, () -> worker("127.0.0.1").tlsDir(nowhere).build());
    assertTrue(e.getMessage().startsWith("--tls-dir: the TLS folder /nonexistent/tls does not exist"), e.getMessage());
  }

  @Test
  void aWrongPasswordIsOneLineWithoutThePassword() throws Exception {
    Path wrong = TestCerts.tempDir("tls-wrong");
    Files.copy(node.resolve("keystore.p12"), wrong.resolve("keystore.p12"));
    Files.copy(node.resolve("truststore.p12"), wrong.resolve("truststore.p12"));
    Files.writeString(wrong.resolve("password"), "not-the-password\n");
    TasklaneCli.UserError e = assertThrows(TasklaneCli.UserError.class,
        () -> worker("127.0.0.1").tlsDir(wrong.toFile()).build());
    assertEquals("--tls-dir: the password in " + wrong.resolve("password") + " does not open "
        + wrong.resolve("keystore.p12"), e.getMessage());
  }

  @Test
  void aCertificateForAnotherAddressIsRefusedAtStartUnlessHostnamesAreNotVerified() throws Exception {
    TasklaneCli.UserError e = assertThrows(TasklaneCli.UserError.class,
        () -> worker("10.9.9.9").tlsDir(node.toFile()).build());
    assertTrue(e.getMessage().contains("is for [127.0.0.1], not for this node's address 10.9.9.9 (--host)"), e.getMessage());
    Path conf = TestCerts.tempDir("tls-noverify").resolve("node.conf");
    Files.writeString(conf, TlsNodeConfig.ENGINE + ".hostname-verification = off\n");
    Config c = worker("10.9.9.9").tlsDir(node.toFile()).file(conf.toFile()).build();
    assertEquals("tls-tcp", c.getString("pekko.remote.artery.transport"));
  }
}
