package org.tasklane.worker;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
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
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.WorkerInfo;
import org.tasklane.protocol.WorkerProtocol;

/**
 * The worker: gathers each assigned task's inputs (from its own {@link ResultStore} or from peers'
 * data endpoints), runs tasks on its own thread pool (never on the actor's dispatcher), holds the
 * results, and reports to the scheduler in batches.
 *
 * <p>At most {@code nthreads} tasks are handed to the pool at once; the rest wait here, lowest
 * assignment order first. Completions come back as {@link TaskDone}; reports collect until a
 * {@link FlushReports} the actor sends itself reaches the front of its mailbox, so reports of tasks
 * that finish together leave in one {@link SchedulerProtocol.TasksFinished}.
 */
public final class Worker extends AbstractBehavior<WorkerProtocol.Command> {

  /** Reports per {@link SchedulerProtocol.TasksFinished}, at most (keeps messages under Artery's frame size). */
  static final int MAX_REPORTS_PER_MESSAGE = 1000;
  /** Estimated report bytes per {@link SchedulerProtocol.TasksFinished}, about. */
  static final long MAX_REPORT_BYTES_PER_MESSAGE = 128 * 1024;
  /** Held ids listed in a {@link WorkerProtocol.WorkerStatus}, at most. */
  static final int MAX_STATUS_IDS = 1000;

  /** A task finished on an executor thread. */
  private record TaskDone(PendingTask task, TaskRunner.Result result)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** A peer answered one of this worker's fetches (forwarded by its data endpoint). */
  private record FetchReplied(WorkerProtocol.DataFetched reply)
      implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** A fetch got no answer in time. */
  private record FetchTimedOut(long requestId) implements WorkerProtocol.Command, NoSerializationVerificationNeeded {}

  /** Send the reports collected so far. */
  private enum FlushReports implements WorkerProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** The timer key of a fetch request. */
  private record FetchTimer(long requestId) {}

  private final WorkerSettings settings;
  private final TimerScheduler<WorkerProtocol.Command> timers;
  private final ResultStore store;
  private final ExecutorService executor;
  private final TaskRunner runner;
  private final WorkerInfo info;
  private final ActorRef<WorkerProtocol.DataCommand> data;
  private final InputFetcher fetcher;

  private ActorRef<SchedulerProtocol.Command> scheduler;
  private final PriorityQueue<PendingTask> ready = new PriorityQueue<>((a, b) -> Long.compare(a.seq, b.seq));
  private int running;
  private long nextSeq;
  private List<TaskReport> reports = new ArrayList<>();
  private boolean flushPending;
  private long transfersIn;
  private long bytesIn;
  private long tasksCompleted;

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
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> new Worker(
        context, timers, settings.withDefaultsFrom(context.getSystem().address()), registry, executorFactory)));
  }

  private Worker(
      ActorContext<WorkerProtocol.Command> context,
      TimerScheduler<WorkerProtocol.Command> timers,
      WorkerSettings settings,
      FunctionRegistry registry,
      ExecutorFactory executorFactory) {
    super(context);
    this.settings = settings;
    this.timers = timers;
    this.store = new ResultStore();
    this.runner = new TaskRunner(registry, settings.name(), settings.maxResultBytes());
    this.info = new WorkerInfo(settings.name(), settings.host(), settings.address(), settings.nthreads(),
        registry.names(), ProcessHandle.current().pid());
    ActorRef<WorkerProtocol.DataFetched> fetched =
        context.messageAdapter(WorkerProtocol.DataFetched.class, FetchReplied::new);
    this.data = context.spawn(
        Behaviors.supervise(DataEndpoint.create(store, settings.name(), fetched)).onFailure(SupervisorStrategy.restart()),
        "data");
    this.fetcher = new InputFetcher(data);
    this.executor = executorFactory.create(settings.nthreads());
    context.getSystem().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, context.getSelf()));
    context.getLog().info("Worker {} started with {} threads and functions {}",
        settings.name(), settings.nthreads(), registry.names());
  }

  @Override
  public Receive<WorkerProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(WorkerProtocol.RegisterWith.class, this::onRegisterWith)
        .onMessage(WorkerProtocol.AssignTasks.class, this::onAssignTasks)
        .onMessage(WorkerProtocol.ReleaseResults.class, this::onReleaseResults)
        .onMessage(WorkerProtocol.GetWorkerStatus.class, this::onGetWorkerStatus)
        .onMessage(TaskDone.class, this::onTaskDone)
        .onMessage(FetchReplied.class, this::onFetchReplied)
        .onMessage(FetchTimedOut.class, this::onFetchTimedOut)
        .onMessageEquals(FlushReports.INSTANCE, this::onFlushReports)
        .onSignal(PostStop.class, this::onPostStop)
        .build();
  }

  private Behavior<WorkerProtocol.Command> onRegisterWith(WorkerProtocol.RegisterWith msg) {
    if (scheduler != null && !scheduler.equals(msg.scheduler())) {
      getContext().getLog().info("Worker {}: scheduler {} (incarnation {}) replaces {}",
          settings.name(), msg.scheduler(), msg.schedulerIncarnation(), scheduler);
    }
    scheduler = msg.scheduler();
    scheduler.tell(new SchedulerProtocol.RegisterWorker(getContext().getSelf(), data, info));
    if (!reports.isEmpty()) {
      scheduleFlush();
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onAssignTasks(WorkerProtocol.AssignTasks msg) {
    for (TaskAssignment task : msg.tasks()) {
      if (!runner.knows(task.fn())) {
        tasksCompleted++;
        report(runner.unknownFunction(task, List.of(), TaskRunner.nowMicros()));
        continue;
      }
      PendingTask pending = new PendingTask(nextSeq++, task);
      List<TaskAssignment.Input> remote = null;
      Set<Long> remoteIds = null;
      for (TaskAssignment.Input input : task.inputs()) {
        long id = input.taskId();
        ResultStore.Stored held = store.get(id);
        if (held != null) {
          pending.values.put(id, held.value());
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
        ready.add(pending);
      } else if (fetcher.want(pending, remote)) {
        settled(pending);
      }
    }
    sendFetches();
    dispatch();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onReleaseResults(WorkerProtocol.ReleaseResults msg) {
    for (long id : msg.taskIds()) {
      store.remove(id);
    }
    return this;
  }

  private Behavior<WorkerProtocol.Command> onGetWorkerStatus(WorkerProtocol.GetWorkerStatus msg) {
    msg.replyTo().tell(new WorkerProtocol.WorkerStatus(
        info,
        running,
        ready.size() + fetcher.waitingTasks(),
        store.count(),
        store.totalBytes(),
        store.ids(MAX_STATUS_IDS),
        transfersIn,
        bytesIn,
        store.servedItems(),
        store.servedBytes(),
        tasksCompleted));
    return this;
  }

  private Behavior<WorkerProtocol.Command> onTaskDone(TaskDone msg) {
    running--;
    tasksCompleted++;
    TaskReport report = msg.result().report();
    if (report.outcome() == TaskReport.Outcome.OK) {
      store.put(report.taskId(), msg.result().value(), report.nbytes());
    }
    report(report);
    dispatch();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFetchReplied(FetchReplied msg) {
    WorkerProtocol.DataFetched reply = msg.reply();
    timers.cancel(new FetchTimer(reply.requestId()));
    InputFetcher.Arrivals arrivals = fetcher.onReply(reply, TaskRunner.nowMicros());
    for (WorkerProtocol.DataItem item : arrivals.items()) {
      store.put(item.taskId(), item.value(), item.nbytes());
      transfersIn++;
      bytesIn += item.nbytes();
    }
    for (PendingTask task : arrivals.settled()) {
      settled(task);
    }
    sendFetches();
    dispatch();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFetchTimedOut(FetchTimedOut msg) {
    List<PendingTask> settled = fetcher.onTimeout(msg.requestId());
    getContext().getLog().debug("Worker {}: fetch {} timed out", settings.name(), msg.requestId());
    for (PendingTask task : settled) {
      settled(task);
    }
    sendFetches();
    dispatch();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onFlushReports() {
    flushPending = false;
    if (scheduler == null || reports.isEmpty()) {
      return this;
    }
    List<TaskReport> batch = new ArrayList<>(Math.min(reports.size(), MAX_REPORTS_PER_MESSAGE));
    long batchBytes = 0;
    for (TaskReport report : reports) {
      long size = estimatedSize(report);
      if (!batch.isEmpty() && (batch.size() >= MAX_REPORTS_PER_MESSAGE || batchBytes + size > MAX_REPORT_BYTES_PER_MESSAGE)) {
        scheduler.tell(new SchedulerProtocol.TasksFinished(getContext().getSelf(), batch));
        batch = new ArrayList<>();
        batchBytes = 0;
      }
      batch.add(report);
      batchBytes += size;
    }
    scheduler.tell(new SchedulerProtocol.TasksFinished(getContext().getSelf(), batch));
    reports = new ArrayList<>();
    return this;
  }

  private Behavior<WorkerProtocol.Command> onPostStop(PostStop signal) {
    executor.shutdownNow();
    return this;
  }

  /** Inputs are settled: run it, or report what no holder had. */
  private void settled(PendingTask task) {
    if (task.missing.isEmpty()) {
      ready.add(task);
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

  /** Hand ready tasks to the pool while it has a free thread. */
  private void dispatch() {
    while (running < settings.nthreads() && !ready.isEmpty()) {
      PendingTask task = ready.poll();
      ActorRef<WorkerProtocol.Command> self = getContext().getSelf();
      running++;
      try {
        executor.execute(() -> {
          TaskRunner.Result result;
          try {
            result = runner.run(task.assignment, task.values, task.transfers);
          } catch (Throwable t) {
            result = TaskRunner.crashed(task.assignment, task.transfers, t);
          }
          self.tell(new TaskDone(task, result));
        });
      } catch (RejectedExecutionException e) {
        running--;
        getContext().getLog().warn("Worker {}: executor rejected task {}", settings.name(), task.assignment.key());
        report(TaskRunner.crashed(task.assignment, task.transfers, e).report());
      }
    }
  }

  private void report(TaskReport report) {
    reports.add(report);
    scheduleFlush();
  }

  private void scheduleFlush() {
    if (!flushPending) {
      flushPending = true;
      getContext().getSelf().tell(FlushReports.INSTANCE);
    }
  }

  private static long estimatedSize(TaskReport report) {
    return 96 + report.thread().length() + (report.error() == null ? 0 : 3L * report.error().length())
        + 96L * report.transfers().size() + 9L * report.missing().size();
  }
}
