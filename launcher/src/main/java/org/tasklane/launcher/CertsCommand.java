package org.tasklane.launcher;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.tasklane.protocol.api.TlsFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tasklane certs DIR --hosts h1,h2}: a private CA ({@code DIR/ca/}) and, per host, a TLS
 * folder {@code DIR/HOST/} for {@code --tls-dir} (see {@link TlsFolder}): the node's key and a
 * certificate signed by the CA whose subject alternative name is the host (an IP address or a DNS
 * name), usable as server and as client (mutual authentication), the CA as trust store, and a random
 * password. Made by the JDK's own {@code keytool}, run as a process; every file readable by its
 * owner only. Refuses (one line) to replace an existing CA unless told to.
 */
@Command(
    name = "certs",
    mixinStandardHelpOptions = true,
    description = "Make a private CA and a TLS folder per host (for --tls-dir) with the JDK's keytool.")
final class CertsCommand implements Callable<Integer> {
  /** What a host may be: an IP address or a DNS name (nothing keytool's -ext syntax would misread). */
  private static final Pattern HOST = Pattern.compile("[A-Za-z0-9][A-Za-z0-9.:-]*");
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  static final String CA_DIR = "ca";
  static final String CA_STORE = "ca.p12";
  static final String CA_PEM = "ca.pem";
  /** keytool is a short-lived JVM: start it quickly. */
  private static final List<String> QUICK_JVM = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto");

  @Parameters(index = "0", paramLabel = "DIR", description = "Where to put the CA (DIR/ca/) and one folder per host (DIR/HOST/).")
  File dir;

  @Option(names = "--hosts", required = true, split = ",", paramLabel = "HOST,...",
      description = "The nodes' addresses (IP addresses or DNS names, as in their --host): one certificate each, "
          + "naming that address.")
  List<String> hosts;

  @Option(names = "--reuse-ca", description = "Sign the hosts' certificates with the CA already in DIR/ca/ "
      + "(to add hosts to a cluster).")
  boolean reuseCa;

  @Option(names = "--overwrite", description = "Replace an existing CA in DIR/ca/ with a new one (certificates made "
      + "with the old one stop working).")
  boolean overwrite;

  @Option(names = "--days", defaultValue = "825", description = "How long the node certificates are valid, in days "
      + "(default: ${DEFAULT-VALUE}; the CA: ten years).")
  int days;

  @Override
  public Integer call() throws Exception {
    if (reuseCa && overwrite) {
      throw new TasklaneCli.UserError("--reuse-ca and --overwrite exclude each other");
    }
    if (days < 1) {
      throw new TasklaneCli.UserError("--days must be at least 1, got " + days);
    }
    Set<String> unique = new LinkedHashSet<>();
    for (String h : hosts) {
      String host = h.strip();
      if (!HOST.matcher(host).matches() || host.equals(CA_DIR)) {
        throw new TasklaneCli.UserError("--hosts: '" + h + "' is not an IP address or a host name");
      }
      unique.add(host);
    }
    Path root = dir.toPath().toAbsolutePath().normalize();
    Path ca = root.resolve(CA_DIR);
    boolean haveCa = Files.exists(ca.resolve(CA_STORE));
    if (haveCa && !reuseCa && !overwrite) {
      throw new TasklaneCli.UserError(ca.resolve(CA_STORE) + " exists: add --reuse-ca to sign more hosts with it, "
          + "or --overwrite to replace it (certificates made with it then stop working)");
    }
    if (!haveCa && reuseCa) {
      throw new TasklaneCli.UserError("--reuse-ca: there is no CA in " + ca + " (leave out --reuse-ca to make one)");
    }
    privateDir(root);
    boolean newCa = !haveCa || overwrite;
    if (newCa) {
      makeCa(ca);
    }
    for (String host : unique) {
      makeNode(ca, root.resolve(host), host);
    }
    System.out.println("certs: " + (newCa ? "made a new CA in " + ca : "used the CA in " + ca) + " and TLS folders "
        + "for " + String.join(", ", unique) + " in " + root + "/HOST (PKCS12, owner-only files); start each node "
        + "with --tls-dir " + root + "/HOST (copy only that folder to its host; keep " + ca + " private)");
    return 0;
  }

  private void makeCa(Path ca) throws IOException, InterruptedException {
    privateDir(ca);
    for (String f : List.of(CA_STORE, CA_PEM, TlsFolder.PASSWORD)) {
      Files.deleteIfExists(ca.resolve(f));
    }
    Path password = writePassword(ca.resolve(TlsFolder.PASSWORD));
    String name = "CN=Tasklane CA " + HexFormat.of().formatHex(randomBytes(4)) + ", O=Tasklane";
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", name,
        "-ext", "bc:c=ca:true,pathlen:0", "-ext", "ku:c=keyCertSign,cRLSign", "-validity", "3650",
        "-storetype", "PKCS12", "-keystore", ca.resolve(CA_STORE).toString(), "-storepass:file", password.toString());
    keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.resolve(CA_STORE).toString(),
        "-storepass:file", password.toString(), "-file", ca.resolve(CA_PEM).toString());
    ownerOnly(ca.resolve(CA_STORE));
    ownerOnly(ca.resolve(CA_PEM));
  }

  private void makeNode(Path ca, Path node, String host) throws IOException, InterruptedException {
    privateDir(node);
    for (String f : List.of(TlsFolder.KEY_STORE, TlsFolder.TRUST_STORE, TlsFolder.PASSWORD, CA_PEM, "node.csr", "chain.pem")) {
      Files.deleteIfExists(node.resolve(f));
    }
    Path password = writePassword(node.resolve(TlsFolder.PASSWORD));
    Path caPassword = ca.resolve(TlsFolder.PASSWORD);
    String keyStore = node.resolve(TlsFolder.KEY_STORE).toString();
    Path csr = node.resolve("node.csr");
    Path chain = node.resolve("chain.pem");
    keytool("-genkeypair", "-alias", "node", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + host
        + ", O=Tasklane", "-validity", "" + days, "-storetype", "PKCS12", "-keystore", keyStore,
        "-storepass:file", password.toString());
    keytool("-certreq", "-alias", "node", "-keystore", keyStore, "-storepass:file", password.toString(),
        "-file", csr.toString());
    keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.resolve(CA_STORE).toString(),
        "-storepass:file", caPassword.toString(), "-infile", csr.toString(), "-outfile", chain.toString(),
        "-validity", "" + days, "-ext", "san=" + (isIp(host) ? "ip:" : "dns:") + host,
        "-ext", "ku:c=digitalSignature,keyAgreement", "-ext", "eku=serverAuth,clientAuth");
    // the reply is the node's certificate followed by the CA's: the whole chain goes into the key store
    Files.writeString(chain, Files.readString(chain) + Files.readString(ca.resolve(CA_PEM)), StandardCharsets.US_ASCII);
    keytool("-importcert", "-alias", "node", "-noprompt", "-keystore", keyStore, "-storepass:file", password.toString(),
        "-file", chain.toString());
    keytool("-importcert", "-alias", "ca", "-noprompt", "-storetype", "PKCS12",
        "-keystore", node.resolve(TlsFolder.TRUST_STORE).toString(), "-storepass:file", password.toString(),
        "-file", ca.resolve(CA_PEM).toString());
    Files.delete(csr);
    Files.delete(chain);
    Files.copy(ca.resolve(CA_PEM), node.resolve(CA_PEM)); // for curl --cacert, browsers
    for (String f : List.of(TlsFolder.KEY_STORE, TlsFolder.TRUST_STORE, CA_PEM)) {
      ownerOnly(node.resolve(f));
    }
  }

  static boolean isIp(String host) {
    return IPV4.matcher(host).matches() || host.contains(":");
  }

  /** Runs the JDK's keytool; a one-line error with its first line of output if it fails. */
  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(QUICK_JVM);
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new TasklaneCli.UserError("keytool " + args[0] + " did not finish within 60 s");
    }
    if (p.exitValue() != 0) {
      String first = out.lines().filter(l -> !l.isBlank()).findFirst().orElse("exit code " + p.exitValue());
      throw new TasklaneCli.UserError("keytool " + args[0] + " failed: " + first);
    }
  }

  private static Path writePassword(Path file) throws IOException {
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    Files.writeString(file, Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(24)) + "\n");
    return file;
  }

  private static byte[] randomBytes(int n) {
    byte[] b = new byte[n];
    new SecureRandom().nextBytes(b);
    return b;
  }

  private static void privateDir(Path d) throws IOException {
    Files.createDirectories(d);
    Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwx------"));
  }

  private static void ownerOnly(Path f) throws IOException {
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
  }
}
