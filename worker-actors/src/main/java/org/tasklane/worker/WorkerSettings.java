package org.tasklane.worker;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.Address;

/**
 * The worker's settings, from the {@code tasklane.worker} block of the configuration.
 *
 * @param name the worker's name, unique in the cluster; empty means "its address"
 * @param host the host other machines reach it on; empty means "the cluster address's host"
 * @param address its cluster address as {@code host:port}; empty means "from the actor system"
 * @param nthreads how many tasks run at once (the executor's thread count)
 * @param fetchTimeout how long to wait for a peer to answer a fetch before trying the next holder
 * @param maxResultBytes a result larger than this makes its task erred instead of being held
 * @param nworkers how many workers the JVM runs, each with these settings and a name of its own ({@link WorkerNames})
 */
public record WorkerSettings(
    String name, String host, String address, int nthreads, Duration fetchTimeout, long maxResultBytes,
    int nworkers) {

  /** Where the settings live in the configuration. */
  public static final String CONFIG_PATH = "tasklane.worker";

  public WorkerSettings {
    name = name == null ? "" : name;
    host = host == null ? "" : host;
    address = address == null ? "" : address;
    if (nthreads < 1) {
      throw new IllegalArgumentException("nthreads must be at least 1, got " + nthreads);
    }
    if (fetchTimeout == null || fetchTimeout.isNegative() || fetchTimeout.isZero()) {
      throw new IllegalArgumentException("fetch-timeout must be positive, got " + fetchTimeout);
    }
    if (maxResultBytes < 1) {
      throw new IllegalArgumentException("max-result-bytes must be positive, got " + maxResultBytes);
    }
    WorkerNames.check(nworkers);
  }

  /** The settings of a JVM of one worker. */
  public WorkerSettings(
      String name, String host, String address, int nthreads, Duration fetchTimeout, long maxResultBytes) {
    this(name, host, address, nthreads, fetchTimeout, maxResultBytes, 1);
  }

  /**
   * Read the {@code tasklane.worker} block of this (root) configuration. {@code nthreads = 0}
   * means the number of cores.
   */
  public static WorkerSettings fromConfig(Config config) {
    Config c = config.getConfig(CONFIG_PATH);
    int nthreads = c.getInt("nthreads");
    if (nthreads == 0) {
      nthreads = Runtime.getRuntime().availableProcessors();
    }
    return new WorkerSettings(
        c.getString("name"),
        c.getString("host"),
        c.getString("address"),
        nthreads,
        c.getDuration("fetch-timeout"),
        c.getBytes("max-result-bytes"),
        c.getInt("nworkers"));
  }

  /** These settings with another name, host and address. */
  public WorkerSettings withIdentity(String name, String host, String address) {
    return new WorkerSettings(name, host, address, nthreads, fetchTimeout, maxResultBytes, nworkers);
  }

  /** These settings with another thread count. */
  public WorkerSettings withNthreads(int nthreads) {
    return new WorkerSettings(name, host, address, nthreads, fetchTimeout, maxResultBytes, nworkers);
  }

  /**
   * Fill an empty name, host or address from the actor system's address: the address is
   * {@code host:port}, the name defaults to the address (or the system name without a port).
   */
  public WorkerSettings withDefaultsFrom(Address systemAddress) {
    String h = host.isEmpty() ? systemAddress.getHost().orElse("") : host;
    String a = address;
    if (a.isEmpty() && systemAddress.getHost().isPresent() && systemAddress.getPort().isPresent()) {
      a = systemAddress.getHost().get() + ":" + systemAddress.getPort().get();
    }
    String n = name.isEmpty() ? (a.isEmpty() ? systemAddress.system() : a) : name;
    return new WorkerSettings(n, h, a, nthreads, fetchTimeout, maxResultBytes, nworkers);
  }
}
