package org.tasklane.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Topics;
import org.tasklane.worker.metrics.HostSample;
import org.tasklane.worker.metrics.WorkerNodeMetrics;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.worker.health.WorkerReadiness;
import org.tasklane.worker.code.JavaCalls;
import org.tasklane.worker.inspect.InspectSettings;
import org.tasklane.worker.inspect.LogBuffer;
import org.tasklane.worker.inspect.RateLimit;
import org.tasklane.worker.profile.JfrProfiler;
import org.tasklane.worker.profile.ProfileSettings;

/**
 * The worker: gathers each assigned task's inputs (from its own {@link ResultStore} or from peers'
 * data endpoints), runs tasks on its own thread pool (never on the actor's dispatcher), holds the
 * results, and reports to the scheduler in batches.
 *
 * <p>Tasks whose inputs are here go to the {@link TaskLanes}: {@code nthreads} threads that run
 * them lowest assignment order first and wake the actor once per batch of results. Reports leave
 * in batches too (see {@link ReportBatcher}), one {@link SchedulerProtocol.TasksFinished} per batch.
 *
 * <p>Stopped gracefully, the node asks it to {@link Retire} before it leaves the cluster: it tells
 * the scheduler ({@link SchedulerProtocol.RetireWorker}), keeps running what it has and serving its
 * results while the scheduler has other workers copy the ones only it holds, and answers once the
 * scheduler says it may go ({@link WorkerProtocol.Retired}), the scheduler is gone, or
 * {@code tasklane.worker.retire-timeout} (plus a margin) has passed.
 */
public final class Worker extends AbstractBehavior<WorkerProtocol.Command> {

  /** Held ids listed in a {@link WorkerProtocol.WorkerStatus}, at most. */
  static final int MAX_STATUS_IDS = 1000;

  /** Tasks finished on the lanes' threads: collect their results. */
  private enum ResultsWaiting implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** A peer answered one of this worker's fetches (forwarded by its data endpoint). */
  private record FetchReplied(WorkerProtocol.DataFetched reply)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** A fetch got no answer in time. */
  private record FetchTimedOut(long requestId) implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}
  /** A node became unreachable ({@code lost}), reachable again, or was removed from the cluster. */
  private record PeerChanged(org.apache.pekko.actor.Address address, boolean lost, boolean removed)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** Send the reports collected so far. */
  private enum FlushReports implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The memory monitor moved the worker to another level: run, pause or restart. */
  private record MemoryLevelChanged(org.tasklane.worker.memory.MemoryThresholds.Level level)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** Time to publish this worker's figures for dashboards. */
  private enum PublishMetrics implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** How often the worker publishes its figures on {@link Topics#WORKER_METRICS}. */
  static final java.time.Duration METRICS_INTERVAL = java.time.Duration.ofMillis(500);

  /** The timer key of the report flush. */
  private enum FlushTimer {
    INSTANCE
  }

  /** While results stream in, at most one report message per this window (see {@link ReportBatcher}). */
  static final java.time.Duration FLUSH_INTERVAL = java.time.Duration.ofMillis(2);

  /** The timer key of a fetch request. */
  private record FetchTimer(long requestId) {}

  /**
   * The node is stopping gracefully: hand results to other workers through the scheduler, then
   * answer (the node's coordinated shutdown waits for the answer before it leaves the cluster).
   */
  record Retire(ActorRef<org.apache.pekko.Done> replyTo)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** Stop waiting for the scheduler's answer to a retirement, for this reason. */
  private record RetireGiveUp(String why) implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** While retiring: is the scheduler still there to answer? */
  private enum RetireCheck implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** How long after the scheduler's own deadline the worker stops waiting for its answer. */
  static final java.time.Duration RETIRE_MARGIN = java.time.Duration.ofSeconds(5);
  private static final String REMOVED = "this node is being removed from the cluster";

  /** How often a retiring worker checks that the scheduler is still a member. */
  static final java.time.Duration RETIRE_CHECK_INTERVAL = java.time.Duration.ofMillis(250);

  private final WorkerSettings settings;
  private final TimerScheduler<WorkerProtocol.Command> timers;
  private final ResultStore store;
  private final TaskLanes lanes;
  private final TaskRunner runner;
  private final WorkerInfo info;
  private final ActorRef<WorkerProtocol.DataCommand> data;
  private final InputFetcher fetcher;
  /** Runs java: functions: jars fetched from the scheduler's code server, one class loader per jar set. */
  private final JavaCalls javaCalls;

  /** What it shares with the other workers of its JVM: sampler, memory, profiler, publisher, ... */
  private final JvmResources jvm;
  /** It made {@link #jvm} for itself (a worker on its own, in tests) and closes it when it stops. */
  private final boolean ownsJvm;
  /** Its figures for Prometheus (served on its metrics port, if it has one). */
  private final WorkerNodeMetrics nodeMetrics;
  /** Spills, pauses and restarts the worker by its memory (see {@link MemoryGuard}). */
  private final MemoryGuard memory;
  /** Assignments that arrived while the worker was paused, oldest first (the scheduler bounds them per worker). */
  private final java.util.ArrayDeque<WorkerProtocol.AssignTasks> deferred = new java.util.ArrayDeque<>();
  private final String incarnation = java.util.UUID.randomUUID().toString();
  private long metricsSeq;
  private ActorRef<SchedulerProtocol.Command> scheduler;
  /** The current scheduler has pinged this worker (it pings only registered workers) or assigned it tasks. */
  private boolean acknowledged;
  /** The current scheduler's node is unreachable or gone. */
  private boolean schedulerLost;
  /** What the readiness check reads (WorkerReadyCheck): registered with a reachable scheduler. */
  private final WorkerReadiness readiness;
  private long nextSeq;
  private final ReportBatcher reports = new ReportBatcher(FLUSH_INTERVAL, System::nanoTime);
  /** A {@link FlushReports} is in the mailbox. */
  private boolean flushPending;
  private long transfersIn;
  private long bytesIn;
  private long tasksCompleted;
  private final java.time.Duration retireTimeout;
  /** What a dashboard may ask of this worker up close (its logs, a thread dump). */
  private final InspectSettings inspect;
  /** This process's last log lines; null if the worker keeps none ({@code inspect.logs = off}). */
  private final LogBuffer logs;
  private final RateLimit dumps;
  /** Its part in the JVM's profiler (samples its task threads, publishes its call trees); null if off. */
  private final JfrProfiler.Target profiler;
  /** Who waits for this worker's retirement to end; empty unless it is retiring. */
  private final List<ActorRef<org.apache.pekko.Done>> retireWaiters = new ArrayList<>(1);

  /**
   * The worker. Spawn it as {@code "worker"} (its data endpoint is its child {@code "data"}, a path
   * the configuration routes over Artery's large-message lane).
   *
   * @param settings its settings; an empty name, host or address is filled from the system's address
   * @param registry the functions it can run
   * @param executorFactory makes its thread pool, called once with {@code settings.nthreads()}
   */
  public static Behavior<WorkerProtocol.Command> create(
      WorkerSettings settings, FunctionRegistry registry, ExecutorFactory executorFactory) {
    return create(settings, registry, executorFactory, WorkerNodeMetrics.unexported());
  }

  /**
   * As {@link #create(WorkerSettings, FunctionRegistry, ExecutorFactory)}, its figures kept in {@code nodeMetrics}:
   * a worker on its own, which makes (and stops) what workers of a JVM share for itself.
   */
  public static Behavior<WorkerProtocol.Command> create(
      WorkerSettings settings, FunctionRegistry registry, ExecutorFactory executorFactory,
      WorkerNodeMetrics nodeMetrics) {
    return Behaviors.setup(context -> {
      WorkerSettings resolved = settings.withDefaultsFrom(context.getSystem().address());
      JvmResources own = new JvmResources(context, List.of(resolved.name()), nodeMetrics);
      return Behaviors.withTimers(timers -> new Worker(context, timers, resolved, registry, executorFactory, own, true));
    });
  }

  /** One of the workers of a JVM ({@link WorkerGuardian}), sharing {@code jvm} with the others. */
  static Behavior<WorkerProtocol.Command> create(
      WorkerSettings settings, FunctionRegistry registry, ExecutorFactory executorFactory, JvmResources jvm) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Worker(
        context, timers, settings.withDefaultsFrom(context.getSystem().address()), registry, executorFactory, jvm,
        false)));
  }

  private Worker(
      ActorContext<WorkerProtocol.Command> context,
      TimerScheduler<WorkerProtocol.Command> timers,
      WorkerSettings settings,
      FunctionRegistry registry,
      ExecutorFactory executorFactory,
      JvmResources jvm,
      boolean ownsJvm) {
    super(context);
    this.settings = settings;
    this.jvm = jvm;
    this.ownsJvm = ownsJvm;
    this.nodeMetrics = jvm.metrics;
    this.timers = timers;
    this.readiness = jvm.readiness;
    readiness.notRegistered(settings.name(), "no scheduler has acknowledged this worker yet");
    this.memory = jvm.memory.join(settings.name(),
        level -> context.getSelf().tell(new MemoryLevelChanged(level)));
    this.store = memory.store();
    this.javaCalls = jvm.javaCalls;
    this.runner = new TaskRunner(registry, settings.name(), settings.maxResultBytes(), javaCalls);
    this.info = new WorkerInfo(settings.name(), settings.host(), settings.address(), settings.nthreads(),
        registry.names(), ProcessHandle.current().pid());
    ActorRef<WorkerProtocol.DataFetched> fetched =
        context.messageAdapter(WorkerProtocol.DataFetched.class, FetchReplied::new);
    this.data = context.spawn(
        Behaviors.supervise(DataEndpoint.create(store, settings.name(), fetched, context.getSelf())).onFailure(SupervisorStrategy.restart()),
        "data");
    this.fetcher = new InputFetcher(data);
    ActorRef<WorkerProtocol.Command> self = context.getSelf();
    ProfileSettings profile = jvm.profile;
    this.lanes = new TaskLanes(executorFactory.create(settings.nthreads()), settings.nthreads(), runner,
        () -> self.tell(ResultsWaiting.INSTANCE), profile.enabled() ? profile.history() : 0);
    context.getSystem().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, context.getSelf()));
    this.retireTimeout = context.getSystem().settings().config().getDuration("tasklane.worker.retire-timeout");
    this.inspect = jvm.inspect;
    this.logs = jvm.logs;
    this.dumps = new RateLimit(inspect.dumpInterval());
    timers.startTimerWithFixedDelay(PublishMetrics.INSTANCE, METRICS_INTERVAL);
    if (clustered()) {
      followPeers(context);
    }
    this.profiler = jvm.profile(lanes.threads(), settings.name(), incarnation);
    if (jvm.nworkers == 1) {
      context.getLog().info("Worker {} started with {} threads and functions {}",
          settings.name(), settings.nthreads(), registry.names());
    } else { // the guardian says it once for all of them
      context.getLog().debug("Worker {} started with {} threads", settings.name(), settings.nthreads());
    }
  }

  @Override
  public Receive<WorkerProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WorkerProtocol.RegisterWith.class, this::onRegisterWith)
        .onMessage(WorkerProtocol.AssignTasks.class, this::onAssignTasks)
        .onMessage(WorkerProtocol.ReleaseResults.class, this::onReleaseResults)
        .onMessage(WorkerProtocol.GetWorkerStatus.class, this::onGetWorkerStatus)
        .onMessage(WorkerProtocol.Ping.class, this::onPing)
        .onMessage(WorkerProtocol.FetchReplicas.class, this::onFetchReplicas)
        .onMessage(WorkerProtocol.GetRunningTasks.class, this::onGetRunningTasks)
        .onMessage(WorkerProtocol.GetLogs.class, this::onGetLogs)
        .onMessage(WorkerProtocol.GetThreadDump.class, this::onGetThreadDump)
        .onMessage(Retire.class, this::onRetire)
        .onMessage(WorkerProtocol.Retired.class, this::onRetired)
        .onMessage(RetireGiveUp.class, this::onRetireGiveUp)
        .onMessageEquals(RetireCheck.INSTANCE, this::onRetireCheck)
        .onMessageEquals(ResultsWaiting.INSTANCE, this::onResultsWaiting)
        .onMessage(FetchReplied.class, this::onFetchReplied)
        .onMessage(FetchTimedOut.class, this::onFetchTimedOut)
        .onMessage(PeerChanged.class, this::onPeerChanged)
        .onMessageEquals(FlushReports.INSTANCE, this::onFlushReports)
        .onMessageEquals(PublishMetrics.INSTANCE, this::onPublishMetrics)
        .onMessage(MemoryLevelChanged.class, this::onMemoryLevelChanged)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<WorkerProtocol.Command> onRegisterWith(WorkerProtocol.RegisterWith msg) {
    if (scheduler != null && !scheduler.equals(msg.scheduler())) {
      getContext().getLog().info("Worker {}: scheduler {} (incarnation {}) replaces {}",
          settings.name(), msg.scheduler(), msg.schedulerIncarnation(), scheduler);
    }
    if (!msg.scheduler().equals(scheduler)) {
      acknowledged = false;
      schedulerLost = false;
      readiness.notRegistered(settings.name(), "registering with the scheduler at " + msg.scheduler().path().address());
    }
    scheduler = msg.scheduler();
    javaCalls.useServer(msg.code());
    scheduler.tell(new SchedulerProtocol.RegisterWorker(getContext().getSelf(), data, info));
    if (memory.paused()) {
      scheduler.tell(new SchedulerProtocol.WorkerPaused(getContext().getSelf(), true));
    }
    if (!reports.isEmpty()) {
      flushSoon();
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onAssignTasks(WorkerProtocol.AssignTasks msg) {
    acknowledge();
    if (memory.paused()) {
      deferred.add(msg); // no new tasks (nor their inputs' fetches) until memory falls
      return this;
    }
    for (TaskAssignment task : msg.tasks()) {
      if (!runner.knows(task.fn())) {
        tasksCompleted++;
        report(runner.unknownFunction(task, List.of(), TaskRunner.nowMicros()));
        continue;
      }
      javaCalls.prefetch(task);
      PendingTask pending = new PendingTask(nextSeq++, task);
      List<TaskAssignment.Input> remote = null;
      Set<Long> remoteIds = null;
      for (TaskAssignment.Input input : task.inputs()) {
        long id = input.taskId();
        ResultStore.Stored held = store.inMemory(id);
        if (held != null) {
          pending.values.put(id, held.value());
        } else if (store.isSpilled(id) && !pending.spilled.contains(id)) {
          pending.spilled.add(id); // read back on the task's thread
          pending.spillSource = store;
        } else if (!pending.values.containsKey(id)) {
          if (remote == null) {
            remote = new ArrayList<>();
            remoteIds = new HashSet<>();
          }
          if (remoteIds.add(id)) {
            remote.add(input);
          }
        }
      }
      if (remote == null) {
        lanes.submit(pending);
      } else if (fetcher.want(pending, remote)) {
        settled(pending);
      }
    }
    sendFetches();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onReleaseResults(WorkerProtocol.ReleaseResults msg) {
    for (long id : msg.taskIds()) {
      store.remove(id);
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onPing(WorkerProtocol.Ping msg) {
    if (msg.replyTo().equals(scheduler)) {
      acknowledge(); // before the answer: whoever sees the pong sees the worker ready
    }
    msg.replyTo().tell(new SchedulerProtocol.Pong(getContext().getSelf(), msg.sentNanos(), memory.paused()));
    return this;
  }

  private Behavior<WorkerProtocol.Command> onGetWorkerStatus(WorkerProtocol.GetWorkerStatus msg) {
    msg.replyTo().tell(new WorkerProtocol.WorkerStatus(info, figures(), store.ids(MAX_STATUS_IDS)));
    return this;
  }

  private Behavior<WorkerProtocol.Command> onResultsWaiting() {
    for (TaskLanes.Done d : lanes.drain()) {
      tasksCompleted++;
      TaskReport report = d.result().report();
      nodeMetrics.taskRan(d.task().assignment.group(), report.startMicros(), report.stopMicros());
      if (report.outcome() == TaskReport.Outcome.OK) {
        store.put(report.taskId(), d.result().value(), report.nbytes());
        memory.stored();
      }
      report(report);
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFetchReplied(FetchReplied msg) {
    WorkerProtocol.DataFetched reply = msg.reply();
    timers.cancel(new FetchTimer(reply.requestId()));
    InputFetcher.Arrivals arrivals = fetcher.onReply(reply, TaskRunner.nowMicros());
    for (WorkerProtocol.DataItem item : arrivals.items()) {
      store.put(item.taskId(), item.value(), item.nbytes());
      memory.stored();
      transfersIn++;
      bytesIn += item.nbytes();
    }
    for (PendingTask task : arrivals.settled()) {
      settled(task);
    }
    sendFetches();
    reportReplicas();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFetchTimedOut(FetchTimedOut msg) {
    List<PendingTask> settled = fetcher.onTimeout(msg.requestId());
    getContext().getLog().debug("Worker {}: fetch {} timed out", settings.name(), msg.requestId());
    for (PendingTask task : settled) {
      settled(task);
    }
    sendFetches();
    reportReplicas();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFlushReports() {
    flushPending = false;
    timers.cancel(FlushTimer.INSTANCE);
    if (scheduler == null || reports.isEmpty()) {
      return this;
    }
    for (List<TaskReport> batch : reports.take()) {
      scheduler.tell(new SchedulerProtocol.TasksFinished(getContext().getSelf(), batch));
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onPublishMetrics() {
    DashboardProtocol.WorkerMetrics figures = new DashboardProtocol.WorkerMetrics(
        info.name(), incarnation, ++metricsSeq, System.currentTimeMillis(), info.host(), info.address(),
        info.nthreads(), figures());
    jvm.publisher.tell(new org.tasklane.worker.metrics.MetricsPublisher.Figures(figures));
    nodeMetrics.published(figures);
    return this;
  }

  /** The worker's figures now: the one place they are filled (a new figure: here, its record, the page). */
  private DashboardProtocol.WorkerFigures figures() {
    HostSample host = jvm.hostShare();
    return new DashboardProtocol.WorkerFigures(
        new DashboardProtocol.WorkerFigures.Tasks(lanes.executing(), lanes.queued() + fetcher.waitingTasks(),
            store.count(), store.totalBytes(), tasksCompleted),
        new DashboardProtocol.WorkerFigures.Transfers(transfersIn, bytesIn, store.servedItems(), store.servedBytes()),
        new DashboardProtocol.WorkerFigures.Process(host.cpuPercent(), host.rssBytes(), host.memoryLimitBytes()),
        DashboardProtocol.WorkerFigures.Host.ofRates(host.netInBytesPerSec(), host.netOutBytesPerSec(),
            host.diskReadBytesPerSec(), host.diskWriteBytesPerSec()),
        memory.figures());
  }

  private Behavior<WorkerProtocol.Command> onMemoryLevelChanged(MemoryLevelChanged msg) {
    boolean wasPaused = memory.paused();
    boolean resumed = memory.onLevel(msg.level());
    lanes.pause(memory.paused()); // the tasks it holds wait too, not only new assignments
    if (wasPaused != memory.paused() && scheduler != null) {
      // the scheduler gives a paused worker no new tasks (what it sends meanwhile is deferred here)
      scheduler.tell(new SchedulerProtocol.WorkerPaused(getContext().getSelf(), memory.paused()));
    }
    if (resumed) {
      while (!deferred.isEmpty() && !memory.paused()) {
        onAssignTasks(deferred.poll());
      }
    }
    return this;
  }

  // ------------------------------------------------------------------ up close (a dashboard asks)

  private Behavior<WorkerProtocol.Command> onGetRunningTasks(WorkerProtocol.GetRunningTasks msg) {
    msg.replyTo().tell(WorkerInspection.runningTasks(info.name(), lanes.threads().lanes(),
        lanes.queued() + fetcher.waitingTasks()));
    return this;
  }

  private Behavior<WorkerProtocol.Command> onGetLogs(WorkerProtocol.GetLogs msg) {
    msg.replyTo().tell(WorkerInspection.logs(info.name(), logs, msg));
    return this;
  }

  private Behavior<WorkerProtocol.Command> onGetThreadDump(WorkerProtocol.GetThreadDump msg) {
    msg.replyTo().tell(WorkerInspection.dump(info.name(), lanes.threads().lanes(), dumps, inspect));
    return this;
  }

  // ------------------------------------------------------------------ graceful retirement

  /** The scheduler asks for copies of results a retiring worker holds alone. */
  private Behavior<WorkerProtocol.Command> onFetchReplicas(WorkerProtocol.FetchReplicas msg) {
    List<Long> held = new ArrayList<>(0);
    for (TaskAssignment.Input input : msg.results()) {
      if (store.contains(input.taskId())) {
        held.add(input.taskId());
      } else {
        fetcher.replicate(input);
      }
    }
    sendFetches();
    reportReplicas(held);
    return this;
  }

  private void reportReplicas() {
    reportReplicas(List.of());
  }

  private void reportReplicas(List<Long> alsoHeld) {
    InputFetcher.Replicas r = fetcher.drainReplicas();
    if ((r.isEmpty() && alsoHeld.isEmpty()) || scheduler == null) {
      return;
    }
    List<Long> stored = new ArrayList<>(alsoHeld);
    stored.addAll(r.stored());
    scheduler.tell(new SchedulerProtocol.ReplicasFetched(getContext().getSelf(), stored, r.failed()));
  }

  private Behavior<WorkerProtocol.Command> onRetire(Retire msg) {
    boolean first = retireWaiters.isEmpty();
    retireWaiters.add(msg.replyTo());
    if (!first) {
      return this;
    }
    if (scheduler == null) {
      finishRetiring("not registered with a scheduler, nothing to hand off");
      return this;
    }
    String gone = schedulerGone();
    if (gone != null) {
      finishRetiring(gone + "; leaving without handing off its results (they are computed again)");
      return this;
    }
    scheduler.tell(new SchedulerProtocol.RetireWorker(getContext().getSelf(), retireTimeout));
    timers.startSingleTimer(RetireGiveUp.class, new RetireGiveUp("no answer from the scheduler in "
        + retireTimeout.plus(RETIRE_MARGIN).toSeconds() + " s; leaving (its results are computed again)"),
        retireTimeout.plus(RETIRE_MARGIN));
    if (clustered()) {
      timers.startTimerWithFixedDelay(RetireCheck.INSTANCE, RETIRE_CHECK_INTERVAL);
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onRetired(WorkerProtocol.Retired msg) {
    if (!retireWaiters.isEmpty()) {
      getContext().getLog().info(msg.describe(settings.name()));
      finishRetiring(null);
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onRetireGiveUp(RetireGiveUp msg) {
    if (!retireWaiters.isEmpty()) {
      finishRetiring(msg.why());
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onRetireCheck() {
    String gone = schedulerGone();
    if (gone != null && !retireWaiters.isEmpty()) {
      finishRetiring(gone + "; leaving without waiting for the hand-off (its results are computed again)");
    }
    return this;
  }

  /**
   * Answers whoever waits for the retirement; logs why first, if there is a reason to. When the
   * cluster removed this node, the launcher says so in its one line: no second line here.
   */
  private void finishRetiring(String why) {
    if (why != null && why.startsWith(REMOVED)) {
      getContext().getLog().debug("worker {} retiring: {}", settings.name(), why);
    } else if (why != null) {
      getContext().getLog().info("worker {} retiring: {}", settings.name(), why);
    }
    timers.cancel(RetireGiveUp.class);
    timers.cancel(RetireCheck.INSTANCE);
    retireWaiters.forEach(r -> r.tell(org.apache.pekko.Done.getInstance()));
    retireWaiters.clear();
  }

  /**
   * Fetches from a peer that died must not wait out their timeout: the worker hears when a node
   * becomes unreachable (the failure detector, ~7 s after a SIGKILL) or is removed.
   */
  private static void followPeers(ActorContext<WorkerProtocol.Command> context) {
    org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(context.getSystem());
    ActorRef<org.apache.pekko.cluster.ClusterEvent.ReachabilityEvent> reachability = context.messageAdapter(
        org.apache.pekko.cluster.ClusterEvent.ReachabilityEvent.class,
        e -> new PeerChanged(e.member().address(), e instanceof org.apache.pekko.cluster.ClusterEvent.UnreachableMember, false));
    ActorRef<org.apache.pekko.cluster.ClusterEvent.MemberRemoved> removed = context.messageAdapter(
        org.apache.pekko.cluster.ClusterEvent.MemberRemoved.class, e -> new PeerChanged(e.member().address(), true, true));
    cluster.subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(
        reachability, org.apache.pekko.cluster.ClusterEvent.ReachabilityEvent.class));
    cluster.subscriptions().tell(org.apache.pekko.cluster.typed.Subscribe.create(
        removed, org.apache.pekko.cluster.ClusterEvent.MemberRemoved.class));
  }

  /** The scheduler knows this worker: it pings only registered workers, and assigns only to them. */
  private void acknowledge() {
    if (!acknowledged && scheduler != null) {
      acknowledged = true;
      if (!schedulerLost) {
        readiness.registered(settings.name());
      }
    }
  }

  private Behavior<WorkerProtocol.Command> onPeerChanged(PeerChanged msg) {
    if (scheduler != null && msg.address().equals(scheduler.path().address())) {
      schedulerLost = msg.lost();
      if (schedulerLost) {
        readiness.notRegistered(settings.name(), "the scheduler at " + msg.address() + (msg.removed() ? " left the cluster" : " is unreachable"));
      } else if (acknowledged) {
        readiness.registered(settings.name());
      }
    }
    if (!msg.lost()) {
      fetcher.peerBack(msg.address());
      return this;
    }
    int open = fetcher.openRequests();
    List<PendingTask> settled = fetcher.peerLost(msg.address(), msg.removed());
    int moved = open - fetcher.openRequests();
    if (moved > 0) {
      getContext().getLog().info("Worker {}: {} {}; {} fetches from it go to other holders", settings.name(),
          msg.address(), msg.removed() ? "left the cluster" : "is unreachable", moved);
    }
    for (PendingTask task : settled) {
      settled(task);
    }
    sendFetches();
    reportReplicas();
    return this;
  }

  private boolean clustered() {
    return getContext().getSystem().settings().config().getString("pekko.actor.provider").contains("cluster");
  }

  /**
   * Why the scheduler cannot answer a retirement (it is leaving, gone or unreachable, or this node
   * is being removed from the cluster), or null if it can. A node that joined but is not yet seen
   * as up everywhere ({@code Joining}) counts as a member: the scheduler knows it once it registered.
   */
  private String schedulerGone() {
    if (!clustered() || scheduler == null || scheduler.path().address().getHost().isEmpty()) {
      return null;
    }
    org.apache.pekko.cluster.typed.Cluster cluster = org.apache.pekko.cluster.typed.Cluster.get(getContext().getSystem());
    org.apache.pekko.cluster.MemberStatus self = cluster.selfMember().status();
    if (isGoing(self)) {
      return REMOVED + " (" + self + ")";
    }
    org.apache.pekko.actor.Address address = scheduler.path().address();
    org.apache.pekko.cluster.ClusterEvent.CurrentClusterState state = cluster.state();
    for (org.apache.pekko.cluster.Member m : state.getUnreachable()) {
      if (m.address().equals(address)) {
        return "the scheduler is unreachable";
      }
    }
    for (org.apache.pekko.cluster.Member m : state.getMembers()) {
      if (m.address().equals(address)) {
        return isGoing(m.status()) || m.status() == org.apache.pekko.cluster.MemberStatus.leaving()
            ? "the scheduler is stopping" : null;
      }
    }
    return "the scheduler has left the cluster";
  }

  /** On its way out of the cluster. */
  private static boolean isGoing(org.apache.pekko.cluster.MemberStatus s) {
    return s == org.apache.pekko.cluster.MemberStatus.exiting() || s == org.apache.pekko.cluster.MemberStatus.down()
        || s == org.apache.pekko.cluster.MemberStatus.removed() || s == org.apache.pekko.cluster.MemberStatus.shuttingDown()
        || s == org.apache.pekko.cluster.MemberStatus.shutDown();
  }

  private Behavior<WorkerProtocol.Command> onPostStop(PostStop signal) {
    lanes.shutdown();
    memory.close();
    if (profiler != null) {
      profiler.close();
    }
    readiness.stopped(settings.name());
    nodeMetrics.forget(settings.name());
    if (ownsJvm) {
      jvm.close();
    }
    return this;
  }

  /** Inputs are settled: run it, or report what no holder had. */
  private void settled(PendingTask task) {
    if (task.missing.isEmpty()) {
      lanes.submit(task);
    } else {
      report(TaskRunner.missingData(task.assignment, task.missing, task.transfers, TaskRunner.nowMicros()));
    }
  }

  private void sendFetches() {
    for (InputFetcher.Request request : fetcher.takeRequests(TaskRunner.nowMicros())) {
      request.peer().tell(new WorkerProtocol.FetchData(request.requestId(), request.taskIds(), data.narrow()));
      timers.startSingleTimer(
          new FetchTimer(request.requestId()), new FetchTimedOut(request.requestId()), settings.fetchTimeout());
    }
  }

  private void report(TaskReport report) {
    boolean idle = lanes.executing() == 0 && lanes.queued() == 0 && fetcher.waitingTasks() == 0;
    if (reports.add(report, idle)) {
      flushSoon();
    } else if (!flushPending && !timers.isTimerActive(FlushTimer.INSTANCE)) {
      // a backstop only: the next report after the window sends the batch (see ReportBatcher)
      timers.startSingleTimer(FlushTimer.INSTANCE, FlushReports.INSTANCE, FLUSH_INTERVAL);
    }
  }

  /**
   * Sends the reports once this message is handled: the results drained with this one join them.
   */
  private void flushSoon() {
    if (!flushPending) {
      flushPending = true;
      getContext().getSelf().tell(FlushReports.INSTANCE);
    }
  }
}
