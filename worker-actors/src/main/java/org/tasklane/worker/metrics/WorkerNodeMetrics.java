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
 * <p>The {@code Worker} actor updates it: every figure it publishes for dashboards anyway (a
 * {@link DashboardProtocol.WorkerMetrics} twice a second) is handed over whole and read at scrape
 * time, and each finished task's run time goes into a histogram labelled by task group, at most
 * {@code maxGroups} of them at once ({@link GroupLabels}; the rest as {@code group="other"}).
 */
public final class WorkerNodeMetrics {

  /** Task run times: from a built-in's microseconds to a long computation's minutes. */
  static final double[] DURATION_BUCKETS =
      {0.0005, 0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Histogram taskSeconds;
  private final GroupLabels groups;
  /** The worker's latest published figures; null until the first. */
  private volatile DashboardProtocol.WorkerMetrics latest;

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
          DashboardProtocol.WorkerMetrics m = latest;
          if (m != null) {
            cb.call(1, m.worker(), m.host(), m.address());
          }
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_worker_tasks")
        .help("Tasks on the worker by state: executing (on a task thread now) or queued (waiting for a thread or "
            + "for inputs from peers).")
        .labelNames("state")
        .callback(cb -> {
          DashboardProtocol.WorkerMetrics m = latest;
          cb.call(m == null ? 0 : m.figures().tasks().executing(), "executing");
          cb.call(m == null ? 0 : m.figures().tasks().queued(), "queued");
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
        .labelNames("direction")
        .callback(cb -> {
          DashboardProtocol.WorkerMetrics m = latest;
          cb.call(m == null ? 0 : m.figures().transfers().in(), "in");
          cb.call(m == null ? 0 : m.figures().transfers().out(), "out");
        })
        .register(registry);
    CounterWithCallback.builder()
        .name("tasklane_worker_transfer_bytes_total")
        .help("Bytes of task results moved between this worker and its peers since it started, by direction.")
        .unit(Unit.BYTES)
        .labelNames("direction")
        .callback(cb -> {
          DashboardProtocol.WorkerMetrics m = latest;
          cb.call(m == null ? 0 : m.figures().transfers().bytesIn(), "in");
          cb.call(m == null ? 0 : m.figures().transfers().bytesOut(), "out");
        })
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_worker_memory_bytes")
        .help("The worker's memory as its memory management counts it: managed = results held in memory, spilled = "
            + "results written to its spill folder, unmanaged = the rest of the heap in use after the last collection.")
        .unit(Unit.BYTES)
        .labelNames("kind")
        .callback(cb -> {
          DashboardProtocol.WorkerMemory mem = memory(latest);
          cb.call(mem.managedBytes(), "managed");
          cb.call(mem.spilledBytes(), "spilled");
          cb.call(mem.unmanagedBytes(), "unmanaged");
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

  /** The worker's figures of now (the actor calls it each time it publishes them). */
  public void published(DashboardProtocol.WorkerMetrics figures) {
    latest = figures;
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
    GaugeWithCallback.Builder b = GaugeWithCallback.builder().name(name).help(help).callback(cb -> {
      DashboardProtocol.WorkerMetrics m = latest;
      cb.call(m == null ? 0 : value.applyAsDouble(m));
    });
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }

  private void counter(String name, String help, Unit unit, ToDoubleFunction<DashboardProtocol.WorkerMetrics> value) {
    CounterWithCallback.Builder b = CounterWithCallback.builder().name(name).help(help).callback(cb -> {
      DashboardProtocol.WorkerMetrics m = latest;
      cb.call(m == null ? 0 : value.applyAsDouble(m));
    });
    if (unit != null) {
      b.unit(unit);
    }
    b.register(registry);
  }
}
