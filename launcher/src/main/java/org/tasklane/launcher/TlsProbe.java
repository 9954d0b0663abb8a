package org.tasklane.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import org.tasklane.protocol.api.TlsFolder;

/**
 * Before a node joins, one TLS handshake with the scheduler's cluster port, as the node's own
 * cluster connection will make it (its key, its trust store, hostname verification). Pekko only
 * logs a failed handshake and retries until the join times out; this says at once, in one line, why
 * the node cannot join: the scheduler speaks TLS and this node does not (or the other way round),
 * the scheduler's certificate is not from this node's CA, or the scheduler refuses this node's
 * certificate. Anything it cannot tell (a reset connection) is left to the join itself.
 */
final class TlsProbe {
  private TlsProbe() {}

  /** How long to wait for the scheduler to refuse this node's certificate after the handshake (TLS 1.3 says so late). */
  static final int REFUSAL_WAIT_MILLIS = 1500;
  static final int CONNECT_MILLIS = 3000;

  /** The scheduler and this node disagree about TLS: the node cannot join, and starting again will not help. */
  static final class Refused extends TasklaneCli.UserError {
    Refused(String message) {
      super(message);
    }
  }

  /**
   * Checks that this node (with {@code tls}, or without TLS if empty) can make a cluster connection
   * to {@code host:port}; returns quietly if so, or if it cannot tell.
   *
   * @param verifyHost whether the scheduler's certificate must name {@code host} (Pekko's hostname verification)
   * @throws Refused in one line if it cannot
   */
  static void check(String host, int port, Optional<TlsFolder> tls, boolean verifyHost) {
    String at = "the scheduler at " + host + ":" + port;
    Recorder recorder;
    SSLContext ctx;
    try {
      recorder = new Recorder(tls.isPresent() ? trustManager(tls.get().trustStore()) : null);
      ctx = SSLContext.getInstance("TLS");
      ctx.init(tls.isPresent() ? keyManagers(tls.get()) : null, new TrustManager[] {recorder}, null);
    } catch (GeneralSecurityException e) {
      throw new TasklaneCli.UserError("--tls-dir: cannot use " + tls.map(TlsFolder::dir).orElse(null) + ": " + e.getMessage());
    }
    try (Socket plain = new Socket()) {
      plain.connect(new InetSocketAddress(host, port), CONNECT_MILLIS);
      plain.setSoTimeout(CONNECT_MILLIS);
      SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
      if (tls.isPresent() && verifyHost) {
        SSLParameters params = socket.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(params);
      }
      try {
        socket.startHandshake();
      } catch (SSLException e) {
        if (tls.isEmpty() && recorder.chain != null) {
          throw speaksTls(at, recorder.chain[0]);
        }
        if (recorder.chain == null) {
          if (tls.isPresent()) {
            throw new Refused("cannot join " + at + ": it does not speak TLS on its cluster port (started without "
                + "--tls-dir?); start every node with a --tls-dir from the same CA, or none");
          }
          return; // neither speaks TLS: the plain join goes ahead
        }
        if (recorder.refusal != null) {
          throw new Refused("cannot join " + at + ": its TLS certificate (" + describe(recorder.chain[0]) + ") is not "
              + "trusted by " + tls.get().trustStorePath() + " (wrong CA?): " + firstLine(recorder.refusal));
        }
        throw new Refused("cannot join " + at + ": the TLS handshake failed: " + firstLine(e));
      }
      if (tls.isEmpty()) {
        throw speaksTls(at, recorder.chain[0]); // not reached: without a folder the recorder refuses every certificate
      }
      // TLS 1.3: the server checks this node's certificate after the client's side of the handshake
      // is done, and says so with an alert on the next read; silence means it was accepted
      socket.setSoTimeout(REFUSAL_WAIT_MILLIS);
      try {
        socket.getInputStream().read();
      } catch (SocketTimeoutException accepted) {
        return;
      } catch (SSLException e) {
        throw new Refused("cannot join " + at + ": it does not accept this node's certificate ("
            + describe(tls.get().nodeCertificate()) + ", from " + tls.get().keyStorePath() + "): " + firstLine(e)
            + "; it must be signed by the scheduler's CA");
      }
    } catch (IOException e) {
      // refused, reset or timed out: nothing learnt about TLS; the join itself will tell
    }
  }

  private static Refused speaksTls(String at, X509Certificate cert) {
    return new Refused("cannot join " + at + ": it speaks TLS on its cluster port (its certificate: " + describe(cert)
        + ") and this node has no TLS folder; start it with --tls-dir DIR holding a certificate from the same CA "
        + "(tasklane certs)");
  }

  private static javax.net.ssl.KeyManager[] keyManagers(TlsFolder tls) throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(tls.keyStore(), tls.password().toCharArray());
    return kmf.getKeyManagers();
  }

  private static X509ExtendedTrustManager trustManager(KeyStore trustStore) throws GeneralSecurityException {
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trustStore);
    for (TrustManager tm : tmf.getTrustManagers()) {
      if (tm instanceof X509ExtendedTrustManager x) {
        return x;
      }
    }
    throw new GeneralSecurityException("no X.509 trust manager");
  }

  static String describe(X509Certificate cert) {
    return cert.getSubjectX500Principal().getName() + ", issued by " + cert.getIssuerX500Principal().getName()
        + ", for " + TlsFolder.subjectAltNames(cert);
  }

  private static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }

  /**
   * Notes the server's certificate chain, and whether the delegate (this node's trust store) refused
   * it. Without a delegate (a node without TLS) it only learns that the server speaks TLS, and then
   * refuses, so that no data is ever sent on the strength of an unchecked certificate.
   */
  private static final class Recorder extends X509ExtendedTrustManager {
    private final X509ExtendedTrustManager delegate;
    volatile X509Certificate[] chain;
    volatile CertificateException refusal;

    Recorder(X509ExtendedTrustManager delegate) {
      this.delegate = delegate;
    }

    private void check(X509Certificate[] c, CheckedCall call) throws CertificateException {
      chain = c;
      if (delegate == null) {
        throw new CertificateException("not checked: this node has no TLS folder");
      }
      try {
        call.run();
      } catch (CertificateException e) {
        refusal = e;
        throw e;
      }
    }

    private interface CheckedCall {
      void run() throws CertificateException;
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
      check(c, () -> delegate.checkServerTrusted(c, authType, socket));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType, SSLEngine engine) throws CertificateException {
      check(c, () -> delegate.checkServerTrusted(c, authType, engine));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] c, String authType) throws CertificateException {
      check(c, () -> delegate.checkServerTrusted(c, authType));
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType, Socket socket) throws CertificateException {
      throw new CertificateException("a probe is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType, SSLEngine engine) throws CertificateException {
      throw new CertificateException("a probe is never a server");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] c, String authType) throws CertificateException {
      throw new CertificateException("a probe is never a server");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return delegate == null ? new X509Certificate[0] : delegate.getAcceptedIssuers();
    }
  }
}
