package org.tasklane.system.soak;

import java.time.Duration;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.client.TasklaneException;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Submits tree-sum graphs of random sizes one after another until told to stop, and checks each
 * result against the known sum. A graph that ends erred or with a wrong sum counts as completed
 * but not correct; one the scheduler refuses for now (429) is submitted again a little later.
 */
final class GraphLoad implements Runnable {
  private static final Duration GRAPH_TIMEOUT = Duration.ofMinutes(5);

  final AtomicLong submitted = new AtomicLong();
  final AtomicLong completed = new AtomicLong();
  final AtomicLong correct = new AtomicLong();
  /** What went wrong with the graphs that were not correct (the last one). */
  volatile String lastProblem = "";

  private final TasklaneClient client;
  private final Random random;
  private volatile boolean stopping;

  GraphLoad(TasklaneClient client, long seed) {
    this.client = client;
    this.random = new Random(seed);
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping && !Thread.currentThread().isInterrupted()) {
      int leaves = 50 + random.nextInt(1500);
      // leaves that take a few ms each keep tasks and results in flight while workers come and go
      double delay = random.nextInt(3) == 0 ? 0 : 0.002;
      String id;
      try {
        id = client.submit(DemoGraphs.tree(leaves, delay));
      } catch (TasklaneException e) {
        if (e.status() == 429) {
          pause(Duration.ofSeconds(1));
          continue;
        }
        // nothing else may fail a submit here: count it as a graph lost
        submitted.incrementAndGet();
        lastProblem = "a submit failed: " + e.getMessage();
        pause(Duration.ofSeconds(1));
        continue;
      }
      submitted.incrementAndGet();
      try {
        check(id, leaves);
      } catch (RuntimeException e) {
        // counted as submitted and not completed: the table shows it, and why
        lastProblem = "graph " + id + " (tree of " + leaves + "): " + e;
      }
    }
  }

  /** Waits for the graph, checks its sum, and forgets it. */
  private void check(String id, int leaves) {
    GraphStatus status = client.awaitDone(id, GRAPH_TIMEOUT);
    completed.incrementAndGet();
    GraphResults results = client.results(id);
    var total = results.results().get("total");
    if ("done".equals(status.state()) && status.erred() == 0 && total != null
        && total.asLong() == DemoGraphs.treeSum(leaves)) {
      correct.incrementAndGet();
    } else {
      lastProblem = "graph " + id + " (tree of " + leaves + "): state " + status.state() + ", erred "
          + status.erred() + ", total " + total + " instead of " + DemoGraphs.treeSum(leaves) + ", errors "
          + status.errors();
    }
    client.forget(id);
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
