package org.tasklane.worker;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.typed.ActorRef;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.WorkerProtocol;

/**
 * The worker's bookkeeping of inputs it is fetching from peers; pure (no actor, no clock), the
 * worker actor feeds it events and carries out what it returns.
 *
 * <p>Each input is fetched once however many tasks wait for it, from its holders in order: when a
 * holder answers that it does not have it, or does not answer in time, the next holder is asked.
 * Inputs to ask the same holder for are batched into one request (up to {@link #MAX_IDS_PER_REQUEST}
 * ids and about {@link #MAX_BYTES_PER_REQUEST} bytes by the sizes the scheduler reported). A task is
 * settled when every input it waits for has arrived or has no holder left; the worker then runs it
 * or, if {@link PendingTask#missing} is not empty, reports it as missing data.
 *
 * <p>A result can also be fetched with no task waiting for it, as a replica
 * ({@link #replicate}): the worker keeps the copy and tells the scheduler which replicas it got
 * ({@link #drainReplicas}). It shares the fetch with any task that wants the same input.
 *
 * <p>A peer whose node is unreachable or gone ({@link #peerLost}) is asked no more: what it was
 * asked goes to the next holder at once, instead of waiting out the fetch timeout (30 s) for a node
 * that died.
 */
final class InputFetcher {
  /** Ids per fetch request, at most. */
  static final int MAX_IDS_PER_REQUEST = 1000;
  /** Reported input bytes per fetch request, about (a larger single input goes alone). */
  static final long MAX_BYTES_PER_REQUEST = 1 << 20;

  /** One fetch request sent to a peer's data endpoint. */
  record Request(long requestId, ActorRef<WorkerProtocol.DataCommand> peer, List<Long> taskIds, long startMicros) {}

  /** What a reply changed: the items to store, and the tasks now settled. */
  record Arrivals(List<WorkerProtocol.DataItem> items, List<PendingTask> settled) {}

  /** Replicas fetched since the last {@link #drainReplicas}, and those no holder had. */
  record Replicas(List<Long> stored, List<Long> failed) {
    boolean isEmpty() {
      return stored.isEmpty() && failed.isEmpty();
    }
  }

  private static final class InputFetch {
    final long taskId;
    final String key;
    final long nbytes;
    final List<ActorRef<WorkerProtocol.DataCommand>> holders = new ArrayList<>(2);
    final List<PendingTask> waiters = new ArrayList<>(1);
    /** Index in holders of the peer asked now (or to ask next). */
    int next;
    /** The request that asks for it now; 0 when none does. */
    long requestId;
    /** Kept as a replica: report it when it arrives or when no holder has it. */
    boolean replica;

    InputFetch(TaskAssignment.Input input) {
      this.taskId = input.taskId();
      this.key = input.key();
      this.nbytes = input.nbytes();
    }

    ActorRef<WorkerProtocol.DataCommand> peer() {
      return holders.get(next);
    }
  }

  private final ActorRef<WorkerProtocol.DataCommand> ownEndpoint;
  private final Map<Long, InputFetch> inputs = new HashMap<>();
  private final Map<Long, Request> requests = new HashMap<>();
  private final List<InputFetch> toRequest = new ArrayList<>();
  private long nextRequestId = 1;
  private int waitingTasks;
  private List<Long> replicasStored = new ArrayList<>();
  private List<Long> replicasFailed = new ArrayList<>();
  /** Nodes unreachable now; at most one entry per cluster member. */
  private final Set<Address> lost = new java.util.HashSet<>();

  /** @param ownEndpoint this worker's data endpoint, which is never asked (its store was checked) */
  InputFetcher(ActorRef<WorkerProtocol.DataCommand> ownEndpoint) {
    this.ownEndpoint = ownEndpoint;
  }

  /**
   * The task needs these inputs (distinct ids, none held here). Returns true if it is settled
   * already (every one of them has no holder to ask); else it waits.
   */
  boolean want(PendingTask task, List<TaskAssignment.Input> remote) {
    for (TaskAssignment.Input input : remote) {
      InputFetch f = inputs.get(input.taskId());
      if (f == null) {
        f = new InputFetch(input);
        addHolders(f, input.holders());
        skipLost(f);
        if (f.next >= f.holders.size()) {
          task.missing.add(input.taskId());
          continue;
        }
        inputs.put(f.taskId, f);
        toRequest.add(f);
      } else {
        addHolders(f, input.holders());
      }
      f.waiters.add(task);
      task.waitingFor.add(f.taskId);
    }
    if (task.waitingFor.isEmpty()) {
      return true;
    }
    waitingTasks++;
    return false;
  }

  /**
   * Fetch a copy of this result (not held here) with no task waiting for it. Returns false, and
   * counts it as failed, if it has no holder to ask.
   */
  boolean replicate(TaskAssignment.Input input) {
    InputFetch f = inputs.get(input.taskId());
    if (f == null) {
      f = new InputFetch(input);
      addHolders(f, input.holders());
      skipLost(f);
      if (f.next >= f.holders.size()) {
        replicasFailed.add(input.taskId());
        return false;
      }
      inputs.put(f.taskId, f);
      toRequest.add(f);
    } else {
      addHolders(f, input.holders());
    }
    f.replica = true;
    return true;
  }

  /** The replicas that arrived and that failed since the last call. */
  Replicas drainReplicas() {
    if (replicasStored.isEmpty() && replicasFailed.isEmpty()) {
      return new Replicas(List.of(), List.of());
    }
    Replicas r = new Replicas(replicasStored, replicasFailed);
    replicasStored = new ArrayList<>();
    replicasFailed = new ArrayList<>();
    return r;
  }

  /** The requests to send now, batched per peer; each gets a fresh request id. */
  List<Request> takeRequests(long nowMicros) {
    if (toRequest.isEmpty()) {
      return List.of();
    }
    Map<ActorRef<WorkerProtocol.DataCommand>, List<InputFetch>> open = new LinkedHashMap<>();
    Map<ActorRef<WorkerProtocol.DataCommand>, Long> openBytes = new HashMap<>();
    List<Request> out = new ArrayList<>();
    for (InputFetch f : toRequest) {
      ActorRef<WorkerProtocol.DataCommand> peer = f.peer();
      List<InputFetch> batch = open.get(peer);
      long bytes = openBytes.getOrDefault(peer, 0L);
      if (batch != null
          && (batch.size() >= MAX_IDS_PER_REQUEST || bytes + Math.max(0, f.nbytes) > MAX_BYTES_PER_REQUEST)) {
        out.add(request(peer, batch, nowMicros));
        batch = null;
        bytes = 0;
      }
      if (batch == null) {
        batch = new ArrayList<>();
        open.put(peer, batch);
      }
      batch.add(f);
      openBytes.put(peer, bytes + Math.max(0, f.nbytes));
    }
    for (Map.Entry<ActorRef<WorkerProtocol.DataCommand>, List<InputFetch>> e : open.entrySet()) {
      out.add(request(e.getKey(), e.getValue(), nowMicros));
    }
    toRequest.clear();
    return out;
  }

  /**
   * A peer answered. Arrived items settle their waiters (the first waiter records the transfer);
   * ids the peer did not have (or did not mention) go to their next holder. A reply to a request
   * that already timed out, or that this fetcher never sent, changes nothing.
   */
  Arrivals onReply(WorkerProtocol.DataFetched reply, long nowMicros) {
    Request request = requests.remove(reply.requestId());
    if (request == null) {
      return new Arrivals(List.of(), List.of());
    }
    List<WorkerProtocol.DataItem> arrived = new ArrayList<>(reply.items().size());
    List<PendingTask> settled = new ArrayList<>();
    for (WorkerProtocol.DataItem item : reply.items()) {
      InputFetch f = inputs.get(item.taskId());
      if (f == null || f.requestId != request.requestId()) {
        continue;
      }
      inputs.remove(f.taskId);
      arrived.add(item);
      if (f.replica) {
        replicasStored.add(f.taskId);
      }
      boolean first = true;
      for (PendingTask waiter : f.waiters) {
        waiter.values.put(f.taskId, item.value());
        if (first) {
          waiter.transfers.add(new Transfer(
              f.taskId, f.key, reply.peer(), item.nbytes(), request.startMicros(), nowMicros));
          first = false;
        }
        resolved(waiter, f.taskId, settled);
      }
    }
    for (long id : request.taskIds()) {
      InputFetch f = inputs.get(id);
      if (f != null && f.requestId == request.requestId()) {
        advance(f, settled);
      }
    }
    return new Arrivals(arrived, settled);
  }

  /** A request got no answer in time: its unanswered ids go to their next holder. */
  List<PendingTask> onTimeout(long requestId) {
    Request request = requests.remove(requestId);
    if (request == null) {
      return List.of();
    }
    List<PendingTask> settled = new ArrayList<>();
    for (long id : request.taskIds()) {
      InputFetch f = inputs.get(id);
      if (f != null && f.requestId == requestId) {
        advance(f, settled);
      }
    }
    return settled;
  }

  /**
   * The node at {@code address} is unreachable (or left): its open requests go to their inputs' next
   * holders now, and it is skipped as a holder until {@link #peerBack}. Returns the tasks this settled
   * (their inputs had no other holder).
   */
  List<PendingTask> peerLost(Address address, boolean removed) {
    if (!removed) {
      lost.add(address);
    } else {
      lost.remove(address); // its refs are dead: the scheduler lists it as a holder no more
    }
    List<PendingTask> settled = new ArrayList<>();
    for (Request r : new ArrayList<>(requests.values())) {
      if (r.peer().path().address().equals(address)) {
        settled.addAll(onTimeout(r.requestId()));
      }
    }
    return settled;
  }

  /** The node at {@code address} is reachable again. */
  void peerBack(Address address) {
    lost.remove(address);
  }

  /** Tasks waiting for at least one input. */
  int waitingTasks() {
    return waitingTasks;
  }

  /** Requests sent and not yet answered or timed out. */
  int openRequests() {
    return requests.size();
  }

  private Request request(ActorRef<WorkerProtocol.DataCommand> peer, List<InputFetch> batch, long nowMicros) {
    long id = nextRequestId++;
    List<Long> ids = new ArrayList<>(batch.size());
    for (InputFetch f : batch) {
      f.requestId = id;
      ids.add(f.taskId);
    }
    Request request = new Request(id, peer, List.copyOf(ids), nowMicros);
    requests.put(id, request);
    return request;
  }

  private void advance(InputFetch f, List<PendingTask> settled) {
    f.requestId = 0;
    f.next++;
    skipLost(f);
    if (f.next < f.holders.size()) {
      toRequest.add(f);
      return;
    }
    inputs.remove(f.taskId);
    if (f.replica) {
      replicasFailed.add(f.taskId);
    }
    for (PendingTask waiter : f.waiters) {
      waiter.missing.add(f.taskId);
      resolved(waiter, f.taskId, settled);
    }
  }

  private void resolved(PendingTask waiter, long inputId, List<PendingTask> settled) {
    if (waiter.waitingFor.remove(inputId) && waiter.waitingFor.isEmpty()) {
      waitingTasks--;
      settled.add(waiter);
    }
  }

  private void skipLost(InputFetch f) {
    while (!lost.isEmpty() && f.next < f.holders.size() && lost.contains(f.holders.get(f.next).path().address())) {
      f.next++;
    }
  }

  private void addHolders(InputFetch f, Collection<ActorRef<WorkerProtocol.DataCommand>> holders) {
    for (ActorRef<WorkerProtocol.DataCommand> h : holders) {
      if (h != null && !h.equals(ownEndpoint) && !f.holders.contains(h)) {
        f.holders.add(h);
      }
    }
  }
}
