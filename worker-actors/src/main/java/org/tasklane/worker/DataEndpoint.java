package org.tasklane.worker;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.tasklane.protocol.WorkerProtocol;

/**
 * A worker's data endpoint (child {@code "data"} of the worker): serves held results to peers and
 * to the client API, and receives the answers to its own worker's fetches, which it passes on.
 * Separate from the worker so that large transfers travel on their own lane and never wait
 * behind task traffic.
 */
public final class DataEndpoint extends AbstractBehavior<WorkerProtocol.DataCommand> {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(DataEndpoint.class);

  private final ResultStore store;
  private final String workerName;
  private final ActorRef<WorkerProtocol.DataFetched> fetchedTo;
  private final ActorRef<WorkerProtocol.Command> worker;
  private final java.util.concurrent.Executor blockingIo;

  /**
   * @param store the worker's results
   * @param workerName the name put in each answer ({@link WorkerProtocol.DataFetched#peer()})
   * @param fetchedTo where answers to the worker's own fetches go
   * @param worker where assignments that came on the large-message lane go
   */
  public static Behavior<WorkerProtocol.DataCommand> create(
      ResultStore store, String workerName, ActorRef<WorkerProtocol.DataFetched> fetchedTo,
      ActorRef<WorkerProtocol.Command> worker) {
    return Behaviors.setup(context -> new DataEndpoint(context, store, workerName, fetchedTo, worker));
  }

  private DataEndpoint(
      ActorContext<WorkerProtocol.DataCommand> context,
      ResultStore store,
      String workerName,
      ActorRef<WorkerProtocol.DataFetched> fetchedTo,
      ActorRef<WorkerProtocol.Command> worker) {
    super(context);
    this.worker = worker;
    this.store = store;
    this.workerName = workerName;
    this.fetchedTo = fetchedTo;
    this.blockingIo = context.getSystem().dispatchers().lookup(org.apache.pekko.actor.typed.DispatcherSelector.blocking());
  }

  @Override
  public Receive<WorkerProtocol.DataCommand> createReceive() {
    return newReceiveBuilder()
        .onMessage(WorkerProtocol.FetchData.class, this::onFetchData)
        .onMessage(WorkerProtocol.DataFetched.class, this::onDataFetched)
        .onMessage(WorkerProtocol.LargeAssignment.class, m -> {
          worker.tell(m.assignment());
          return this;
        })
        .build();
  }

  private Behavior<WorkerProtocol.DataCommand> onFetchData(WorkerProtocol.FetchData msg) {
    for (long id : msg.taskIds()) {
      if (store.isSpilled(id)) {
        // reading back from disk blocks: on the blocking dispatcher, never this actor's thread
        java.util.concurrent.CompletableFuture.runAsync(() -> answer(msg), blockingIo);
        return this;
      }
    }
    answer(msg);
    return this;
  }

  /** Answers a fetch from the store (any thread: the store and a reply ref are safe to use from one). */
  private void answer(WorkerProtocol.FetchData msg) {
    List<WorkerProtocol.DataItem> items = new ArrayList<>(msg.taskIds().size());
    List<Long> missing = new ArrayList<>(0);
    long bytes = 0;
    for (long id : msg.taskIds()) {
      ResultStore.Stored held;
      try {
        held = store.get(id);
      } catch (java.io.UncheckedIOException e) {
        LOG.warn("Worker {}: {}", workerName, e.getMessage());
        held = null; // the peer asks the result's next holder, or the scheduler has it computed again
      }
      if (held == null) {
        missing.add(id);
      } else {
        items.add(new WorkerProtocol.DataItem(id, held.value(), held.nbytes()));
        bytes += held.nbytes();
      }
    }
    // count before answering: whoever has the answer may ask for the counts at once
    store.recordServed(items.size(), bytes);
    msg.replyTo().tell(new WorkerProtocol.DataFetched(msg.requestId(), workerName, items, missing));
  }

  private Behavior<WorkerProtocol.DataCommand> onDataFetched(WorkerProtocol.DataFetched msg) {
    fetchedTo.tell(msg);
    return this;
  }
}
