package org.tasklane.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.worker.TestingTasks.input;
import static org.tasklane.worker.TestingTasks.task;

import com.fasterxml.jackson.databind.node.LongNode;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.WorkerProtocol;

/** The fetch bookkeeping alone: actor refs serve only as peer identities, no actor runs. */
class InputFetcherTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  /** A second actor system: its refs have another address, as a peer on another node has. */
  static final ActorTestKit otherNode = ActorTestKit.create("other-node");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
    otherNode.shutdownTestKit();
  }

  private final ActorRef<WorkerProtocol.DataCommand> own = testKit.<WorkerProtocol.DataCommand>createTestProbe().ref();
  private final ActorRef<WorkerProtocol.DataCommand> p = testKit.<WorkerProtocol.DataCommand>createTestProbe().ref();
  private final ActorRef<WorkerProtocol.DataCommand> q = testKit.<WorkerProtocol.DataCommand>createTestProbe().ref();
  private final InputFetcher fetcher = new InputFetcher(own);

  private static PendingTask pending(long seq, TaskAssignment.Input... inputs) {
    return new PendingTask(seq, task(100 + seq, "t-" + seq, "sum", List.of(), List.of(inputs)));
  }

  private static WorkerProtocol.DataItem item(long id) {
    return new WorkerProtocol.DataItem(id, LongNode.valueOf(id * 10), 8);
  }

  @Test
  void aLostPeersFetchesGoToTheNextHolderAtOnceAndItIsNotAskedUntilItIsBack() {
    ActorRef<WorkerProtocol.DataCommand> far = otherNode.<WorkerProtocol.DataCommand>createTestProbe().ref();
    org.apache.pekko.actor.Address farNode = far.path().address();
    TaskAssignment.Input i1 = input(1, "a", 8, far, q);
    TaskAssignment.Input i2 = input(2, "b", 8, far);
    PendingTask t1 = pending(1, i1);
    PendingTask t2 = pending(2, i2);
    assertFalse(fetcher.want(t1, List.of(i1)));
    assertFalse(fetcher.want(t2, List.of(i2)));
    List<InputFetcher.Request> first = fetcher.takeRequests(1000);
    assertEquals(1, first.size());
    assertEquals(far, first.get(0).peer());

    // far's node is unreachable: a goes to q now, b had no other holder (t2 settles, missing b)
    assertEquals(List.of(t2), fetcher.peerLost(farNode, false));
    assertEquals(List.of(2L), t2.missing);
    List<InputFetcher.Request> moved = fetcher.takeRequests(2000);
    assertEquals(1, moved.size());
    assertEquals(q, moved.get(0).peer());
    assertEquals(List.of(1L), moved.get(0).taskIds());
    // the old request's timeout, when it comes, changes nothing
    assertEquals(List.of(), fetcher.onTimeout(first.get(0).requestId()));

    // while it is unreachable, an input only it holds is missing at once
    TaskAssignment.Input i3 = input(3, "c", 8, far);
    PendingTask t3 = pending(3, i3);
    assertTrue(fetcher.want(t3, List.of(i3)));
    assertEquals(List.of(3L), t3.missing);

    // reachable again: it is asked
    fetcher.peerBack(farNode);
    TaskAssignment.Input i4 = input(4, "d", 8, far);
    assertFalse(fetcher.want(pending(4, i4), List.of(i4)));
    assertEquals(far, fetcher.takeRequests(3000).get(0).peer());
  }

  @Test
  void aReplicaIsFetchedWithNoTaskWaitingAndSharesItsFetchWithATaskThatWantsIt() {
    TaskAssignment.Input i1 = input(1, "a", 8, p);
    TaskAssignment.Input i2 = input(2, "b", 8, p, q);
    TaskAssignment.Input i3 = input(3, "c", 8);
    assertTrue(fetcher.replicate(i1));
    assertTrue(fetcher.replicate(i2));
    assertFalse(fetcher.replicate(i3), "no holder to ask");
    PendingTask t1 = pending(1, i1);
    assertFalse(fetcher.want(t1, List.of(i1)));
    List<InputFetcher.Request> requests = fetcher.takeRequests(1000);
    assertEquals(1, requests.size());
    assertEquals(List.of(1L, 2L), requests.get(0).taskIds(), "each fetched once");
    assertEquals(new InputFetcher.Replicas(List.of(), List.of(3L)), fetcher.drainReplicas());

    // p has a but not b: a arrives (and settles t1), b is asked of q
    InputFetcher.Arrivals fromP = fetcher.onReply(
        new WorkerProtocol.DataFetched(requests.get(0).requestId(), "peer-p", List.of(item(1)), List.of(2L)), 2000);
    assertEquals(List.of(item(1)), fromP.items());
    assertEquals(List.of(t1), fromP.settled());
    assertEquals(new InputFetcher.Replicas(List.of(1L), List.of()), fetcher.drainReplicas());
    assertEquals(new InputFetcher.Replicas(List.of(), List.of()), fetcher.drainReplicas());
    List<InputFetcher.Request> next = fetcher.takeRequests(3000);
    assertEquals(q, next.get(0).peer());
    // q does not answer in time either: b failed
    assertEquals(List.of(), fetcher.onTimeout(next.get(0).requestId()));
    assertEquals(new InputFetcher.Replicas(List.of(), List.of(2L)), fetcher.drainReplicas());
    assertEquals(0, fetcher.waitingTasks());
    assertEquals(0, fetcher.openRequests());
  }

  @Test
  void inputsAreBatchedPerPeerAndFetchedOnce() {
    TaskAssignment.Input i1 = input(1, "a", 8, p);
    TaskAssignment.Input i2 = input(2, "b", 8, p);
    TaskAssignment.Input i3 = input(3, "c", 8, q);
    PendingTask t1 = pending(1, i1, i2);
    PendingTask t2 = pending(2, i2, i3);
    assertFalse(fetcher.want(t1, List.of(i1, i2)));
    assertFalse(fetcher.want(t2, List.of(i2, i3)));
    List<InputFetcher.Request> requests = fetcher.takeRequests(1000);
    assertEquals(2, requests.size());
    assertEquals(p, requests.get(0).peer());
    assertEquals(List.of(1L, 2L), requests.get(0).taskIds());
    assertEquals(q, requests.get(1).peer());
    assertEquals(List.of(3L), requests.get(1).taskIds());
    assertEquals(List.of(), fetcher.takeRequests(1001), "nothing asked twice");
    assertEquals(2, fetcher.waitingTasks());

    InputFetcher.Arrivals fromP = fetcher.onReply(
        new WorkerProtocol.DataFetched(requests.get(0).requestId(), "peer-p", List.of(item(1), item(2)), List.of()), 2000);
    assertEquals(2, fromP.items().size());
    assertEquals(List.of(t1), fromP.settled());
    assertEquals(List.of(new Transfer(1, "a", "peer-p", 8, 1000, 2000), new Transfer(2, "b", "peer-p", 8, 1000, 2000)),
        t1.transfers);
    assertEquals(List.of(), t2.transfers, "a transfer is reported once, by the task that asked first");
    assertEquals(LongNode.valueOf(20), t2.values.get(2L));

    List<PendingTask> afterTimeout = fetcher.onTimeout(requests.get(1).requestId());
    assertEquals(List.of(t2), afterTimeout, "q was the only holder of 3");
    assertEquals(List.of(3L), t2.missing);
    assertEquals(0, fetcher.waitingTasks());
    assertEquals(0, fetcher.openRequests());
  }

  @Test
  void theNextHolderIsAskedWhenOneDoesNotHaveIt() {
    TaskAssignment.Input i4 = input(4, "d", 8, own, p, q);
    PendingTask t = pending(1, i4);
    assertFalse(fetcher.want(t, List.of(i4)));
    InputFetcher.Request first = fetcher.takeRequests(1).get(0);
    assertEquals(p, first.peer(), "its own endpoint is never asked");
    InputFetcher.Arrivals none =
        fetcher.onReply(new WorkerProtocol.DataFetched(first.requestId(), "peer-p", List.of(), List.of(4L)), 2);
    assertEquals(List.of(), none.settled());
    InputFetcher.Request second = fetcher.takeRequests(3).get(0);
    assertEquals(q, second.peer());
    InputFetcher.Arrivals got =
        fetcher.onReply(new WorkerProtocol.DataFetched(second.requestId(), "peer-q", List.of(item(4)), List.of()), 4);
    assertEquals(List.of(t), got.settled());
    assertTrue(t.missing.isEmpty());
    assertEquals("peer-q", t.transfers.get(0).peer());
  }

  @Test
  void aLateReplyAfterATimeoutChangesNothing() {
    TaskAssignment.Input i5 = input(5, "e", 8, p, q);
    PendingTask t = pending(1, i5);
    fetcher.want(t, List.of(i5));
    InputFetcher.Request toP = fetcher.takeRequests(1).get(0);
    assertEquals(List.of(), fetcher.onTimeout(toP.requestId()));
    InputFetcher.Request toQ = fetcher.takeRequests(2).get(0);
    assertEquals(q, toQ.peer());
    InputFetcher.Arrivals late =
        fetcher.onReply(new WorkerProtocol.DataFetched(toP.requestId(), "peer-p", List.of(item(5)), List.of()), 3);
    assertEquals(List.of(), late.items());
    assertEquals(List.of(), late.settled());
    assertEquals(1, fetcher.waitingTasks());
    InputFetcher.Arrivals fromQ =
        fetcher.onReply(new WorkerProtocol.DataFetched(toQ.requestId(), "peer-q", List.of(item(5)), List.of()), 4);
    assertEquals(List.of(t), fromQ.settled());
  }

  @Test
  void anInputWithNoOtherHolderSettlesAtOnce() {
    TaskAssignment.Input onlyHere = input(6, "f", 8, own);
    PendingTask t = pending(1, onlyHere);
    assertTrue(fetcher.want(t, List.of(onlyHere)));
    assertEquals(List.of(6L), t.missing);
    assertEquals(List.of(), fetcher.takeRequests(1));
    assertEquals(0, fetcher.waitingTasks());
  }

  @Test
  void largeInputsGoInSeparateRequests() {
    long big = InputFetcher.MAX_BYTES_PER_REQUEST * 3 / 4;
    TaskAssignment.Input a = input(7, "g", big, p);
    TaskAssignment.Input b = input(8, "h", big, p);
    TaskAssignment.Input c = input(9, "i", 10, p);
    fetcher.want(pending(1, a, b, c), List.of(a, b, c));
    List<InputFetcher.Request> requests = fetcher.takeRequests(1);
    assertEquals(2, requests.size());
    assertEquals(List.of(7L), requests.get(0).taskIds());
    assertEquals(List.of(8L, 9L), requests.get(1).taskIds());
  }
}
