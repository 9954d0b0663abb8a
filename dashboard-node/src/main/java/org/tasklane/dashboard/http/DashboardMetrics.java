package org.tasklane.dashboard.http;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;
import org.tasklane.dashboard.ClusterFigures;
import org.tasklane.dashboard.DashboardView;

/**
 * The dashboard's figures in the Prometheus text format (version 0.0.4), through the Prometheus
 * Java client: one {@link PrometheusRegistry} per dashboard whose callback metrics read, at scrape
 * time, the {@link ClusterFigures} the {@code Dashboard} actor handed over for this scrape and the
 * node's {@link SseStats}. The library writes the names, HELP and TYPE lines, and escapes label
 * values (group names are user input).
 *
 * <p>Names follow Prometheus conventions: the {@code tasklane_} prefix, base units (bytes,
 * seconds, ratios), {@code _total} on counters. The metrics and their labels are listed in
 * docs/dashboard.md. Scrapes run one at a time (they are rare and short).
 *
 * <p>With {@code jvm}, the JVM's and the process's own figures ({@link JvmMetrics}) too: a
 * dashboard of its own has them here, one inside a scheduler leaves them to the scheduler's
 * {@code /metrics} (one process, one set).
 */
public final class DashboardMetrics {

  /** {@code text/plain; version=0.0.4; charset=utf-8} */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  private static final Unit BYTES_PER_SECOND = new Unit("bytes_per_second");
  private static final String[] STATES = {"memory", "released", "erred", "processing", "waiting"};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final SseStats sse;
  /** The figures of the scrape running now; only read inside {@link #scrape}. */
  private ClusterFigures current;

  /** The dashboard's figures, without the JVM's. */
  public DashboardMetrics(SseStats sse) {
    this(sse, false);
  }

  /** The dashboard's figures, and with {@code jvm} the JVM's and the process's. */
  public DashboardMetrics(SseStats sse, boolean jvm) {
    this.sse = sse;
    registerCluster();
    registerWorkers();
    registerDashboard();
    if (jvm) {
      JvmMetrics.builder().register(registry);
    }
  }

  /** The text format of every metric, with the cluster as {@code figures} says. */
  public synchronized byte[] scrape(ClusterFigures figures) {
    current = figures;
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
      writer.write(out, registry.scrape());
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    } finally {
      current = null;
    }
  }

  // ------------------------------------------------------------------ the cluster

  private void registerCluster() {
    gauge("tasklane_workers", "Workers in the dashboard's worker table.", null, new String[0],
        (f, cb) -> cb.call(f.workers().size()));
    gauge("tasklane_worker_threads", "Task threads of all workers in the worker table.", null, new String[0],
        (f, cb) -> cb.call(f.workers().stream().mapToLong(DashboardView.Worker::nthreads).sum()));
    gauge("tasklane_tasks", "Tasks of the live graphs by state (the sum over the task groups).", null,
        new String[] {"state"}, (f, cb) -> {
          long[] sums = new long[STATES.length];
          for (DashboardView.Group g : f.groups()) {
            long[] counts = counts(g);
            for (int i = 0; i < sums.length; i++) {
              sums[i] += counts[i];
            }
          }
          for (int i = 0; i < STATES.length; i++) {
            cb.call(sums[i], STATES[i]);
          }
        });
    gauge("tasklane_group_tasks", "Tasks of each task group of the live graphs, by state.", null,
        new String[] {"group", "state"}, (f, cb) -> {
          for (DashboardView.Group g : f.groups()) {
            long[] counts = counts(g);
            for (int i = 0; i < STATES.length; i++) {
              cb.call(counts[i], g.name(), STATES[i]);
            }
          }
        });
    counter("tasklane_tasks_finished_total", "Tasks that finished (in memory or erred), counted by this dashboard from "
        + "the task events it has received since it started (each task once; tasks left out of an overfull "
        + "scheduler batch are not counted).", null, ClusterFigures::tasksFinished);
    counter("tasklane_tasks_erred_total", "Tasks that erred, counted by this dashboard from the task events it has "
        + "received since it started (each task once).", null, ClusterFigures::tasksErred);
    counter("tasklane_transfer_bytes_total", "Bytes of task inputs fetched from peer workers, summed by this dashboard over "
        + "the task events it has received since it started.", Unit.BYTES, ClusterFigures::transferBytes);
  }

  private static long[] counts(DashboardView.Group g) {
    return new long[] {g.memory(), g.released(), g.erred(), g.processing(), g.waiting()};
  }

  // ------------------------------------------------------------------ each worker

  private void registerWorkers() {
    workerGauge("tasklane_worker_cpu_ratio", "CPU use of the worker process, in cores (1 = one core busy).",
        Unit.RATIO, w -> w.figures().process().cpuPercent() / 100.0);
    workerGauge("tasklane_worker_memory_bytes", "Resident memory of the worker process.", Unit.BYTES,
        w -> w.figures().process().rssBytes());
    workerGauge("tasklane_worker_memory_limit_bytes", "Memory the worker may use (its limit, else its host's memory).",
        Unit.BYTES, w -> w.figures().process().memoryLimitBytes());
    workerGauge("tasklane_worker_network_receive_bytes_per_second", "Bytes per second the worker's host receives.",
        BYTES_PER_SECOND, w -> w.figures().host().netIn());
    workerGauge("tasklane_worker_network_transmit_bytes_per_second", "Bytes per second the worker's host sends.",
        BYTES_PER_SECOND, w -> w.figures().host().netOut());
    workerGauge("tasklane_worker_disk_read_bytes_per_second", "Bytes per second the worker's host reads from disk.",
        BYTES_PER_SECOND, w -> w.figures().host().diskRead());
    workerGauge("tasklane_worker_disk_write_bytes_per_second", "Bytes per second the worker's host writes to disk.",
        BYTES_PER_SECOND, w -> w.figures().host().diskWrite());
    workerGauge("tasklane_worker_latency_seconds", "Round trip of the scheduler's pings to the worker (0 before the first).",
        Unit.SECONDS, w -> w.latency() / 1000.0);
    workerGauge("tasklane_worker_tasks_executing", "Tasks the worker is running now.", null,
        w -> w.figures().tasks().executing());
    workerGauge("tasklane_worker_tasks_queued", "Tasks assigned to the worker that wait for a thread.", null,
        w -> w.figures().tasks().queued());
  }

  private void workerGauge(String name, String help, Unit unit, ToDoubleFunction<DashboardView.Worker> value) {
    gauge(name, help, unit, new String[] {"worker", "host"}, (f, cb) -> {
      for (DashboardView.Worker w : f.workers()) {
        cb.call(value.applyAsDouble(w), w.name(), w.host());
      }
    });
  }

  // ------------------------------------------------------------------ the dashboard itself

  private void registerDashboard() {
    GaugeWithCallback.builder()
        .name("tasklane_dashboard_sse_clients")
        .help("Browsers connected to this dashboard's event stream now.")
        .callback(cb -> cb.call(sse.clients()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tasklane_dashboard_sse_events_sent_total")
        .help("Events this dashboard handed to browsers' event streams since it started (heartbeats not counted).")
        .callback(cb -> cb.call(sse.eventsSent()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tasklane_dashboard_sse_clients_dropped_total")
        .help("Browsers this dashboard dropped since it started because they fell behind (they reconnect).")
        .callback(cb -> cb.call(sse.clientsDropped()))
        .register(registry);
    CounterWithCallback.builder()
        .name("tasklane_dashboard_events_received_total")
        .help("Messages this dashboard received since it started, by kind: scheduler_batch (the scheduler's "
            + "batches of events), snapshot (the scheduler's snapshots), worker_metrics (workers' figures).")
        .labelNames("kind")
        .callback(withFigures((f, cb) -> {
          cb.call(f.received().schedulerBatches(), "scheduler_batch");
          cb.call(f.received().snapshots(), "snapshot");
          cb.call(f.received().workerMetrics(), "worker_metrics");
        }))
        .register(registry);
    counter("tasklane_dashboard_event_gaps_total", "Scheduler batches after which this dashboard found batches "
        + "missing (or a new scheduler), each followed by a snapshot, since it started.", null,
        f -> f.received().gaps());
  }

  // ------------------------------------------------------------------ helpers

  /** A callback of a metric over the current scrape's figures. */
  private interface FiguresCallback<C> {
    void call(ClusterFigures figures, C callback);
  }

  private void gauge(
      String name, String help, Unit unit, String[] labels, FiguresCallback<GaugeWithCallback.Callback> values) {
    GaugeWithCallback.Builder b = GaugeWithCallback.builder().name(name).help(help).labelNames(labels)
        .callback(withFigures(values));
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }

  private void counter(String name, String help, Unit unit, ToLongFunction<ClusterFigures> value) {
    CounterWithCallback.Builder b = CounterWithCallback.builder().name(name).help(help)
        .callback(withFigures((f, cb) -> cb.call(value.applyAsLong(f))));
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }

  private <C> Consumer<C> withFigures(FiguresCallback<C> values) {
    return cb -> {
      ClusterFigures f = current;
      if (f != null) {
        values.call(f, cb);
      }
    };
  }
}
