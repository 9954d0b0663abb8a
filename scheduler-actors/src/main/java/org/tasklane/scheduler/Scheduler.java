package org.tasklane.scheduler;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Topics;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.SnapshotPieces;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WireBatches;
import org.tasklane.protocol.WorkerProtocol;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GraphSummary;
import org.tasklane.scheduler.code.GraphCode;
import org.tasklane.scheduler.metrics.SchedulerMetrics;

/**
 * The scheduler: a cluster singleton on role {@code scheduler}. It finds workers through the
 * receptionist, feeds every event to its {@link TaskTable} and carries out the instructions that
 * come back: one {@code AssignTasks} and one {@code ReleaseResults} per worker per event, never one
 * message per task.
 */
public final class Scheduler extends AbstractBehavior<SchedulerProtocol.Command> {
  /** For threads other than the actor's (the context's logger is the actor's alone). */
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Scheduler.class);

  private record WorkersUpdated(Receptionist.Listing listing)
      implements SchedulerProtocol.Command, NoSerializationVerificationNeeded {}

  private record WorkerTerminated(ActorRef<WorkerProtocol.Command> worker) implements SchedulerProtocol.Command {}

  /** A retiring worker's time to hand off its results is up. */
  private record RetireTimedOut(String name) implements SchedulerProtocol.Command, NoSerializationVerificationNeeded {}

  private enum Tick implements SchedulerProtocol.Command {
    INSTANCE
  }

  /** Time to publish what changed to the dashboards. */
  private enum PublishTick implements SchedulerProtocol.Command {
    INSTANCE
  }

  static final Duration PUBLISH_INTERVAL = Duration.ofMillis(50);

  private record Waiter(ActorRef<SchedulerProtocol.StatusReply> replyTo, long deadlineNanos) {}

  private static final int MAX_WAITERS_PER_GRAPH = 1000;

  private final SchedulerSettings settings;
  private final TaskTable table;
  private final GraphAdmission admission;
  private final String incarnation = UUID.randomUUID().toString();
  /** Workers told to register and watched; registered ones are in the table (its records hold their refs). */
  private final Set<ActorRef<WorkerProtocol.Command>> invited = new HashSet<>();
  private final Map<String, List<Waiter>> waiters = new HashMap<>();
  private final FinishedWaiters finishedWaiters = new FinishedWaiters();
  private final DashboardFeed feed;
  private final ActorRef<Topic.Command<DashboardProtocol.Command>> topic;
  private final TimerScheduler<SchedulerProtocol.Command> timers;
  /** The jars graphs name, and where workers fetch them. */
  private final GraphCode code;
  /** The stack traces of tasks that threw, for the results API. */
  private final GraphTraces traces = new GraphTraces();
  /** Its figures for Prometheus ({@code /metrics} on the client API port). */
  private final SchedulerMetrics metrics;

  /** A scheduler that holds no jars (graphs that name one are refused). */
  public static Behavior<SchedulerProtocol.Command> create(SchedulerSettings settings) {
    return create(settings, GraphCode.none());
  }

  /** A scheduler whose graphs' jars are in {@code code}'s store, served to workers by its server. */
  public static Behavior<SchedulerProtocol.Command> create(SchedulerSettings settings, GraphCode code) {
    return create(settings, code, new SchedulerMetrics());
  }

  /** As {@link #create(SchedulerSettings, GraphCode)}, its figures kept in {@code metrics}. */
  public static Behavior<SchedulerProtocol.Command> create(
      SchedulerSettings settings, GraphCode code, SchedulerMetrics metrics) {
    return Behaviors.setup(
        context -> Behaviors.withTimers(timers -> new Scheduler(context, timers, settings, code, metrics)));
  }

  private Scheduler(
      ActorContext<SchedulerProtocol.Command> context,
      TimerScheduler<SchedulerProtocol.Command> timers,
      SchedulerSettings settings,
      GraphCode code,
      SchedulerMetrics metrics) {
    super(context);
    this.settings = settings;
    this.code = code;
    this.metrics = metrics;
    this.timers = timers;
    this.table = new TaskTable(settings.policy(), settings.table());
    this.admission = new GraphAdmission(settings.maxRunningGraphs(), settings.maxTasks());
    this.feed = new DashboardFeed(incarnation, name -> {
      WorkerRecord w = table.worker(name);
      return w == null || w.contact() == null ? null : w.contact().info();
    }, name -> {
      WorkerRecord w = table.worker(name);
      return w == null ? 0 : w.latencyMillis();
    }, settings.dashboardFeedMaxPendingTasks(), settings.dashboardFeedWorkersInterval());
    table.observe(feed);
    this.topic = context.spawn(Topic.create(DashboardProtocol.Command.class, Topics.SCHEDULER_EVENTS), "dashboard-topic");
    context.getSystem().receptionist().tell(Receptionist.register(SchedulerProtocol.SERVICE_KEY, context.getSelf()));
    timers.startTimerWithFixedDelay(PublishTick.INSTANCE, PUBLISH_INTERVAL);
    ActorRef<Receptionist.Listing> adapter = context.messageAdapter(Receptionist.Listing.class, WorkersUpdated::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(WorkerProtocol.SERVICE_KEY, adapter));
    timers.startTimerWithFixedDelay(Tick.INSTANCE, Duration.ofSeconds(1));
    context.getLog().info("Scheduler started (incarnation {}){}", incarnation, settings.table().validate()
        ? "; the task table checks its invariants after events (tasklane.scheduler.validate = on)" : "");
  }

  @Override
  public Receive<SchedulerProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WorkersUpdated.class, this::onWorkersUpdated)
        .onMessage(SchedulerProtocol.RegisterWorker.class, this::onRegisterWorker)
        .onMessage(WorkerTerminated.class, this::onWorkerTerminated)
        .onMessage(SchedulerProtocol.TasksFinished.class, this::onTasksFinished)
        .onMessage(SchedulerProtocol.RetireWorker.class, this::onRetireWorker)
        .onMessage(SchedulerProtocol.ReplicasFetched.class, this::onReplicasFetched)
        .onMessage(RetireTimedOut.class, this::onRetireTimedOut)
        .onMessage(SchedulerProtocol.Pong.class, this::onPong)
        .onMessage(SchedulerProtocol.WorkerPaused.class, this::onWorkerPaused)
        .onMessage(SchedulerProtocol.SubmitGraph.class, this::onSubmitGraph)
        .onMessage(SchedulerProtocol.GetGraphStatus.class, this::onGetGraphStatus)
        .onMessage(SchedulerProtocol.ListGraphs.class, this::onListGraphs)
        .onMessage(SchedulerProtocol.GetResultLocations.class, this::onGetResultLocations)
        .onMessage(SchedulerProtocol.GetFinishedKeys.class, this::onGetFinishedKeys)
        .onMessage(SchedulerProtocol.ForgetGraph.class, this::onForgetGraph)
        .onMessage(SchedulerProtocol.ListWorkers.class, this::onListWorkers)
        .onMessage(SchedulerProtocol.ExplainTask.class, this::onExplainTask)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .onMessageEquals(PublishTick.INSTANCE, this::onPublishTick)
        .onMessage(SchedulerProtocol.GetDashboardSnapshot.class, this::onGetDashboardSnapshot)
        .build();
  }

  // ------------------------------------------------------------------ workers

  private Behavior<SchedulerProtocol.Command> onWorkersUpdated(WorkersUpdated m) {
    Set<ActorRef<WorkerProtocol.Command>> listed = m.listing.getServiceInstances(WorkerProtocol.SERVICE_KEY);
    for (ActorRef<WorkerProtocol.Command> ref : listed) {
      if (invited.add(ref)) {
        getContext().watchWith(ref, new WorkerTerminated(ref));
        ref.tell(new WorkerProtocol.RegisterWith(getContext().getSelf(), incarnation, code.server()));
      }
    }
    for (ActorRef<WorkerProtocol.Command> ref : new ArrayList<>(invited)) {
      if (!listed.contains(ref)) {
        workerGone(ref, "left the cluster");
      }
    }
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onRegisterWorker(SchedulerProtocol.RegisterWorker m) {
    if (table.worker(m.worker()) != null) {
      return this;
    }
    String name = m.info().name();
    for (int n = 2; table.worker(name) != null; n++) {
      name = m.info().name() + "~" + n;
    }
    if (invited.add(m.worker())) {
      getContext().watchWith(m.worker(), new WorkerTerminated(m.worker()));
    }
    List<Instruction> instructions = table.handle(new Event.WorkerJoined(name, m.info().nthreads(),
        Set.copyOf(m.info().functions()), new WorkerContact(m.worker(), m.data(), m.info())));
    getContext().getLog().info(
        "Worker {} registered: {} threads on {} ({} workers)", name, m.info().nthreads(), m.info().host(),
        table.workers().size());
    execute(instructions);
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onWorkerTerminated(WorkerTerminated m) {
    workerGone(m.worker(), "stopped");
    return this;
  }

  private void workerGone(ActorRef<WorkerProtocol.Command> ref, String why) {
    invited.remove(ref);
    WorkerRecord w = table.worker(ref);
    if (w == null) {
      return;
    }
    String name = w.name();
    if (w.isRetiring()) {
      timers.cancel(new RetireTimedOut(name));
    }
    int running = w.processingCount();
    int held = w.heldCount();
    List<TaskRecord> assigned = new ArrayList<>(w.processing);
    List<Instruction> instructions = table.handle(new Event.WorkerLeft(name));
    getContext().getLog().info(
        "Worker {} {}: rescheduling {} tasks, {} results it held ({} workers left)",
        name, why, running, held, table.workers().size());
    execute(instructions);
    for (TaskRecord t : assigned) {
      if (t.state == org.tasklane.protocol.TaskState.ERRED) {
        getContext().getLog().warn("Task {} of graph {} erred: {}", t.key, t.graph.id, t.error);
      }
    }
  }

  private Behavior<SchedulerProtocol.Command> onTasksFinished(SchedulerProtocol.TasksFinished m) {
    WorkerRecord w = table.worker(m.worker());
    if (w == null) {
      // not (or no longer) registered: we do not count on what it holds
      List<Long> ids = new ArrayList<>();
      m.reports().forEach(r -> ids.add(r.taskId()));
      m.worker().tell(new WorkerProtocol.ReleaseResults(ids));
      return this;
    }
    metrics.reported(m.reports());
    execute(table.handle(new Event.Reports(w.name(), m.reports())));
    keepTraces(m.reports());
    return this;
  }

  /** Keeps the stack traces of the tasks that threw (and erred for good) for the results API. */
  private void keepTraces(List<TaskReport> reports) {
    for (TaskReport r : reports) {
      if (r.trace() == null || r.outcome() != TaskReport.Outcome.ERRED) {
        continue;
      }
      TaskRecord t = table.task(r.taskId());
      if (t != null && t.state == org.tasklane.protocol.TaskState.ERRED && t.rootFailure) {
        traces.note(t.graphId(), t.key, r.trace());
      }
    }
  }

  private Behavior<SchedulerProtocol.Command> onRetireWorker(SchedulerProtocol.RetireWorker m) {
    WorkerRecord w = table.worker(m.worker());
    if (w == null) {
      // not (or no longer) registered: nothing of it is counted on
      m.worker().tell(new WorkerProtocol.Retired(0, 0, 0, false, 0));
      return this;
    }
    String name = w.name();
    if (!timers.isTimerActive(new RetireTimedOut(name))) {
      Duration timeout = m.timeout() == null || m.timeout().isNegative() ? Duration.ZERO : m.timeout();
      timers.startSingleTimer(new RetireTimedOut(name), new RetireTimedOut(name), timeout);
    }
    getContext().getLog().debug("Worker {} is retiring: it gets no new tasks; {} running, {} results held",
        name, w.processingCount(), w.heldCount());
    execute(table.handle(new Event.Retire(name, System.nanoTime())));
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onReplicasFetched(SchedulerProtocol.ReplicasFetched m) {
    WorkerRecord w = table.worker(m.worker());
    if (w == null) {
      return this;
    }
    execute(table.handle(new Event.ReplicasFetched(w.name(), m.stored(), m.failed())));
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onRetireTimedOut(RetireTimedOut m) {
    execute(table.handle(new Event.RetireTimedOut(m.name())));
    return this;
  }

  /** A retiring worker may leave: tell it, with one line in the log. */
  private void onRetired(Instruction.Retired r) {
    timers.cancel(new RetireTimedOut(r.worker()));
    WorkerRecord w = table.worker(r.worker());
    long millis = w == null || !w.isRetiring() ? 0 : (System.nanoTime() - w.retiringSinceNanos()) / 1_000_000;
    WorkerProtocol.Retired answer = new WorkerProtocol.Retired(r.handed(), r.handedBytes(), r.left(), r.alone(), millis);
    getContext().getLog().info(answer.describe(r.worker()));
    if (w != null && w.contact() != null) {
      w.contact().worker().tell(answer);
    }
  }

  // ------------------------------------------------------------------ client API

  private Behavior<SchedulerProtocol.Command> onSubmitGraph(SchedulerProtocol.SubmitGraph m) {
    String error = table.checkFunctions(m.graph()) instanceof FunctionCheck.Unknown unknown ? unknown.message() : null;
    if (error == null && table.graph(m.graphId()) != null) {
      error = "graph id " + m.graphId() + " is taken";
    }
    if (error == null) {
      error = code.admit(m.graphId(), m.graph()); // from here on the graph holds its jars
    }
    if (error != null) {
      m.replyTo().tell(new SchedulerProtocol.SubmitReply(m.graphId(), 0, error, false));
      return this;
    }
    GraphAdmission.Verdict verdict = admission.judge(m.graph().tasks().size(), table.graphs());
    if (verdict instanceof GraphAdmission.Refuse refuse) {
      code.forget(m.graphId());
      getContext().getLog().info("Graph '{}' refused: {}", m.graph().name(), refuse.reason());
      m.replyTo().tell(new SchedulerProtocol.SubmitReply(m.graphId(), 0, refuse.reason(), refuse.retryLater()));
      return this;
    }
    for (GraphRecord old : ((GraphAdmission.Admit) verdict).forgetFirst()) {
      forgetGraph(old, "forgotten to make room for a new graph (tasklane.scheduler.max-tasks)");
    }
    List<Instruction> instructions = table.handle(new Event.Submit(m.graphId(), m.graph(), System.currentTimeMillis()));
    m.replyTo().tell(new SchedulerProtocol.SubmitReply(m.graphId(), m.graph().tasks().size(), null, false));
    getContext().getLog().info(
        "Graph {} '{}' accepted: {} tasks", m.graphId(), m.graph().name(), m.graph().tasks().size());
    execute(instructions);
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onGetGraphStatus(SchedulerProtocol.GetGraphStatus m) {
    GraphRecord g = table.graph(m.graphId());
    boolean wait = m.maxWait() != null && !m.maxWait().isNegative() && !m.maxWait().isZero();
    if (g == null || g.isFinished() || !wait) {
      m.replyTo().tell(new SchedulerProtocol.StatusReply(g == null ? null : g.toStatus()));
      return this;
    }
    List<Waiter> list = waiters.computeIfAbsent(g.id, k -> new ArrayList<>());
    if (list.size() >= MAX_WAITERS_PER_GRAPH) {
      m.replyTo().tell(new SchedulerProtocol.StatusReply(g.toStatus()));
    } else {
      list.add(new Waiter(m.replyTo(), System.nanoTime() + m.maxWait().toNanos()));
    }
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onGetFinishedKeys(SchedulerProtocol.GetFinishedKeys m) {
    GraphRecord g = table.graph(m.graphId());
    if (g == null) {
      m.replyTo().tell(new SchedulerProtocol.FinishedKeysReply(null));
    } else {
      finishedWaiters.ask(g, m);
    }
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onListGraphs(SchedulerProtocol.ListGraphs m) {
    List<GraphSummary> list = new ArrayList<>();
    for (GraphRecord g : table.graphs()) {
      list.add(g.toSummary());
    }
    m.replyTo().tell(new SchedulerProtocol.GraphList(list));
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onGetResultLocations(SchedulerProtocol.GetResultLocations m) {
    GraphRecord g = table.graph(m.graphId());
    if (g == null) {
      m.replyTo().tell(new SchedulerProtocol.ResultLocations("unknown", Map.of(), Map.of()));
      return this;
    }
    // while it runs, the wanted results that are ready (for clients that take them as they come)
    String problem = g.isFinished() ? null : "running";
    Map<String, SchedulerProtocol.Location> locations = new LinkedHashMap<>();
    Map<String, String> errors = new LinkedHashMap<>();
    List<TaskRecord> asked = m.keys() == null ? java.util.Arrays.asList(g.tasks) : new ArrayList<>(m.keys().size());
    if (m.keys() != null) {
      for (String key : m.keys()) {
        TaskRecord t = g.byKey.get(key);
        if (t != null) {
          asked.add(t);
        }
      }
    }
    for (TaskRecord t : asked) {
      if (!t.wanted) {
        continue;
      }
      if (t.state == org.tasklane.protocol.TaskState.ERRED) {
        errors.put(t.key, t.error);
      } else if (t.state == org.tasklane.protocol.TaskState.MEMORY) {
        locations.put(t.key, new SchedulerProtocol.Location(t.id, dataRefs(t.holders), t.nbytes));
      }
    }
    m.replyTo().tell(new SchedulerProtocol.ResultLocations(problem, locations, errors, traces.of(g.id)));
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onForgetGraph(SchedulerProtocol.ForgetGraph m) {
    GraphRecord g = table.graph(m.graphId());
    if (g == null) {
      m.replyTo().tell(new SchedulerProtocol.ForgetReply(m.graphId(), false));
      return this;
    }
    forgetGraph(g, "forgotten at the client's request");
    m.replyTo().tell(new SchedulerProtocol.ForgetReply(m.graphId(), true));
    return this;
  }

  private void forgetGraph(GraphRecord g, String why) {
    boolean wasRunning = !g.isFinished();
    List<Instruction> instructions = table.handle(new Event.Forget(g.id));
    code.forget(g.id);
    traces.forget(g.id);
    feed.forgetGraph(g.id);
    GraphStatus last = g.toStatus();
    List<Waiter> list = waiters.remove(g.id);
    if (list != null) {
      list.forEach(w -> w.replyTo().tell(new SchedulerProtocol.StatusReply(last)));
    }
    getContext().getLog().info("Graph {} {}{}", g.id, why, wasRunning ? " (it was still running)" : "");
    execute(instructions);
  }

  private Behavior<SchedulerProtocol.Command> onListWorkers(SchedulerProtocol.ListWorkers m) {
    List<SchedulerProtocol.WorkerEntry> list = new ArrayList<>();
    for (WorkerRecord w : table.workers()) {
      if (w.contact() != null) {
        list.add(new SchedulerProtocol.WorkerEntry(
            w.contact().info(), w.contact().worker(), w.processingCount(), w.heldCount()));
      }
    }
    m.replyTo().tell(new SchedulerProtocol.WorkerList(list));
    return this;
  }

  /** Read only: the table is not changed by an explanation. */
  private Behavior<SchedulerProtocol.Command> onExplainTask(SchedulerProtocol.ExplainTask m) {
    GraphRecord g = table.graph(m.graphId());
    TaskRecord t = g == null ? null : g.byKey.get(m.key());
    if (t == null) {
      m.replyTo().tell(new SchedulerProtocol.ExplainReply(null, g == null
          ? "no graph " + m.graphId() + " on this scheduler (it was never submitted here, or it was forgotten)"
          : "graph " + m.graphId() + " has no task " + org.tasklane.protocol.GraphValidator.show(m.key())));
      return this;
    }
    m.replyTo().tell(new SchedulerProtocol.ExplainReply(
        TaskExplainer.explain(table, t, traces.of(g.id).get(t.key), feed.lastRun(t.id)), null));
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onPong(SchedulerProtocol.Pong m) {
    WorkerRecord w = table.worker(m.worker());
    if (w != null) {
      execute(table.handle(new Event.Pinged(w.name(), (System.nanoTime() - m.sentNanos()) / 1e6)));
      if (w.isPaused() != m.paused()) { // a WorkerPaused lost on the way, or still on it: the pong says how it is
        onWorkerPaused(new SchedulerProtocol.WorkerPaused(m.worker(), m.paused()));
      }
    }
    return this;
  }

  /** A paused worker gets no new tasks; one that resumed gets its free slots filled at once. */
  private Behavior<SchedulerProtocol.Command> onWorkerPaused(SchedulerProtocol.WorkerPaused m) {
    WorkerRecord w = table.worker(m.worker());
    if (w != null && w.isPaused() != m.paused()) {
      getContext().getLog().info("Worker {} {}", w.name(), m.paused()
          ? "is paused (memory): it gets no new tasks until it resumes" : "resumed: it takes tasks again");
      execute(table.handle(new Event.WorkerPaused(w.name(), m.paused())));
    }
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onTick() {
    long now = System.nanoTime();
    finishedWaiters.wake(table::graph, now);
    for (WorkerRecord w : table.workers()) {
      if (w.contact() != null) {
        w.contact().worker().tell(new WorkerProtocol.Ping(now, getContext().getSelf()));
      }
    }
    for (Iterator<Map.Entry<String, List<Waiter>>> it = waiters.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, List<Waiter>> e = it.next();
      GraphRecord g = table.graph(e.getKey());
      e.getValue().removeIf(w -> {
        if (w.deadlineNanos() - now <= 0) {
          w.replyTo().tell(new SchedulerProtocol.StatusReply(g == null ? null : g.toStatus()));
          return true;
        }
        return false;
      });
      if (e.getValue().isEmpty()) {
        it.remove();
      }
    }
    forgetOldGraphs();
    metrics.figures(SchedulerFigures.of(table));
    return this;
  }

  /** Finished graphs are kept for a while for their clients, within a time and a count limit. */
  private void forgetOldGraphs() {
    long nowMillis = System.currentTimeMillis();
    List<GraphRecord> finished = new ArrayList<>();
    for (GraphRecord g : table.graphs()) {
      if (g.isFinished()) {
        finished.add(g);
      }
    }
    finished.sort((a, b) -> Long.compare(a.finishedMillis, b.finishedMillis));
    int excess = finished.size() - settings.maxRetainedGraphs();
    for (GraphRecord g : finished) {
      if (excess > 0) {
        excess--;
        forgetGraph(g, "forgotten: more than " + settings.maxRetainedGraphs() + " finished graphs are kept");
      } else if (nowMillis - g.finishedMillis > settings.graphRetention().toMillis()) {
        forgetGraph(g, "forgotten: finished more than " + settings.graphRetention().toSeconds() + " s ago");
      }
    }
  }

  // ------------------------------------------------------------------ dashboards

  private Behavior<SchedulerProtocol.Command> onPublishTick() {
    for (DashboardProtocol.SchedulerEvents batch : feed.nextBatches(table)) {
      topic.tell(Topic.publish(batch));
    }
    return this;
  }

  private Behavior<SchedulerProtocol.Command> onGetDashboardSnapshot(SchedulerProtocol.GetDashboardSnapshot m) {
    DashboardProtocol.Snapshot snapshot = feed.snapshot(table);
    if (m.replyTo().path().address().hasLocalScope()) {
      m.replyTo().tell(snapshot); // this JVM's dashboard: no bytes, no frames
      return this;
    }
    // serializing tens of MiB takes a while: not on the scheduler's thread (the snapshot is immutable)
    ActorSystem<Void> system = getContext().getSystem();
    CompletableFuture.runAsync(() -> {
      try {
        SnapshotPieces.split(system, m.request(), snapshot).forEach(m.replyTo()::tell);
      } catch (IllegalArgumentException e) {
        LOG.error("Dashboard {} asked for the scheduler's state: {}; it keeps asking", m.replyTo().path().address(),
            e.getMessage());
      }
    }, system.dispatchers().lookup(DispatcherSelector.blocking()));
    return this;
  }

  // ------------------------------------------------------------------ instructions

  private void execute(List<Instruction> instructions) {
    // the table has changed: clients waiting for finished keys hear of new ones at once
    finishedWaiters.wake(table::graph, 0);
    if (instructions.isEmpty()) {
      return;
    }
    Map<String, List<TaskAssignment>> assigns = new LinkedHashMap<>();
    Map<String, List<Long>> releases = new LinkedHashMap<>();
    Map<String, List<TaskAssignment.Input>> replicas = new LinkedHashMap<>();
    List<Instruction.Retired> retired = new ArrayList<>(0);
    for (Instruction i : instructions) {
      if (i instanceof Instruction.Assign a) {
        assigns.computeIfAbsent(a.worker(), k -> new ArrayList<>()).add(withCode(a.task(), toAssignment(a.task())));
      } else if (i instanceof Instruction.Release r) {
        releases.computeIfAbsent(r.worker(), k -> new ArrayList<>()).add(r.taskId());
      } else if (i instanceof Instruction.GraphFinished f) {
        onGraphFinished(f.graphId());
      } else if (i instanceof Instruction.Replicate c) {
        TaskRecord t = c.task();
        replicas.computeIfAbsent(c.worker(), k -> new ArrayList<>())
            .add(new TaskAssignment.Input(t.id, t.key, t.nbytes, dataRefs(t.holders)));
      } else if (i instanceof Instruction.Retired r) {
        retired.add(r);
      }
    }
    // split to fit Artery's ordinary frames: keys may be 1,024 characters, arguments larger still
    replicas.forEach((name, results) -> WireBatches.split(results, WireBatches::estimatedSize,
        WireBatches.ORDINARY_BYTES, Integer.MAX_VALUE).forEach(part -> tell(name, new WorkerProtocol.FetchReplicas(part))));
    retired.forEach(this::onRetired);
    releases.forEach((name, ids) -> WireBatches.split(ids, id -> 9, WireBatches.ORDINARY_BYTES, Integer.MAX_VALUE)
        .forEach(part -> tell(name, new WorkerProtocol.ReleaseResults(part))));
    assigns.forEach((name, tasks) -> {
      metrics.assigned(tasks.size());
      for (List<TaskAssignment> part : WireBatches.split(tasks, WireBatches::estimatedSize, WireBatches.ORDINARY_BYTES,
          Integer.MAX_VALUE)) {
        WorkerProtocol.AssignTasks message = new WorkerProtocol.AssignTasks(part);
        WorkerRecord w = table.worker(name);
        if (part.size() == 1 && WireBatches.estimatedSize(part.get(0)) > WireBatches.ORDINARY_BYTES
            && w != null && w.contact() != null) {
          // one task too large for the ordinary lane (many inputs): through the large-message lane
          w.contact().data().tell(new WorkerProtocol.LargeAssignment(message));
        } else {
          tell(name, message);
        }
      }
    });
  }

  /** Tells a registered worker; one no longer registered is not counted on, and gets nothing. */
  private void tell(String worker, WorkerProtocol.Command message) {
    WorkerRecord w = table.worker(worker);
    if (w != null && w.contact() != null) {
      w.contact().worker().tell(message);
    }
  }

  private void onGraphFinished(String graphId) {
    GraphRecord g = table.graph(graphId);
    if (g == null) {
      return;
    }
    GraphStatus status = g.toStatus();
    getContext().getLog().info(
        "Graph {} done: {} tasks, {} erred, {} ms", graphId, status.tasks(), status.erred(),
        status.finishedMillis() - status.submittedMillis());
    List<Waiter> list = waiters.remove(graphId);
    if (list != null) {
      list.forEach(w -> w.replyTo().tell(new SchedulerProtocol.StatusReply(status)));
    }
  }

  private TaskAssignment toAssignment(TaskRecord t) {
    List<TaskAssignment.Input> inputs = new ArrayList<>(t.deps.length);
    for (TaskRecord d : t.deps) {
      inputs.add(new TaskAssignment.Input(d.id, d.key, d.nbytes, dataRefs(d.holders)));
    }
    return new TaskAssignment(t.id, t.key, t.group.name, t.fn, t.args, inputs, List.of(), t.timeoutMillis);
  }

  /** The assignment with its graph's jars, which a {@code java:} function's classes come from. */
  private TaskAssignment withCode(TaskRecord t, TaskAssignment a) {
    List<String> jars = code.codeOf(t.graphId());
    if (jars.isEmpty()) {
      return a;
    }
    return new TaskAssignment(a.taskId(), a.key(), a.group(), a.fn(), a.args(), a.inputs(), jars, a.timeoutMillis());
  }

  private List<ActorRef<WorkerProtocol.DataCommand>> dataRefs(List<WorkerRecord> holders) {
    List<ActorRef<WorkerProtocol.DataCommand>> refs = new ArrayList<>(holders.size());
    for (WorkerRecord h : holders) {
      if (h.contact != null) {
        refs.add(h.contact.data());
      }
    }
    return refs;
  }
}
