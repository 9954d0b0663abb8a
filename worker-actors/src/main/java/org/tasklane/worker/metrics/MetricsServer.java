package org.tasklane.worker.metrics;

import com.sun.net.httpserver.HttpsConfigurator;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.Done;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorSystem;
import org.tasklane.protocol.api.TlsFolder;
import org.tasklane.protocol.api.TlsSetting;
import org.slf4j.LoggerFactory;

/**
 * The worker's {@code /metrics} (and the library's {@code /-/healthy}) on its own port: the
 * Prometheus Java client's small HTTP server (the JDK's {@code HttpServer} on a small bounded pool
 * of daemon threads), HTTPS when the node has a TLS folder ({@code --tls-dir}), like the other
 * nodes' HTTP ports. It stops with the actor system.
 */
public final class MetricsServer {
  private MetricsServer() {}

  /**
   * Scrapes are rare and short: two threads at most (none while idle) and 16 requests waiting; past
   * that a request is refused (its connection closed), and the worker's own threads never feel it.
   */
  static java.util.concurrent.ExecutorService executor() {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ThreadPoolExecutor pool = new java.util.concurrent.ThreadPoolExecutor(2, 2, 60,
        java.util.concurrent.TimeUnit.SECONDS, new java.util.concurrent.ArrayBlockingQueue<>(16), r -> {
          Thread t = new Thread(r, "metrics-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
    pool.allowCoreThreadTimeOut(true);
    return pool;
  }

  /**
   * Binds {@code settings.port()} on {@code settings.address()} (else {@code host}) and logs
   * {@code Worker metrics at: URL}. Returns the bound port.
   *
   * @throws UncheckedIOException if the port cannot be bound (in use, or no such interface)
   */
  public static int start(ActorSystem<?> system, WorkerNodeMetrics metrics, MetricsSettings settings, String host) {
    String address = !settings.address().isEmpty() ? settings.address()
        : !host.isEmpty() ? host : system.address().getHost().orElse("127.0.0.1");
    Optional<TlsFolder> tls = TlsSetting.fromConfig(system.settings().config());
    HTTPServer.Builder builder = HTTPServer.builder().hostname(address).port(settings.port()).registry(metrics.registry())
        .executorService(executor());
    if (tls.isPresent()) {
      builder.httpsConfigurator(new HttpsConfigurator(tls.get().httpsServerContext()));
    }
    HTTPServer server;
    try {
      server = builder.buildAndStart();
    } catch (IOException e) {
      throw new UncheckedIOException("could not serve the worker's metrics on " + address + ":" + settings.port()
          + " (" + e.getMessage() + "); choose another --metrics-port", e);
    }
    java.util.concurrent.atomic.AtomicBoolean open = new java.util.concurrent.atomic.AtomicBoolean(true);
    Runnable close = () -> {
      if (open.compareAndSet(true, false)) {
        server.close();
      }
    };
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseServiceUnbind(), "tasklane-worker-metrics", () -> {
      close.run();
      return CompletableFuture.completedFuture(Done.getInstance());
    });
    system.getWhenTerminated().thenRun(close);
    String shown = address.contains(":") ? "[" + address + "]" : address;
    LoggerFactory.getLogger(MetricsServer.class).info("Worker metrics at: {}://{}:{}/metrics",
        tls.isPresent() ? "https" : "http", shown, server.getPort());
    return server.getPort();
  }
}
