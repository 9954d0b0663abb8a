package org.tasklane.scheduler.metrics;

import io.prometheus.metrics.core.datapoints.CounterDataPoint;
import io.prometheus.metrics.core.datapoints.DistributionDataPoint;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import org.tasklane.protocol.TaskReport;
import org.tasklane.scheduler.SchedulerFigures;

/**
 * The scheduler node's figures in the Prometheus text format, served as {@code /metrics} on the
 * client API port. One {@link PrometheusRegistry} per node (never the library's static default, so
 * that tests in one JVM do not collide), with the JVM's own figures ({@link JvmMetrics}).
 *
 * <p>The {@code Scheduler} actor updates it: counters as it assigns and hears reports, the
 * {@link SchedulerFigures} (tasks and graphs by state, workers) about once a second, and
 * {@link MessageTiming} times each message it handles. Every method may be called from any thread.
 */
public final class SchedulerMetrics {

  /** {@code text/plain; version=0.0.4; charset=utf-8} */
  public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

  /** Handling times: most messages take microseconds, a large graph's submission may take a second. */
  static final double[] MESSAGE_BUCKETS = {1e-5, 5e-5, 1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.05, 0.1, 0.5, 1, 5};
  /** Time a message waits in the mailbox: 0 when idle, seconds when the actor falls behind. */
  static final double[] DELAY_BUCKETS = {1e-4, 5e-4, 1e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
  private final Counter assignments;
  private final Counter reports;
  /** {@link #reports}' series by outcome ordinal, looked up once: a label lookup per report allocates. */
  private final CounterDataPoint[] reportsByOutcome = new CounterDataPoint[TaskReport.Outcome.values().length];
  private final Histogram messageSeconds;
  private final Histogram mailboxDelay;
  private volatile SchedulerFigures figures = SchedulerFigures.NONE;

  public SchedulerMetrics() {
    assignments = Counter.builder()
        .name("tasklane_scheduler_assignments_total")
        .help("Tasks the scheduler assigned to workers (a task assigned again after a worker died counts again).")
        .register(registry);
    reports = Counter.builder()
        .name("tasklane_scheduler_task_reports_total")
        .help("Task reports the scheduler received from workers, by outcome (ok, erred, missing_data).")
        .labelNames("outcome")
        .register(registry);
    for (TaskReport.Outcome o : TaskReport.Outcome.values()) {
      reportsByOutcome[o.ordinal()] = reports.labelValues(label(o));
      reportsByOutcome[o.ordinal()].inc(0); // every outcome from the start: rate() works before the first
    }
    messageSeconds = Histogram.builder()
        .name("tasklane_scheduler_message_duration_seconds")
        .help("How long the scheduler actor took to handle one message, by message type (its event loop).")
        .unit(Unit.SECONDS)
        .labelNames("message")
        .classicOnly()
        .classicUpperBounds(MESSAGE_BUCKETS)
        .withoutExemplars()
        .register(registry);
    mailboxDelay = Histogram.builder()
        .name("tasklane_scheduler_mailbox_delay_seconds")
        .help("How long a probe message waited in the scheduler actor's mailbox before it was handled "
            + "(about one probe a second).")
        .unit(Unit.SECONDS)
        .classicOnly()
        .classicUpperBounds(DELAY_BUCKETS)
        .withoutExemplars()
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_scheduler_tasks")
        .help("Tasks of the graphs the scheduler holds, by state.")
        .labelNames("state")
        .callback(cb -> figures.tasks().forEach((state, n) -> cb.call(n, state)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_scheduler_graphs")
        .help("Graphs the scheduler holds, by state (finished graphs are kept for a while for their clients).")
        .labelNames("state")
        .callback(cb -> figures.graphs().forEach((state, n) -> cb.call(n, state)))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_scheduler_workers")
        .help("Workers registered with the scheduler.")
        .callback(cb -> cb.call(figures.workers()))
        .register(registry);
    GaugeWithCallback.builder()
        .name("tasklane_scheduler_worker_threads")
        .help("Task threads of the workers registered with the scheduler, summed.")
        .callback(cb -> cb.call(figures.threads()))
        .register(registry);
    JvmMetrics.builder().register(registry);
  }

  /** {@code n} tasks assigned to workers. */
  public void assigned(int n) {
    if (n > 0) {
      assignments.inc(n);
    }
  }

  /** Reports received from a worker. */
  public void reported(List<TaskReport> batch) {
    int[] byOutcome = new int[reportsByOutcome.length];
    for (int i = 0; i < batch.size(); i++) { // by index: no iterator per batch's report
      byOutcome[batch.get(i).outcome().ordinal()]++;
    }
    for (int o = 0; o < byOutcome.length; o++) {
      if (byOutcome[o] > 0) {
        reportsByOutcome[o].inc(byOutcome[o]);
      }
    }
  }

  /** The scheduler's figures of now (the actor calls it about once a second). */
  public void figures(SchedulerFigures now) {
    figures = now;
  }

  /** The handling-time series of one message type (kept by {@link MessageTiming}: no label lookup per message). */
  DistributionDataPoint messageTimer(String message) {
    return messageSeconds.labelValues(message);
  }

  /** A probe waited {@code nanos} in the mailbox. */
  void mailboxDelay(long nanos) {
    mailboxDelay.observe(Math.max(0, nanos) / 1e9);
  }

  /** The text format of every metric. */
  public byte[] scrape() {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream(16384);
      writer.write(out, registry.scrape());
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not throw
    }
  }

  private static String label(TaskReport.Outcome o) {
    return o.name().toLowerCase(Locale.ROOT);
  }
}
