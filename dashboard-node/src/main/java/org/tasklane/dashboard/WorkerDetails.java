package org.tasklane.dashboard;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.WorkerProtocol;

/**
 * What the dashboard knows of each worker up close: its figures over time ({@link WorkerHistory},
 * from the metrics the {@link Dashboard} hands on) and its actor, from the receptionist, so that
 * the worker page's routes ask the worker itself for its running tasks, log lines and thread
 * dumps, straight over Artery (not through the scheduler: docs/dashboard.md, "A worker up close").
 * A worker's metrics carry its address ({@code host:port}); the receptionist lists its actor, whose
 * path has the same address. A JVM of several workers ({@code --nworkers}) has one address for all:
 * there, worker {@code NAME-i} is the actor {@code worker-i}.
 */
public final class WorkerDetails extends AbstractBehavior<DashboardProtocol.Command> {

  /** Workers whose figures it keeps, at most (the one heard from longest ago goes first). */
  static final int MAX_WORKERS = 1024;
  /** A worker not heard from for this long is forgotten (its page then says it is unknown). */
  public static final long KEEP_MILLIS = 10 * 60_000;

  /** Asked by the routes: the worker of this name. */
  public record FindWorker(String name, ActorRef<FoundWorker> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  /**
   * The answer: {@code history} null if the dashboard knows no worker of that name; {@code worker}
   * null if the cluster does not list it now.
   */
  public record FoundWorker(WorkerHistory.Series history, ActorRef<WorkerProtocol.Command> worker)
      implements NoSerializationVerificationNeeded {}

  private record WorkersListed(Receptionist.Listing listing)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  private final WorkerHistory history = new WorkerHistory(MAX_WORKERS, KEEP_MILLIS);
  /** The workers' actors by their address, {@code host:port}: one, or several in a JVM of several workers. */
  private final Map<String, java.util.List<ActorRef<WorkerProtocol.Command>>> actors = new HashMap<>();
  private long prunedAt;

  public static Behavior<DashboardProtocol.Command> create() {
    return Behaviors.setup(WorkerDetails::new);
  }

  private WorkerDetails(ActorContext<DashboardProtocol.Command> context) {
    super(context);
    ActorRef<Receptionist.Listing> listings = context.messageAdapter(Receptionist.Listing.class, WorkersListed::new);
    context.getSystem().receptionist().tell(Receptionist.subscribe(WorkerProtocol.SERVICE_KEY, listings));
  }

  @Override
  public Receive<DashboardProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(DashboardProtocol.WorkerMetrics.class, this::onWorkerMetrics)
        .onMessage(WorkersListed.class, this::onWorkersListed)
        .onMessage(FindWorker.class, this::onFindWorker)
        .build();
  }

  private Behavior<DashboardProtocol.Command> onWorkerMetrics(DashboardProtocol.WorkerMetrics m) {
    long now = System.currentTimeMillis();
    history.add(m, now);
    if (now - prunedAt > 10_000) {
      prunedAt = now;
      history.prune(now);
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onWorkersListed(WorkersListed m) {
    Set<ActorRef<WorkerProtocol.Command>> listed = m.listing().getServiceInstances(WorkerProtocol.SERVICE_KEY);
    actors.clear();
    for (ActorRef<WorkerProtocol.Command> ref : listed) {
      actors.computeIfAbsent(addressOf(ref), a -> new java.util.ArrayList<>(1)).add(ref);
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onFindWorker(FindWorker m) {
    WorkerHistory.Series series = history.get(m.name());
    m.replyTo().tell(new FoundWorker(series, series == null ? null : actorOf(m.name(), series.address())));
    return this;
  }

  /** The actor of the worker of this name at this address: the only one there, else {@code worker-i} for {@code NAME-i}. */
  private ActorRef<WorkerProtocol.Command> actorOf(String name, String address) {
    java.util.List<ActorRef<WorkerProtocol.Command>> there = actors.get(address);
    if (there == null) {
      return null;
    }
    if (there.size() == 1) {
      return there.get(0);
    }
    String actor = "worker-" + name.substring(name.lastIndexOf('-') + 1);
    for (ActorRef<WorkerProtocol.Command> ref : there) {
      if (ref.path().name().equals(actor)) {
        return ref;
      }
    }
    return null;
  }

  /** {@code host:port} of the actor's node (this node's, for a local one), as workers give their address. */
  private String addressOf(ActorRef<?> ref) {
    Address a = ref.path().address();
    if (a.getHost().isEmpty()) {
      a = getContext().getSystem().address();
    }
    return a.getHost().orElse("") + ":" + a.getPort().map(String::valueOf).orElse("0");
  }
}
