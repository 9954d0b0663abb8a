package org.tasklane.scheduler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tasklane.scheduler.TaskTableDriver.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol.GroupEdge;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;

/** The dependencies between a graph's task groups, computed when the scheduler accepts it. */
class GroupEdgesTest {
  private final TaskTableDriver d = new TaskTableDriver();

  private GroupEdges.Result edgesOf(GraphSpec spec, int max) {
    d.submit(spec);
    return GroupEdges.of(d.table.graph(G).tasks, max);
  }

  @Test
  void eachPairOfGroupsIsOneEdgeHoweverManyTasksLinkThem() {
    List<TaskSpec> tasks = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      tasks.add(root("load-" + i));
      tasks.add(task("inc-" + i, "inc", "load-" + i));
      tasks.add(task("double-" + i, "inc", "inc-" + i, "load-" + i));
    }
    tasks.add(task("total", "add", "double-0", "double-1", "double-2"));
    GroupEdges.Result r = edgesOf(new GraphSpec("test", tasks, null), 100);
    assertEquals(List.of(new GroupEdge("load", "inc"), new GroupEdge("inc", "double"), new GroupEdge("load", "double"),
        new GroupEdge("double", "total")), r.edges(), "in the order first found, each once");
    assertFalse(r.truncated());
  }

  @Test
  void aChainInsideOneGroupIsNoEdge() {
    GroupEdges.Result r = edgesOf(chain("inc", 100), 100);
    assertEquals(List.of(), r.edges());
    assertFalse(r.truncated());
  }

  @Test
  void pastTheBoundTheFirstEdgesAreKeptAndTheResultSaysSomeAreMissing() {
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(root("source"));
    for (int i = 0; i < 20; i++) {
      tasks.add(new TaskSpec("t" + i, "inc", List.of(ref("source")), "sink-group-" + (char) ('a' + i)));
    }
    GroupEdges.Result r = edgesOf(new GraphSpec("test", tasks, null), 5);
    assertEquals(5, r.edges().size());
    assertEquals(new GroupEdge("source", "sink-group-a"), r.edges().get(0));
    assertEquals(new GroupEdge("source", "sink-group-e"), r.edges().get(4));
    assertTrue(r.truncated());
  }

  @Test
  void exactlyTheBoundIsComplete() {
    GroupEdges.Result r = edgesOf(graph(root("a"), root("b"), task("c", "add", "a", "b")), 2);
    assertEquals(List.of(new GroupEdge("a", "c"), new GroupEdge("b", "c")), r.edges());
    assertFalse(r.truncated(), "a duplicate past the bound is no missing edge");
  }

  @Test
  void aNegativeBoundIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> GroupEdges.of(new TaskRecord[0], -1));
  }

  @Test
  void theAcceptedGraphCarriesItsEdgesBoundedByTheProtocolsLimit() {
    d.submit(graph(root("x-0"), root("x-1"), task("y", "add", "x-0", "x-1")));
    assertEquals(List.of(new GroupEdge("x", "y")), d.table.graph(G).groupEdges.edges());
    assertEquals(10_000, org.tasklane.protocol.DashboardProtocol.GraphEvent.MAX_EDGES);
  }
}
