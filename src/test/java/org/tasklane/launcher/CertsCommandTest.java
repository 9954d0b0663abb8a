package org.tasklane.launcher;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.TlsFolder;

/** {@code tasklane certs}: a CA, a folder per host with certificates naming it, owner-only files, and no silent CA replacement. */
class CertsCommandTest {

  @Test
  void makesACaAndAFolderPerHostWhoseCertificateNamesIt() throws Exception {
    Path dir = TestCerts.get("two-hosts", "127.0.0.1,node-a.example");
    X509Certificate ca = caCertificate(dir);
    for (String host : List.of("127.0.0.1", "node-a.example")) {
      TlsFolder folder = TlsFolder.forNode(dir, host);
      assertEquals(dir.resolve(host), folder.dir());
      X509Certificate cert = folder.nodeCertificate();
      assertEquals(List.of(host), TlsFolder.subjectAltNames(cert));
      assertEquals(ca.getSubjectX500Principal(), cert.getIssuerX500Principal());
      cert.verify(ca.getPublicKey()); // signed by the CA
      assertTrue(cert.getExtendedKeyUsage().containsAll(List.of("1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2")),
          "usable as TLS server and client");
      KeyStore trust = folder.trustStore();
      assertEquals(1, trust.size());
      assertEquals(ca, trust.getCertificate(Collections.list(trust.aliases()).get(0)));
      for (String f : List.of(TlsFolder.KEY_STORE, TlsFolder.TRUST_STORE, TlsFolder.PASSWORD, "ca.pem")) {
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.dir().resolve(f))), f);
      }
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder.dir())));
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca/ca.p12"))));
    assertNotEquals(Files.readString(dir.resolve("127.0.0.1/password")), Files.readString(dir.resolve("ca/password")),
        "every folder has its own password");
  }

  @Test
  void refusesToReplaceAnExistingCaInOneLineAndAddsHostsWithReuseCa() throws Exception {
    Path dir = TestCerts.tempDir("tasklane-certs-reuse-");
    assertEquals(0, TestCerts.run("certs", dir.toString(), "--hosts", "127.0.0.1").exit());
    byte[] caBefore = Files.readAllBytes(dir.resolve("ca/ca.p12"));

    TestCerts.Cli again = TestCerts.run("certs", dir.toString(), "--hosts", "10.0.0.7");
    assertEquals(1, again.exit());
    assertEquals(List.of("certs: " + dir.resolve("ca/ca.p12") + " exists: add --reuse-ca to sign more hosts with it, "
        + "or --overwrite to replace it (certificates made with it then stop working)"), again.err().lines().toList());
    assertArrayEquals(caBefore, Files.readAllBytes(dir.resolve("ca/ca.p12")));
    assertFalse(Files.exists(dir.resolve("10.0.0.7")));

    TestCerts.Cli more = TestCerts.run("certs", dir.toString(), "--hosts", "10.0.0.7", "--reuse-ca");
    assertEquals(0, more.exit(), more.err());
    assertTrue(more.out().startsWith("certs: used the CA in " + dir.resolve("ca")), more.out());
    assertArrayEquals(caBefore, Files.readAllBytes(dir.resolve("ca/ca.p12")));
    X509Certificate added = TlsFolder.forNode(dir, "10.0.0.7").nodeCertificate();
    added.verify(caCertificate(dir).getPublicKey());
    assertEquals(List.of("10.0.0.7"), TlsFolder.subjectAltNames(added));
  }

  @Test
  void aBadHostIsOneLine() throws Exception {
    Path dir = TestCerts.tempDir("tasklane-certs-bad-");
    TestCerts.Cli bad = TestCerts.run("certs", dir.toString(), "--hosts", "ok.example,not a host");
    assertEquals(1, bad.exit());
    assertEquals(List.of("certs: --hosts: 'not a host' is not an IP address or a host name"), bad.err().lines().toList());
    assertFalse(Files.exists(dir.resolve("ca")), "nothing made");
  }

  private static X509Certificate caCertificate(Path dir) throws Exception {
    try (var in = Files.newInputStream(dir.resolve("ca/ca.pem"))) {
      return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
  }
}
