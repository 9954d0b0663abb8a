package org.tasklane.system.hosts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Several hosts on one machine: a network namespace per host, each with one address on a private
 * bridge (in a namespace of its own). Only addresses inside namespaces this class creates are ever
 * used, and {@link #close} deletes them all. Needs root (CI runs as root).
 */
public final class TestHosts implements AutoCloseable {
  private final String prefix = "tl" + Integer.toString(ThreadLocalRandom.current().nextInt(1 << 20), 36);
  private final String bridgeNs = prefix + "-br";
  /** A /24 that none of our namespaces' hosts shares with anything else: it exists only inside them. */
  private final String subnet = "10.231." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
  private final Map<String, String> addressOf = new LinkedHashMap<>();
  private final Map<String, String> vethOf = new LinkedHashMap<>();

  /** Skips the calling test unless this process may create network namespaces. */
  public static void assumeAvailable() {
    boolean root = "root".equals(System.getProperty("user.name"));
    boolean ip = Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
        || Files.isExecutable(Path.of("/usr/bin/ip"));
    Assumptions.assumeTrue(root && ip, "multi-host tests need root and iproute2 (CI runs as root)");
  }

  public TestHosts() throws IOException, InterruptedException {
    sh("ip netns add " + bridgeNs);
    sh("ip -n " + bridgeNs + " link add br0 type bridge");
    sh("ip -n " + bridgeNs + " link set br0 up");
    sh("ip -n " + bridgeNs + " link set lo up");
  }

  /** Adds a host (a namespace named after it) and returns its address. */
  public String add(String name) throws IOException, InterruptedException {
    String ns = ns(name);
    int n = addressOf.size() + 1;
    String address = subnet + n;
    String inHost = "v" + n;
    String inBridge = "b" + prefix.substring(2) + n;
    sh("ip netns add " + ns);
    sh("ip link add " + inBridge + " type veth peer name " + inHost);
    sh("ip link set " + inHost + " netns " + ns);
    sh("ip link set " + inBridge + " netns " + bridgeNs);
    sh("ip -n " + bridgeNs + " link set " + inBridge + " master br0");
    sh("ip -n " + bridgeNs + " link set " + inBridge + " up");
    sh("ip -n " + ns + " addr add " + address + "/24 dev " + inHost);
    sh("ip -n " + ns + " link set lo up");
    sh("ip -n " + ns + " link set " + inHost + " up");
    addressOf.put(name, address);
    vethOf.put(name, inBridge);
    return address;
  }

  public String address(String name) {
    return addressOf.get(name);
  }

  public String ns(String name) {
    return prefix + "-" + name;
  }

  /** The host's link to the others goes down (a partition) or comes back. */
  public void link(String name, boolean up) throws IOException, InterruptedException {
    sh("ip -n " + bridgeNs + " link set " + vethOf.get(name) + (up ? " up" : " down"));
  }

  /** A command run inside a host's namespace. */
  public ProcessBuilder on(String name, List<String> command) {
    List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns(name)));
    cmd.addAll(command);
    return new ProcessBuilder(cmd);
  }

  /**
   * An executable that works like {@code ssh HOST CMD} for these hosts: it runs CMD with bash in
   * the namespace of the host whose address (or name) is HOST.
   */
  public Path sshWrapper(Path dir) throws IOException {
    StringBuilder s = new StringBuilder("#!/usr/bin/env bash\n# ssh stand-in for test hosts: $0 HOST CMD\nset -e\nhost=\"$1\"; shift\ncase \"$host\" in\n");
    addressOf.forEach((name, addr) ->
        s.append("  ").append(addr).append("|").append(name).append(") ns=").append(ns(name)).append(" ;;\n"));
    s.append("  *) echo \"no test host $host\" >&2; exit 255 ;;\nesac\nexec ip netns exec \"$ns\" bash -c \"$*\"\n");
    Path file = dir.resolve("ssh-" + prefix);
    Files.writeString(file, s.toString(), StandardCharsets.UTF_8);
    file.toFile().setExecutable(true);
    return file;
  }

  /** An executable that runs Debian's chromium inside a host's namespace (for Playwright's executablePath). */
  public Path chromiumIn(String host, Path dir) throws IOException {
    Path file = dir.resolve("chromium-" + ns(host));
    Files.writeString(file, "#!/usr/bin/env bash\nexec ip netns exec " + ns(host) + " /usr/bin/chromium \"$@\"\n",
        StandardCharsets.UTF_8);
    file.toFile().setExecutable(true);
    return file;
  }

  /** An HTTP GET made from inside a host's namespace (curl); the body, or a failure. */
  public String httpGet(String fromHost, String url, String... curlOptions) throws IOException, InterruptedException {
    List<String> curl = new java.util.ArrayList<>(List.of("curl", "-sS", "--fail-with-body", "--max-time", "10"));
    curl.addAll(List.of(curlOptions));
    curl.add(url);
    Process p = on(fromHost, curl).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(20, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IOException("curl " + url + " timed out");
    }
    if (p.exitValue() != 0) {
      throw new IOException("curl " + url + " failed (" + p.exitValue() + "): " + out.trim());
    }
    return out;
  }

  /** Deletes every namespace this created (their links go with them). */
  @Override
  public void close() {
    for (String name : addressOf.keySet()) {
      quietly("ip netns pids " + ns(name) + " | xargs -r kill -9");
      quietly("ip netns del " + ns(name));
    }
    quietly("ip netns del " + bridgeNs);
  }

  private static void quietly(String cmd) {
    try {
      sh(cmd);
    } catch (IOException | InterruptedException | IllegalStateException e) {
      // best effort on the way out
    }
  }

  static void sh(String cmd) throws IOException, InterruptedException {
    Process p = new ProcessBuilder("bash", "-c", cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("timed out: " + cmd);
    }
    if (p.exitValue() != 0) {
      throw new IllegalStateException("'" + cmd + "' failed (" + p.exitValue() + "): " + out.trim());
    }
  }
}
