package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.tasklane.client.DemoGraphs;
import org.tasklane.protocol.api.GraphStatus;

/** A worker JVM killed with SIGKILL during a graph: the graph still completes with the right result. */
class WorkerKillSystemTest {

  @Test
  void graphSurvivesAWorkerKilledMidway() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("worker-kill", 2, 1)) {
      int leaves = 600;
      var graph = DemoGraphs.tree(leaves, 0.01); // ~6 s of busy work, in two workers' hands
      String id = cluster.client().submit(graph);

      // kill once both workers have done real work, so results exist only on the victim
      LocalCluster.await(Duration.ofSeconds(60), "a third of the tasks done",
          () -> cluster.client().status(id).done() > graph.tasks().size() / 3);
      cluster.kill("worker-2");

      GraphStatus status = cluster.client().awaitDone(id, Duration.ofMinutes(3));
      assertEquals("done", status.state(), () -> "state: " + status);
      assertEquals(0, status.erred(), () -> "errors: " + status.errors());
      assertEquals(DemoGraphs.treeSum(leaves), cluster.client().results(id).results().get("total").asLong());
      LocalCluster.await(Duration.ofSeconds(30), "the killed worker left the worker list",
          () -> cluster.client().workers().size() == 1);
    }
  }
}
