package org.tasklane.worker.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.function.ToDoubleFunction;
import org.tasklane.protocol.DashboardProtocol;

/**
 * A worker node's figures for Prometheus, served on its metrics port ({@link MetricsServer}). One
 * {@link PrometheusRegistry} per node (never the library's static default), with the JVM's and
 * the process's own figures ({@link JvmMetrics}: heap, GC, threads, CPU, resident memory).
 *
 * <p>The {@code Worker} actors of the JVM (one, or {@code --nworkers} of them) update it: every
 * figure a worker publishes for dashboards anyway (a {@link DashboardProtocol.WorkerMetrics} twice a
 * second) is handed over whole and read at scrape time, each worker's series labelled
 * {@code worker="NAME"}; each finished task's run time goes into one histogram for the JVM,
 * labelled by task group only (a worker label would multiply its series by the workers), at most
 * {@code maxGroups} groups at once ({@link GroupLabels}; the rest as {@code group="other"}).
 */
public final class WorkerNodeMetrics {

  /** Task run times: from a built-in's microseconds to a long computation's minutes. */
  static final double[] DURATION_BUCKETS =
      {0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram taskSeconds;
  private final GroupLabels groups;
  /** Each worker's latest published figures, by name (bounded by the JVM's workers: removed as one stops). */
  private final java.util.concurrent.ConcurrentSkipListMap<String, DashboardProtocol.WorkerMetrics> latest =
      new java.util.concurrent.ConcurrentSkipListMap<>();

  /** Figures that no server exports (tests, and a worker without a metrics port). */
  public static WorkerNodeMetrics unexported() {
    return new WorkerNodeMetrics(MetricsSettings.DEFAULT);
  }

  public WorkerNodeMetrics(MetricsSettings settings) {
    this.groups = new GroupLabels(settings.maxGroups(), settings.groupIdle().toNanos());
    taskSeconds = Histogram.builder()
        .name("tasklane_worker_task_duration_seconds")
        .help("How long the worker's tasks ran (their function, inputs at hand), by task group; at most "
            + settings.maxGroups() + " groups at once, the rest as group=\"other\".")
        .unit(Unit.SECONDS)
        .labelNames("group")
        .classicOnly()
        .classicUpperBounds(DURATION_BUCKETS)
        .withoutExemplars()
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_worker_info")
        .help("The worker's name, the host other machines reach it on, and its cluster address (always 1).")
        .labelNames("worker", "host", "address")
        .callback(cb -> {
          for (DashboardProtocol.WorkerMetrics m : latest.values()) {
            cb.call(1, m.worker(), m.host(), m.address());
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_worker_tasks")
        .help("Tasks on the worker by state: executing (on a task thread now) or queued (waiting for a thread or "
            + "for inputs from peers).")
        .labelNames("worker", "state")
        .callback(cb -> {
          for (DashboardProtocol.WorkerMetrics m : latest.values()) {
            cb.call(m.figures().tasks().executing(), m.worker(), "executing");
            cb.call(m.figures().tasks().queued(), m.worker(), "queued");
          }
        })
        .register(registry);
    gauge("tasklane_worker_task_threads", "The worker's task threads (--nthreads).", null,
        DashboardProtocol.WorkerMetrics::nthreads);
    gauge("tasklane_worker_held_results", "Task results the worker holds in memory.", null,
        m -> m.figures().tasks().heldResults());
    gauge("tasklane_worker_held_bytes", "Bytes of the task results the worker holds in memory.", Unit.BYTES,
        m -> m.figures().tasks().heldBytes());
    gauge("tasklane_worker_process_memory_limit_bytes", "The memory the worker may use (--memory-limit, else its "
        + "host's memory).", Unit.BYTES, m -> m.figures().process().memoryLimitBytes());
    counter("tasklane_worker_tasks_finished_total", "Tasks the worker finished (ran, erred, or could not get "
        + "their inputs) since it started.", null, m -> m.figures().tasks().completed());
    CounterWithCallback.builder()
        .name("tasklane_worker_transfers_total")
        .help("Task results moved between this worker and its peers since it started: in = fetched from peers, "
            + "out = served to them.")
        .labelNames("worker", "direction")
        .callback(cb -> {
          for (DashboardProtocol.WorkerMetrics m : latest.values()) {
            cb.call(m.figures().transfers().in(), m.worker(), "in");
            cb.call(m.figures().transfers().out(), m.worker(), "out");
          }
        })
        .register(registry);
    CounterWithCallback.builder()
        .name("tasklane_worker_transfer_bytes_total")
        .help("Bytes of task results moved between this worker and its peers since it started, by direction.")
        .unit(Unit.BYTES)
        .labelNames("worker", "direction")
        .callback(cb -> {
          for (DashboardProtocol.WorkerMetrics m : latest.values()) {
            cb.call(m.figures().transfers().bytesIn(), m.worker(), "in");
            cb.call(m.figures().transfers().bytesOut(), m.worker(), "out");
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_worker_memory_bytes")
        .help("The worker's memory as its memory management counts it: managed = results held in memory, spilled = "
            + "results written to its spill folder, unmanaged = the rest of the heap in use after the last collection.")
        .unit(Unit.BYTES)
        .labelNames("worker", "kind")
        .callback(cb -> {
          for (DashboardProtocol.WorkerMetrics m : latest.values()) {
            DashboardProtocol.WorkerMemory mem = memory(m);
            cb.call(mem.managedBytes(), m.worker(), "managed");
            cb.call(mem.spilledBytes(), m.worker(), "spilled");
            cb.call(mem.unmanagedBytes(), m.worker(), "unmanaged");
          }
        })
        .register(registry);
    gauge("tasklane_worker_spilled_results", "Results the worker holds on disk, in its spill folder.", null,
        m -> memory(m).spilledResults());
    gauge("tasklane_worker_paused", "1 while the worker takes no new tasks because its memory is past the pause "
        + "fraction, else 0.", null, m -> memory(m).paused() ? 1 : 0);
    counter("tasklane_worker_spills_total", "Results written to disk to free memory since the worker started.", null,
        m -> memory(m).spills());
    counter("tasklane_worker_unspills_total", "Spilled results read back from disk since the worker started.", null,
        m -> memory(m).unspills());
    counter("tasklane_worker_pauses_total", "Times the worker paused for memory since it started.", null,
        m -> memory(m).pauses());
    counter("tasklane_worker_spill_failures_total", "Results that could not be spilled (disk full, folder unwritable "
        + "or at its bound) and stayed in memory.", null, m -> memory(m).spillFailures());
    JvmMetrics.builder().register(registry);
  }

  private static DashboardProtocol.WorkerMemory memory(DashboardProtocol.WorkerMetrics m) {
    return m == null ? DashboardProtocol.WorkerMemory.NONE : m.figures().memory();
  }

  /** A worker's figures of now (the actor calls it each time it publishes them). */
  public void published(DashboardProtocol.WorkerMetrics figures) {
    latest.put(figures.worker(), figures);
  }

  /** A worker stopped: its series go. */
  public void forget(String worker) {
    latest.remove(worker);
  }

  /** A task of {@code group} ran from {@code startMicros} to {@code stopMicros} (the actor calls it). */
  public void taskRan(String group, long startMicros, long stopMicros) {
    String label = groups.labelOf(group == null ? "" : group, System.nanoTime(), taskSeconds::remove);
    taskSeconds.labelValues(label).observe(Math.max(0, stopMicros - startMicros) / 1e6);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  private void gauge(String name, String help, Unit unit, ToDoubleFunction<DashboardProtocol.WorkerMetrics> value) {
    GaugeWithCallback.Builder b = GaugeWithCallback.builder().name(name).help(help).labelNames("worker").callback(cb -> {
      for (DashboardProtocol.WorkerMetrics m : latest.values()) {
        cb.call(value.applyAsDouble(m), m.worker());
      }
    });
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }

  private void counter(String name, String help, Unit unit, ToDoubleFunction<DashboardProtocol.WorkerMetrics> value) {
    CounterWithCallback.Builder b = CounterWithCallback.builder().name(name).help(help).labelNames("worker").callback(cb -> {
      for (DashboardProtocol.WorkerMetrics m : latest.values()) {
        cb.call(value.applyAsDouble(m), m.worker());
      }
    });
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }
}
