package org.tasklane.dashboard;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.LongFunction;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.tasklane.dashboard.health.DashboardReadiness;
import org.tasklane.dashboard.history.HistoryWriter;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.SnapshotPieces;
import org.tasklane.protocol.Topics;

/**
 * The dashboard of one node: follows the scheduler's batches and the workers' metrics (topics),
 * asks the scheduler for a snapshot when it appears, when its incarnation changes and on a gap,
 * aggregates into a {@link DashboardState}, and tells browsers what changed through the
 * {@link UpdateHub} on its own timers: {@code progress} every 100 ms if groups changed,
 * {@code tasks} every 200 ms if tasks finished, {@code workers} and {@code resources} every second
 * (when it also adds the second's point to the resource plot, {@link ResourceHistory}),
 * {@code status} when it loses or regains the scheduler. The routes ask it for snapshots and parts,
 * and {@code /metrics} for its {@link ClusterFigures}.
 *
 * <p>{@code connected} means: the receptionist lists a scheduler and its last snapshot came.
 */
public final class Dashboard extends AbstractBehavior<DashboardProtocol.Command> {

  // ---- asked by the routes (this module only) ----

  /** The current state, with the seq of the latest update it includes. */
  public record GetSnapshot(ActorRef<SnapshotReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record SnapshotReply(DashboardView.Snapshot snapshot) implements NoSerializationVerificationNeeded {}

  /** The last {@code limit} tasks (at most 20000), oldest first. */
  public record GetTasks(int limit, ActorRef<TasksReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record TasksReply(List<DashboardView.Task> tasks) implements NoSerializationVerificationNeeded {}

  /** Every group, in submission order. */
  public record GetGroups(ActorRef<GroupsReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record GroupsReply(List<DashboardView.Group> groups) implements NoSerializationVerificationNeeded {}

  /** The worker table. */
  public record GetWorkers(ActorRef<WorkersReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record WorkersReply(List<DashboardView.Worker> workers) implements NoSerializationVerificationNeeded {}

  /** The resource plot's points, oldest first. */
  public record GetResourceHistory(ActorRef<ResourceHistoryReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record ResourceHistoryReply(List<DashboardView.ResourcePoint> points)
      implements NoSerializationVerificationNeeded {}

  /** What {@code /metrics} shows of the cluster, now. */
  public record GetFigures(ActorRef<FiguresReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record FiguresReply(ClusterFigures figures) implements NoSerializationVerificationNeeded {}

  /** The erred tasks, grouped (the errors page). */
  public record GetErrors(ActorRef<ErrorsReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record ErrorsReply(org.tasklane.dashboard.errors.ErrorView.Errors errors)
      implements NoSerializationVerificationNeeded {}

  /** One task's error, with its group ({@code error} null if the dashboard has no record of it). */
  public record GetTaskError(String graph, String key, ActorRef<TaskErrorReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record TaskErrorReply(org.tasklane.dashboard.errors.ErrorView.TaskError error)
      implements NoSerializationVerificationNeeded {}

  /** The graphs held (the graph page's selector). */
  public record GetGraphs(ActorRef<DashboardView.GraphList> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  /** One graph with its groups and edges; the reply's {@code detail} is null if it is not held. */
  public record GetGraph(String id, ActorRef<GraphReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record GraphReply(DashboardView.GraphDetail detail) implements NoSerializationVerificationNeeded {}

  /**
   * Asks the scheduler to explain a task; the scheduler answers {@code replyTo} itself, through the
   * cluster. Without a scheduler, the dashboard answers that it has none.
   */
  public static final String NO_SCHEDULER = "the dashboard has no scheduler to ask right now; try again";

  public record ExplainTask(String graph, String key, ActorRef<SchedulerProtocol.ExplainReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  // ---- internal ----

  private record SchedulersListed(Receptionist.Listing listing)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  /** How a snapshot request ended: the snapshot came, from {@code from}. */
  private record SnapshotArrived(DashboardProtocol.Snapshot snapshot, ActorRef<SchedulerProtocol.Command> from) {}

  /** How a snapshot request ended: no snapshot, and why. */
  private record SnapshotFailed(String reason, ActorRef<SchedulerProtocol.Command> from) {}

  /** The scheduler's answer to a snapshot request: the snapshot, or the next piece of it. */
  private record SnapshotAnswered(DashboardProtocol.SnapshotAnswer answer)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  private record SnapshotTimedOut(long request) implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  private static final Object SNAPSHOT_TIMEOUT = "snapshot-timeout";

  private enum Tick implements DashboardProtocol.Command, NoSerializationVerificationNeeded {
    PROGRESS, TASKS, WORKERS, RETRY_SNAPSHOT
  }

  static final Duration PROGRESS_EVERY = Duration.ofMillis(100);
  static final Duration TASKS_EVERY = Duration.ofMillis(200);
  static final Duration WORKERS_EVERY = Duration.ofSeconds(1);
  static final Duration RETRY_SNAPSHOT_AFTER = Duration.ofSeconds(1);

  private final DashboardSettings settings;
  private final UpdateHub hub;
  private final ObjectMapper mapper;
  private final TimerScheduler<DashboardProtocol.Command> timers;
  private final DashboardState state;
  /** When the last workers event went (epoch ms): a large cluster's comes every workers-interval only. */
  private long lastWorkersEventMillis;
  private final RecordClock clock = new RecordClock();
  /** The run history's writer (it only enqueues), or null without history. */
  private final HistoryWriter history;
  /** Each worker up close (its figures over time, its actor): fed the metrics, asked by the worker page. */
  private final ActorRef<DashboardProtocol.Command> workerDetails;
  /** The workers' profiles, merged (the profile page asks it). */
  private final ActorRef<DashboardProtocol.Command> profiles;

  private ActorRef<SchedulerProtocol.Command> scheduler;
  private boolean connected;
  private boolean asking;
  private boolean askAgain;
  /** Where the scheduler's answers to snapshot requests come (a path on Artery's large-message lane). */
  private final ActorRef<DashboardProtocol.SnapshotAnswer> snapshotAnswers;
  /** The request being answered (while {@code asking}), its pieces so far, and whom it went to. */
  private SnapshotPieces.Assembly snapshotPieces;
  private ActorRef<SchedulerProtocol.Command> askedOf;
  private long snapshotRequests;
  /** When the receptionist stopped listing the scheduler (System.nanoTime), or 0. */
  private long lostAt;
  private long seq;
  /** What the readiness check reads: following the scheduler, or cut off since when. */
  private final DashboardReadiness readiness;

  public static Behavior<DashboardProtocol.Command> create(DashboardSettings settings, UpdateHub hub, ObjectMapper mapper) {
    return create(settings, hub, mapper, null);
  }

  /** @param history where the run history goes (null: none) */
  public static Behavior<DashboardProtocol.Command> create(
      DashboardSettings settings, UpdateHub hub, ObjectMapper mapper, HistoryWriter history) {
    return Behaviors.setup(context -> Behaviors.withTimers(
        timers -> new Dashboard(context, timers, settings, hub, mapper, history)));
  }

  private Dashboard(
      ActorContext<DashboardProtocol.Command> context, TimerScheduler<DashboardProtocol.Command> timers,
      DashboardSettings settings, UpdateHub hub, ObjectMapper mapper, HistoryWriter history) {
    super(context);
    this.history = history;
    context.setLoggerName(Dashboard.class);
    this.settings = settings;
    this.hub = hub;
    this.mapper = mapper;
    this.timers = timers;
    this.readiness = DashboardReadiness.get(context.getSystem());
    this.state = new DashboardState(LargeClusterSettings.fromConfig(context.getSystem().settings().config()));

    ActorRef<Topic.Command<DashboardProtocol.SchedulerEvents>> events = context.spawn(
        Topic.create(DashboardProtocol.SchedulerEvents.class, Topics.SCHEDULER_EVENTS), "scheduler-events");
    events.tell(Topic.subscribe(context.getSelf().<DashboardProtocol.SchedulerEvents>narrow()));
    // a worker JVM publishes its workers' figures as one WorkerMetricsBatch per interval
    ActorRef<Topic.Command<DashboardProtocol.Command>> metrics = context.spawn(
        Topic.create(DashboardProtocol.Command.class, Topics.WORKER_METRICS), "worker-metrics");
    metrics.tell(Topic.subscribe(context.getSelf()));

    this.workerDetails = context.spawn(WorkerDetails.create(), "worker-details");
    this.profiles = context.spawn(ProfileView.create(), "profiles");

    this.snapshotAnswers = context.messageAdapter(DashboardProtocol.SnapshotAnswer.class, SnapshotAnswered::new);
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, SchedulersListed::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(SchedulerProtocol.SERVICE_KEY, listings));

    timers.startTimerWithFixedDelay(Tick.PROGRESS, PROGRESS_EVERY);
    timers.startTimerWithFixedDelay(Tick.TASKS, TASKS_EVERY);
    timers.startTimerWithFixedDelay(Tick.WORKERS, WORKERS_EVERY);
  }

  @Override
  public Receive<DashboardProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(DashboardProtocol.SchedulerEvents.class, this::onSchedulerEvents)
        .onMessage(DashboardProtocol.WorkerMetrics.class, this::onWorkerMetrics)
        .onMessage(DashboardProtocol.WorkerMetricsBatch.class, this::onWorkerMetricsBatch)
        .onMessage(DashboardProtocol.Snapshot.class, this::onSnapshot)
        .onMessage(SchedulersListed.class, this::onSchedulersListed)
        .onMessage(SnapshotAnswered.class, this::onSnapshotAnswered)
        .onMessage(SnapshotTimedOut.class, this::onSnapshotTimedOut)
        .onMessageEquals(Tick.PROGRESS, this::onProgressTick)
        .onMessageEquals(Tick.TASKS, this::onTasksTick)
        .onMessageEquals(Tick.WORKERS, this::onWorkersTick)
        .onMessageEquals(Tick.RETRY_SNAPSHOT, this::onRetrySnapshot)
        .onMessage(GetSnapshot.class, this::onGetSnapshot)
        .onMessage(GetTasks.class, this::onGetTasks)
        .onMessage(GetGroups.class, this::onGetGroups)
        .onMessage(GetWorkers.class, this::onGetWorkers)
        .onMessage(GetResourceHistory.class, this::onGetResourceHistory)
        .onMessage(GetFigures.class, this::onGetFigures)
        .onMessage(GetErrors.class, this::onGetErrors)
        .onMessage(GetTaskError.class, this::onGetTaskError)
        .onMessage(ExplainTask.class, this::onExplainTask)
        .onMessage(GetGraphs.class, this::onGetGraphs)
        .onMessage(GetGraph.class, this::onGetGraph)
        .onMessage(WorkerDetails.FindWorker.class, this::onFindWorker)
        .onMessage(ProfileView.GetProfile.class, this::onGetProfile)
        .build();
  }

  // ------------------------------------------------------------------ what it follows

  private Behavior<DashboardProtocol.Command> onSchedulerEvents(DashboardProtocol.SchedulerEvents b) {
    long stamp = clock.stamp(); // one reading for the live state and the record (RecordClock)
    DashboardState.Outcome outcome = state.apply(b, stamp);
    if (history != null && outcome != DashboardState.Outcome.IGNORED) {
      history.onSchedulerEvents(b, outcome == DashboardState.Outcome.RESYNC_NEEDED, stamp);
    }
    if (outcome == DashboardState.Outcome.RESYNC_NEEDED) {
      getContext().getLog().debug("Scheduler batch {} of {} after {}: asking for a snapshot", b.seq(), b.incarnation(),
          state.lastSeq());
      requestSnapshot();
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onWorkerMetrics(DashboardProtocol.WorkerMetrics m) {
    long stamp = clock.stamp();
    state.apply(m, stamp);
    if (history != null) {
      history.onWorkerMetrics(m, stamp);
    }
    workerDetails.tell(m);
    return this;
  }

  /** Each entry as if it came alone. */
  private Behavior<DashboardProtocol.Command> onWorkerMetricsBatch(DashboardProtocol.WorkerMetricsBatch batch) {
    for (DashboardProtocol.WorkerMetrics m : batch.workers()) {
      onWorkerMetrics(m);
    }
    return this;
  }

  /** A snapshot told directly (not asked for): applied like an asked one, without changing {@code connected}. */
  private Behavior<DashboardProtocol.Command> onSnapshot(DashboardProtocol.Snapshot s) {
    long stamp = clock.stamp();
    if (history != null) {
      history.onSnapshot(s, stamp);
    }
    if (state.apply(s, stamp) == DashboardState.Outcome.RESYNC_NEEDED) {
      requestSnapshot();
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onSchedulersListed(SchedulersListed m) {
    Set<ActorRef<SchedulerProtocol.Command>> found = m.listing().getServiceInstances(SchedulerProtocol.SERVICE_KEY);
    if (found.isEmpty()) {
      if (scheduler != null) {
        ActorRef<SchedulerProtocol.Command> lost = scheduler;
        scheduler = null;
        timers.cancel(Tick.RETRY_SNAPSHOT);
        // unreachable or gone: browsers are told at once, the log not yet: a standalone dashboard
        // says in one line if the scheduler is gone for good (NodeRunner), and one that comes back
        // is logged when it does
        lostAt = connected ? System.nanoTime() : lostAt;
        disconnected("lost the scheduler at " + where(lost) + "; showing the last known state", false);
      }
      return this;
    }
    if (scheduler != null && found.contains(scheduler)) {
      return this;
    }
    scheduler = found.iterator().next();
    getContext().getLog().debug("Found the scheduler at {}", where(scheduler));
    requestSnapshot();
    return this;
  }

  private void requestSnapshot() {
    state.expectSnapshot();
    if (scheduler == null) {
      return; // asked for when one appears
    }
    if (asking) {
      askAgain = true;
      return;
    }
    asking = true;
    askAgain = false;
    askedOf = scheduler;
    snapshotPieces = new SnapshotPieces.Assembly(++snapshotRequests);
    scheduler.tell(new SchedulerProtocol.GetDashboardSnapshot(snapshotPieces.request(), snapshotAnswers));
    timers.startSingleTimer(SNAPSHOT_TIMEOUT, new SnapshotTimedOut(snapshotPieces.request()), settings.askTimeout());
  }

  private Behavior<DashboardProtocol.Command> onSnapshotAnswered(SnapshotAnswered m) {
    if (snapshotPieces == null) {
      return this; // late: that request timed out
    }
    DashboardProtocol.Snapshot snapshot;
    try {
      if (m.answer() instanceof DashboardProtocol.SnapshotPiece piece) {
        if (piece.request() != snapshotPieces.request() || !snapshotPieces.add(piece)) {
          return this; // an earlier request's piece, or more to come
        }
        snapshot = snapshotPieces.snapshot(getContext().getSystem());
      } else {
        snapshot = (DashboardProtocol.Snapshot) m.answer();
      }
    } catch (RuntimeException e) {
      endSnapshotRequest();
      return onSnapshotFailed(new SnapshotFailed(e.getMessage(), askedOf));
    }
    endSnapshotRequest();
    return onSnapshotArrived(new SnapshotArrived(snapshot, askedOf));
  }

  private Behavior<DashboardProtocol.Command> onSnapshotTimedOut(SnapshotTimedOut m) {
    if (snapshotPieces == null || m.request() != snapshotPieces.request()) {
      return this;
    }
    endSnapshotRequest();
    return onSnapshotFailed(new SnapshotFailed("no answer in " + settings.askTimeout().toMillis() + " ms", askedOf));
  }

  private void endSnapshotRequest() {
    snapshotPieces = null;
    timers.cancel(SNAPSHOT_TIMEOUT);
  }

  private Behavior<DashboardProtocol.Command> onSnapshotArrived(SnapshotArrived m) {
    asking = false;
    if (!m.from().equals(scheduler)) {
      if (scheduler != null) {
        requestSnapshot(); // from a scheduler that is gone; ask the current one
      }
      return this;
    }
    long stamp = clock.stamp();
    DashboardState.Outcome outcome = state.apply(m.snapshot(), stamp);
    if (history != null) {
      history.onSnapshot(m.snapshot(), stamp);
    }
    readiness.following();
    if (!connected) {
      connected = true;
      if (lostAt != 0) {
        getContext().getLog().info("Dashboard following the scheduler at {} again, after {} s without it",
            where(m.from()), (System.nanoTime() - lostAt) / 1_000_000_000L);
        lostAt = 0;
      } else {
        getContext().getLog().info("Dashboard following the scheduler at {}", where(m.from()));
      }
      emitStatus("connected to the scheduler at " + where(m.from()));
      // every browser starts again from this state
      state.takeProgress();
      state.takeNewTasks();
      state.takeTasksReset();
      emitSnapshot();
    }
    if (outcome == DashboardState.Outcome.RESYNC_NEEDED || askAgain) {
      requestSnapshot();
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onSnapshotFailed(SnapshotFailed m) {
    asking = false;
    if (!m.from().equals(scheduler)) {
      if (scheduler != null) {
        requestSnapshot();
      }
      return this;
    }
    getContext().getLog().warn("The scheduler at {} did not send its state ({}); asking again in {} s", where(m.from()),
        m.reason(), RETRY_SNAPSHOT_AFTER.toSeconds());
    disconnected("the scheduler at " + where(m.from()) + " does not answer; showing the last known state");
    timers.startSingleTimer(Tick.RETRY_SNAPSHOT, RETRY_SNAPSHOT_AFTER);
    return this;
  }

  private Behavior<DashboardProtocol.Command> onRetrySnapshot() {
    if (scheduler != null && !asking) {
      requestSnapshot();
    }
    return this;
  }

  private void disconnected(String message) {
    disconnected(message, true);
  }

  private void disconnected(String message, boolean warn) {
    readiness.cutOff(message);
    if (connected) {
      connected = false;
      if (warn) {
        getContext().getLog().warn("Dashboard: {}", message);
      } else {
        getContext().getLog().debug("Dashboard: {}", message);
      }
      emitStatus(message);
    }
  }

  // ------------------------------------------------------------------ what it tells browsers

  private Behavior<DashboardProtocol.Command> onProgressTick() {
    boolean progress = emitProgress();
    if (!emitGraphs() && !progress) {
      hub.offer(new UpdateHub.Update(seq, UpdateHub.PING, null));
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onTasksTick() {
    emitTasks();
    return this;
  }

  /** Emits the group changes (or a snapshot, if the tasks were replaced); true if it emitted anything. */
  private boolean emitProgress() {
    if (state.takeTasksReset()) {
      // a new scheduler incarnation: its tasks replace the old ones, which only a snapshot says
      state.takeProgress();
      state.takeNewTasks();
      emitSnapshot();
      return true;
    }
    DashboardState.ProgressDelta d = state.takeProgress();
    if (d == null) {
      return false;
    }
    emit("progress", s -> new DashboardView.Progress(s, d.groups(), d.removed()));
    return true;
  }

  /** Emits what changed in the graphs held (the graph page's live colours); true if anything did. */
  private boolean emitGraphs() {
    DashboardView.GraphChanges c = state.graphs().takeChanges(0);
    if (c == null) {
      return false;
    }
    emit("graphs", s -> new DashboardView.GraphChanges(s, c.graphs(), c.removed()));
    return true;
  }

  private void emitTasks() {
    List<DashboardView.Task> fresh = state.takeNewTasks();
    if (!fresh.isEmpty()) {
      emit("tasks", s -> new DashboardView.Tasks(s, fresh));
    }
  }

  private Behavior<DashboardProtocol.Command> onWorkersTick() {
    long now = now();
    state.prune(now);
    List<DashboardView.Worker> rows = state.workers(now);
    DashboardView.Resources resources = state.resources(rows, now);
    DashboardView.ResourcePoint point = state.recordResources(rows, now);
    boolean large = state.largeCluster().isLarge(rows);
    // every worker's figures, conflated: a large cluster's at a slower fixed rate (the header's
    // resources stay at one a second), so a browser's bytes per second stay bounded
    if (!large || now - lastWorkersEventMillis >= state.largeCluster().workersInterval().toMillis() - 100) {
      lastWorkersEventMillis = now;
      emit("workers", s -> new DashboardView.Workers(s, rows, large));
    }
    emit("resources", s -> new DashboardView.ResourcesUpdate(s, resources, point));
    return this;
  }

  private void emitStatus(String message) {
    boolean c = connected;
    emit("status", s -> new DashboardView.Status(s, c, message));
  }

  private void emitSnapshot() {
    long now = now();
    emit("snapshot", s -> state.snapshot(s, now, connected));
  }

  /** Gives the next update seq to the event, serializes it once, and offers it to every browser. */
  private void emit(String event, LongFunction<Object> data) {
    long next = seq + 1;
    String json;
    try {
      json = mapper.writeValueAsString(data.apply(next));
    } catch (JsonProcessingException e) {
      getContext().getLog().error("Could not write the {} event: {}", event, e.toString());
      return;
    }
    seq = next;
    hub.offer(new UpdateHub.Update(next, event, json));
  }

  // ------------------------------------------------------------------ what the routes ask

  /**
   * What is not yet emitted goes out first, so that everything in the snapshot is at or below its
   * seq: a browser ignores those updates, and never gets a task twice.
   */
  private Behavior<DashboardProtocol.Command> onGetSnapshot(GetSnapshot m) {
    emitProgress();
    emitTasks();
    m.replyTo().tell(new SnapshotReply(state.snapshot(seq, now(), connected)));
    return this;
  }

  /** Changes not yet emitted go out first, so that the answer is at its seq and later events apply on top. */
  private Behavior<DashboardProtocol.Command> onGetGraphs(GetGraphs m) {
    emitGraphs();
    m.replyTo().tell(new DashboardView.GraphList(seq, state.graphs().list()));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetGraph(GetGraph m) {
    emitGraphs();
    m.replyTo().tell(new GraphReply(state.graphs().detail(m.id(), seq)));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetTasks(GetTasks m) {
    m.replyTo().tell(new TasksReply(state.recentTasks(Math.min(m.limit(), DashboardState.RECENT_TASKS))));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetGroups(GetGroups m) {
    m.replyTo().tell(new GroupsReply(state.groups()));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetWorkers(GetWorkers m) {
    m.replyTo().tell(new WorkersReply(state.workers(now())));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetResourceHistory(GetResourceHistory m) {
    m.replyTo().tell(new ResourceHistoryReply(state.resourceHistory()));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetFigures(GetFigures m) {
    m.replyTo().tell(new FiguresReply(state.figures(now())));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetErrors(GetErrors m) {
    m.replyTo().tell(new ErrorsReply(state.errors()));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetTaskError(GetTaskError m) {
    m.replyTo().tell(new TaskErrorReply(state.taskError(m.graph(), m.key())));
    return this;
  }

  private Behavior<DashboardProtocol.Command> onExplainTask(ExplainTask m) {
    if (scheduler == null) {
      m.replyTo().tell(new SchedulerProtocol.ExplainReply(null, NO_SCHEDULER));
    } else {
      scheduler.tell(new SchedulerProtocol.ExplainTask(m.graph(), m.key(), m.replyTo()));
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetProfile(ProfileView.GetProfile m) {
    profiles.tell(m);
    return this;
  }

  private Behavior<DashboardProtocol.Command> onFindWorker(WorkerDetails.FindWorker m) {
    workerDetails.tell(m);
    return this;
  }

  // ------------------------------------------------------------------ helpers

  /** The time of what the dashboard shows now (see {@link RecordClock}). */
  private long now() {
    return clock.read();
  }

  /** host:port of the scheduler's node (this node's, if it runs here). */
  private String where(ActorRef<?> ref) {
    Address a = ref.path().address();
    if (a.getHost().isEmpty()) {
      a = getContext().getSystem().address();
    }
    return a.getHost().isPresent() && a.getPort().isPresent() ? a.getHost().get() + ":" + a.getPort().get() : a.toString();
  }
}
