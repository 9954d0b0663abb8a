package org.tasklane.testkit;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.tasklane.client.Tasklane;
import org.tasklane.client.TasklaneClient;
import org.tasklane.scheduler.SchedulerMain;
import org.tasklane.worker.WorkerMain;

/**
 * A Tasklane cluster inside the test's own JVM, like Dask's {@code LocalCluster(processes=False)}:
 * a scheduler (with its client API on a free loopback port, no dashboard) and {@code n} workers,
 * each its own actor system, talking over loopback as separate processes would. Your functions
 * are on the test's classpath already, so nothing needs shipping, but the client ships them as it
 * would to a real cluster (uploads are allowed here), so the test covers that path too.
 *
 * <pre>{@code
 * try (LocalTasklane cluster = LocalTasklane.start(2); Tasklane tl = cluster.client()) {
 *   assertEquals(49, tl.submit(MyMath::square, 7).get(30, SECONDS));
 * }
 * }</pre>
 */
public final class LocalTasklane implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

  private final ActorSystem<Void> scheduler;
  private final List<ActorSystem<Void>> workers;
  private final String apiUrl;

  private LocalTasklane(ActorSystem<Void> scheduler, List<ActorSystem<Void>> workers, String apiUrl) {
    this.scheduler = scheduler;
    this.workers = workers;
    this.apiUrl = apiUrl;
  }

  /** Starts a scheduler and {@code workers} workers of two threads each; returns once every worker is registered. */
  public static LocalTasklane start(int workers) {
    return start(workers, 2);
  }

  /** Starts a scheduler and {@code workers} workers of {@code threads} threads each. */
  public static LocalTasklane start(int workers, int threads) {
    if (workers < 1 || threads < 1) {
      throw new IllegalArgumentException("a local cluster needs at least one worker of one thread");
    }
    String name = "tasklane-local";
    SchedulerMain.Started node;
    try {
      node = SchedulerMain.start(node("scheduler", name, Map.of(
          "tasklane.scheduler.api.port", 0,
          "tasklane.scheduler.api.address", "127.0.0.1",
          "tasklane.scheduler.code.allow-upload", "on")), Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while the scheduler started", e);
    }
    ActorSystem<Void> scheduler = node.system();
    Address seed = Cluster.get(scheduler).selfMember().address();
    Cluster.get(scheduler).manager().tell(Join.create(seed));
    List<ActorSystem<Void>> started = new ArrayList<>();
    LocalTasklane cluster = new LocalTasklane(scheduler, started,
        "http://127.0.0.1:" + node.api().getPort());
    try {
      for (int i = 0; i < workers; i++) {
        ActorSystem<Void> w = WorkerMain.start(node("worker", name, Map.of(
            "tasklane.worker.nthreads", threads,
            "tasklane.worker.name", "local-worker-" + i,
            // closing the cluster stops every worker at once: none has anyone to hand its results to
            "tasklane.worker.retire-timeout", "1s")));
        started.add(w);
        Cluster.get(w).manager().tell(Join.create(seed));
      }
      cluster.awaitWorkers(workers);
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private static Config node(String role, String name, Map<String, Object> settings) {
    Map<String, Object> all = new HashMap<>(settings);
    all.put("pekko.remote.artery.canonical.hostname", "127.0.0.1");
    all.put("pekko.remote.artery.canonical.port", 0);
    all.put("pekko.cluster.roles", List.of(role));
    all.put("pekko.cluster.seed-nodes", List.of());
    all.put("pekko.cluster.jmx.multi-mbeans-in-same-jvm", "on");
    all.put("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook", "off");
    all.put("tasklane.cluster-name", name);
    return ConfigFactory.parseMap(all)
        .withFallback(ConfigFactory.parseResources("tasklane-node.conf"))
        .withFallback(ConfigFactory.load())
        .resolve();
  }

  /** Waits until the scheduler lists {@code n} workers. */
  private void awaitWorkers(int n) {
    TasklaneClient api = new TasklaneClient(java.net.URI.create(apiUrl));
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (api.workers().size() < n) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the local cluster's " + n + " workers did not all register within "
            + START_TIMEOUT.toSeconds() + " s (" + api.workers().size() + " did)");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the local cluster started", e);
      }
    }
  }

  /** The scheduler's client API, e.g. {@code http://127.0.0.1:41234}. */
  public String apiUrl() {
    return apiUrl;
  }

  /** A new client of this cluster (close it when done). */
  public Tasklane client() {
    return Tasklane.connect(apiUrl);
  }

  /** How many workers it has. */
  public int workers() {
    return workers.size();
  }

  /** Stops the workers, then the scheduler, and waits for them. */
  @Override
  public void close() {
    for (ActorSystem<Void> w : workers) {
      w.terminate();
    }
    for (ActorSystem<Void> w : workers) {
      await(w);
    }
    scheduler.terminate();
    await(scheduler);
  }

  private static void await(ActorSystem<Void> system) {
    try {
      system.getWhenTerminated().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      // stopped as far as it would
    }
  }
}
