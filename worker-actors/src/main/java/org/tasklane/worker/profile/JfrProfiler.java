package org.tasklane.worker.profile;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.worker.inspect.TaskThreads;

/**
 * The worker's sampling profiler: a JDK Flight Recorder stream of {@code jdk.ExecutionSample}
 * events (each running Java thread's stack, about once per {@code period}), attributed to tasks
 * ({@link SampleAttributor}), aggregated per interval ({@link ProfileAggregator}), and handed to
 * {@code publish} once per interval when there were samples. JFR delivers events in batches about
 * once a second; everything here runs on the stream's own thread.
 *
 * <p>What it costs is mostly per sampling period, not per task: each period JFR's sampler thread
 * stops up to five threads that are running Java code, one after the other, and walks their stacks
 * (about 100 us of its CPU per period on a busy worker, whatever the period); the stream parses the
 * samples once a second (about 1 ms of CPU per second). Per task, the task thread writes its
 * timeline (about 40 ns). See docs/profiling.md for the figures and why the period is 50 ms.
 *
 * <p>One per JVM: the workers of a JVM ({@code --nworkers}) each {@link #add} their task threads,
 * and each sample goes to the worker whose task thread it is, into that worker's own aggregate and
 * message. One recording stream whatever the number of workers.
 */
public final class JfrProfiler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(JfrProfiler.class);
  static final String EXECUTION_SAMPLE = "jdk.ExecutionSample";

  private final ProfileSettings settings;
  /** Set by the starting thread; null until then, or if Flight Recorder could not start. */
  private RecordingStream stream;
  private boolean closed;
  /** Who the log lines speak of: a worker's name, or the workers of the JVM. */
  private final String worker;
  private final long intervalNanos;
  private final OneEventType onlySamples = new OneEventType(EXECUTION_SAMPLE);
  /** The workers sampled: each its task threads, its aggregate and where its profiles go. */
  private final List<Target> targets = new java.util.concurrent.CopyOnWriteArrayList<>();
  /** The task threads' timelines by Java thread id, as of the last flush. */
  private Map<Long, TaskTimeline> timelines = Map.of();
  /** The worker of each task thread, by Java thread id, as of the last flush. */
  private Map<Long, Target> owners = Map.of();
  private long nextPublish;

  /** One worker's part: its threads and aggregate; the stream's thread alone touches its aggregate. */
  public final class Target implements AutoCloseable {
    private final TaskThreads threads;
    private final ProfileAggregator aggregator;
    private final SampleAttributor attributor;
    private final Consumer<DashboardProtocol.WorkerProfile> publish;
    private final String name;
    private final String incarnation;
    private long seq;

    private Target(TaskThreads threads, String name, String incarnation,
        Consumer<DashboardProtocol.WorkerProfile> publish) {
      this.threads = threads;
      this.aggregator = new ProfileAggregator(settings);
      this.attributor = new SampleAttributor(id -> timelines.get(id), aggregator);
      this.publish = publish;
      this.name = name;
      this.incarnation = incarnation;
    }

    /** The worker stops: its threads are no longer sampled for it. */
    @Override
    public void close() {
      targets.remove(this);
    }
  }

  private JfrProfiler(ProfileSettings settings, String worker) {
    this.settings = settings;
    this.worker = worker;
    this.intervalNanos = settings.interval().toNanos();
    this.nextPublish = System.nanoTime() + intervalNanos;
  }

  /**
   * Samples this worker's task threads too, from the next flush on.
   *
   * @param publish gets each interval's message for this worker, on the stream's thread
   */
  public Target add(TaskThreads threads, String name, String incarnation,
      Consumer<DashboardProtocol.WorkerProfile> publish) {
    Target t = new Target(threads, name, incarnation, publish);
    targets.add(t);
    return t;
  }

  /**
   * Starts sampling, for no worker yet ({@link #add} them), on a thread of its own (starting Flight
   * Recorder takes a while: never on an actor's thread), or returns null if the settings turn it off.
   * If this JVM cannot record, that thread says so in one line and the workers go on without profiling.
   *
   * @param who the workers, as the log lines name them
   */
  public static JfrProfiler start(ProfileSettings settings, String who) {
    if (!settings.enabled()) {
      return null;
    }
    JfrProfiler p = new JfrProfiler(settings, who);
    Thread t = new Thread(p::run, "profiler");
    t.setDaemon(true);
    t.start();
    return p;
  }

  /** On the profiler's thread: starts the stream and runs it until {@link #close}. */
  private void run() {
    RecordingStream s;
    try {
      s = new RecordingStream();
    } catch (RuntimeException | Error e) {
      log.warn("Worker {}: no profiling, this JVM cannot record with Flight Recorder: {}", worker, e.toString());
      return;
    }
    onlySamples.disableOthers(s::disable);
    s.enable(EXECUTION_SAMPLE).withPeriod(settings.period());
    s.setMaxAge(Duration.ofSeconds(30)); // what the stream keeps on disk once read
    s.setOrdered(false); // the samples go into counts: their order does not matter
    s.onEvent(EXECUTION_SAMPLE, this::onSample);
    s.onFlush(this::onFlush);
    synchronized (this) {
      if (closed) {
        s.close();
        return;
      }
      stream = s;
    }
    log.info("Worker {} samples its task threads every {} ms (tasklane.worker.profile)", worker,
        settings.period().toMillis());
    try {
      s.start(); // returns when the stream is closed
    } catch (RuntimeException e) {
      if (!isClosed()) {
        log.warn("Worker {}: the profiler's stream failed, no more profiles: {}", worker, e.toString());
      }
    }
  }

  private synchronized boolean isClosed() {
    return closed;
  }

  private void onSample(RecordedEvent e) {
    RecordedThread thread = e.getThread("sampledThread");
    RecordedStackTrace stack = e.getStackTrace();
    if (thread == null || stack == null) {
      return;
    }
    Target owner = owners.get(thread.getJavaThreadId());
    if (owner == null || timelines.get(thread.getJavaThreadId()) == null) {
      // not a task thread: no need to read its frames. A JVM of one worker counts them for it; with
      // several, no worker's figure would mean anything, so none does
      Object[] all = targets.toArray();
      if (all.length == 1) {
        ((Target) all[0]).aggregator.otherThread();
      }
      return;
    }
    List<RecordedFrame> frames = stack.getFrames();
    List<String> classes = new ArrayList<>(frames.size());
    List<String> methods = new ArrayList<>(frames.size());
    for (RecordedFrame f : frames) {
      classes.add(f.getMethod().getType().getName());
      methods.add(f.getMethod().getName());
    }
    owner.attributor.onSample(thread.getJavaThreadId(), micros(e.getStartTime()), classes, methods, stack.isTruncated());
  }

  private void onFlush() {
    Map<Long, TaskTimeline> now = new HashMap<>();
    Map<Long, Target> nowOwners = new HashMap<>();
    for (Target target : targets) {
      for (TaskThreads.Lane lane : target.threads.lanes()) {
        if (lane.timeline() != null) {
          now.put(lane.thread.getId(), lane.timeline());
          nowOwners.put(lane.thread.getId(), target);
        }
      }
    }
    timelines = now;
    owners = nowOwners;
    long t = System.nanoTime();
    if (t - nextPublish >= 0) {
      nextPublish = t + intervalNanos;
      onlySamples.disableOthers(stream::disable); // event classes loaded since (this is the stream's thread)
      for (Target target : targets) {
        DashboardProtocol.WorkerProfile p = target.aggregator.drain(target.name, target.incarnation, target.seq + 1);
        if (p != null) {
          target.seq++;
          target.publish.accept(p);
        }
      }
    }
  }

  private static long micros(Instant t) {
    return t.getEpochSecond() * 1_000_000L + t.getNano() / 1_000;
  }

  @Override
  public void close() {
    RecordingStream s;
    synchronized (this) {
      closed = true;
      s = stream;
    }
    if (s != null) {
      s.close();
    }
  }
}
