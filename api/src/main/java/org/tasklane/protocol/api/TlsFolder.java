package org.tasklane.protocol.api;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A node's TLS folder ({@code --tls-dir DIR}, {@code tasklane.tls.dir}), as {@code tasklane certs}
 * makes it. The file names mean:
 *
 * <ul>
 *   <li>{@value #KEY_STORE}: this node's private key and certificate (signed by the cluster's CA),
 *       PKCS12; shown to other nodes on the cluster port, and on the HTTP ports unless
 *       {@value #HTTPS_KEY_STORE} is there.
 *   <li>{@value #TRUST_STORE}: the CA certificate(s) whose certificates this node accepts from other
 *       nodes; clients ({@code submit}, {@code TasklaneClient}) trust the HTTP ports through it.
 *   <li>{@value #PASSWORD}: first line, the password of both stores (and of the key in them).
 *   <li>{@value #HTTPS_KEY_STORE} (optional): a separate key and certificate for the HTTP ports
 *       (the client API, the dashboard), e.g. one from a public CA that browsers trust; its password
 *       is the first line of {@value #HTTPS_PASSWORD}, else of {@value #PASSWORD}.
 * </ul>
 *
 * Passwords are read from these files only, and never appear in a message. Pure JDK: the client
 * uses it too.
 */
public final class TlsFolder {
  public static final String KEY_STORE = "keystore.p12";
  public static final String TRUST_STORE = "truststore.p12";
  public static final String PASSWORD = "password";
  public static final String HTTPS_KEY_STORE = "https-keystore.p12";
  public static final String HTTPS_PASSWORD = "https-password";
  /** A password file larger than this is not a password file. */
  private static final int MAX_PASSWORD_BYTES = 4096;

  private final Path dir;

  private TlsFolder(Path dir) {
    this.dir = dir;
  }

  /**
   * The TLS folder at {@code dir}, or, if {@code dir} has no {@value #KEY_STORE} but a subfolder named
   * {@code host} has (what {@code tasklane certs DIR --hosts ...} makes), that subfolder. Checks that
   * every file a node needs is there and readable, and that the password opens both stores.
   *
   * @throws IllegalArgumentException with a one-line message naming the file
   */
  public static TlsFolder forNode(Path dir, String host) {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) {
      throw new IllegalArgumentException("the TLS folder " + d + " does not exist (make one with 'tasklane certs "
          + d + " --hosts HOST,...')");
    }
    if (!Files.exists(d.resolve(KEY_STORE)) && host != null && Files.isDirectory(d.resolve(host))) {
      d = d.resolve(host);
    }
    TlsFolder folder = new TlsFolder(d);
    folder.keyStore();
    folder.trustStore();
    if (Files.exists(d.resolve(HTTPS_KEY_STORE))) {
      folder.httpsKeyStore();
    }
    return folder;
  }

  /**
   * A folder that a client uses only to trust the servers: just {@value #TRUST_STORE} and
   * {@value #PASSWORD} are needed.
   *
   * @throws IllegalArgumentException with a one-line message naming the file
   */
  public static TlsFolder forClient(Path dir) {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(d)) {
      throw new IllegalArgumentException("the TLS folder " + d + " does not exist");
    }
    TlsFolder folder = new TlsFolder(d);
    folder.trustStore();
    return folder;
  }

  public Path dir() {
    return dir;
  }

  public Path keyStorePath() {
    return dir.resolve(KEY_STORE);
  }

  public Path trustStorePath() {
    return dir.resolve(TRUST_STORE);
  }

  /** The first line of {@value #PASSWORD}: for Pekko's configuration only, never for a message. */
  public String password() {
    return readPassword(dir.resolve(PASSWORD));
  }

  /** The key store of the cluster port. */
  public KeyStore keyStore() {
    return load(keyStorePath(), password());
  }

  /** The trust store: the CA certificates this node accepts. */
  public KeyStore trustStore() {
    return load(trustStorePath(), password());
  }

  /** The key store of the HTTP ports: {@value #HTTPS_KEY_STORE} if there, else {@value #KEY_STORE}. */
  public KeyStore httpsKeyStore() {
    Path separate = dir.resolve(HTTPS_KEY_STORE);
    if (!Files.exists(separate)) {
      return keyStore();
    }
    Path pw = dir.resolve(HTTPS_PASSWORD);
    return load(separate, Files.exists(pw) ? readPassword(pw) : password());
  }

  /** The password of {@link #httpsKeyStore()}'s key. */
  private char[] httpsKeyPassword() {
    Path pw = dir.resolve(HTTPS_PASSWORD);
    boolean separate = Files.exists(dir.resolve(HTTPS_KEY_STORE)) && Files.exists(pw);
    return (separate ? readPassword(pw) : password()).toCharArray();
  }

  /** An HTTPS server's context: the HTTP ports' key, no client certificates asked for. */
  public SSLContext httpsServerContext() {
    try {
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(httpsKeyStore(), httpsKeyPassword());
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the HTTPS key in " + dir + ": " + e.getMessage());
    }
  }

  /** A client's context that trusts what {@value #TRUST_STORE} trusts (and nothing else). */
  public SSLContext clientContext() {
    return context(false);
  }

  /** A client's context that also shows this node's certificate (what a node's cluster connection does). */
  public SSLContext mutualContext() {
    return context(true);
  }

  private SSLContext context(boolean withKey) {
    try {
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trustStore());
      KeyManagerFactory kmf = null;
      if (withKey) {
        kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keyStore(), password().toCharArray());
      }
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), null);
      return ctx;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the TLS folder " + dir + ": " + e.getMessage());
    }
  }

  /** This node's own certificate (the first key entry's), to check that it names the node's host. */
  public X509Certificate nodeCertificate() {
    return firstKeyCertificate(keyStore(), keyStorePath());
  }

  /** The host names and IP addresses a certificate is for (its subject alternative names). */
  public static List<String> subjectAltNames(X509Certificate cert) {
    List<String> names = new ArrayList<>();
    try {
      var sans = cert.getSubjectAlternativeNames();
      if (sans != null) {
        for (List<?> san : sans) {
          Object type = san.get(0);
          if (Integer.valueOf(2).equals(type) || Integer.valueOf(7).equals(type)) { // dNSName, iPAddress
            names.add(String.valueOf(san.get(1)));
          }
        }
      }
    } catch (java.security.cert.CertificateParsingException e) {
      // no usable names
    }
    return Collections.unmodifiableList(names);
  }

  private static X509Certificate firstKeyCertificate(KeyStore ks, Path file) {
    try {
      for (String alias : Collections.list(ks.aliases())) {
        if (ks.isKeyEntry(alias)) {
          Certificate c = ks.getCertificate(alias);
          if (c instanceof X509Certificate x) {
            return x;
          }
        }
      }
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read " + file + ": " + e.getMessage());
    }
    throw new IllegalArgumentException(file + " holds no private key with a certificate (make one with 'tasklane certs')");
  }

  private static KeyStore load(Path file, String password) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("the TLS file " + file + " does not exist (make the folder with "
          + "'tasklane certs DIR --hosts HOST,...')");
    }
    if (!Files.isReadable(file)) {
      throw new IllegalArgumentException("the TLS file " + file + " cannot be read by this user");
    }
    try (InputStream in = Files.newInputStream(file)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password.toCharArray());
      return ks;
    } catch (IOException e) {
      // a wrong password shows as an IOException whose cause is an UnrecoverableKeyException
      boolean badPassword = e.getCause() instanceof java.security.UnrecoverableKeyException;
      throw new IllegalArgumentException(badPassword
          ? "the password in " + file.resolveSibling(PASSWORD) + " does not open " + file
          : "cannot read " + file + " as a PKCS12 key store: " + e.getMessage());
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot read " + file + " as a PKCS12 key store: " + e.getMessage());
    }
  }

  private static String readPassword(Path file) {
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("the TLS file " + file + " does not exist: its first line is the key stores' "
          + "password");
    }
    try {
      if (Files.size(file) > MAX_PASSWORD_BYTES) {
        throw new IllegalArgumentException(file + " is not a password file (over " + MAX_PASSWORD_BYTES + " bytes)");
      }
      String text = Files.readString(file, StandardCharsets.UTF_8);
      String first = text.lines().findFirst().orElse("").strip();
      if (first.isEmpty()) {
        throw new IllegalArgumentException("the TLS password file " + file + " is empty");
      }
      return first;
    } catch (IOException e) {
      throw new IllegalArgumentException("the TLS file " + file + " cannot be read: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return dir.toString();
  }
}
