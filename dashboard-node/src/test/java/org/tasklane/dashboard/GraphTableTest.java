package org.tasklane.dashboard;

import static org.junit.jupiter.api.Assertions.*;
import static org.tasklane.dashboard.TestingEvents.group;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.DashboardProtocol.GraphEvent;
import org.tasklane.protocol.DashboardProtocol.GroupEdge;
import org.tasklane.protocol.api.GroupProgress;

/** The graphs the dashboard holds for the graph page: groups, edges, what changed, bounds, snapshots. */
class GraphTableTest {
  static final List<GroupEdge> EDGES = List.of(new GroupEdge("a", "b"), new GroupEdge("b", "c"));

  static GraphEvent accepted(String id, GroupProgress... groups) {
    return new GraphEvent(id, "name of " + id, "running", 1_000, 0, 30, 0, List.of(groups), EDGES, false);
  }

  static GraphEvent changed(String id, String state, GroupProgress... groups) {
    return new GraphEvent(id, "name of " + id, state, 1_000, "running".equals(state) ? 0 : 2_000, 30, 0,
        List.of(groups));
  }

  static DashboardView.Group view(GroupProgress g) {
    return DashboardView.Group.of(g);
  }

  private final GraphTable table = new GraphTable();

  @Test
  void aGraphKeepsTheEdgesOfItsFirstEventWhileLaterOnesChangeItsCounts() {
    table.apply(accepted("g1", group("a", 10, 0, 0, 0, 0), group("b", 10, 0, 0, 0, 0), group("c", 10, 0, 0, 0, 0)));
    table.apply(changed("g1", "running", group("a", 10, 4, 0, 0, 6)));
    DashboardView.GraphDetail d = table.detail("g1", 7);
    assertEquals(7, d.seq());
    assertEquals("name of g1", d.graph().name());
    assertEquals(3, d.graph().groups());
    assertEquals(List.of(view(group("a", 10, 4, 0, 0, 6)), view(group("b", 10, 0, 0, 0, 0)),
        view(group("c", 10, 0, 0, 0, 0))), d.groups(), "in the graph's order, counts absolute");
    assertEquals(List.of(new DashboardView.GroupEdge("a", "b"), new DashboardView.GroupEdge("b", "c")), d.edges());
    assertFalse(d.edgesTruncated());
    assertNull(table.detail("nope", 7));
  }

  @Test
  void changesListEachChangedGraphWithOnlyItsChangedGroupsThenNothing() {
    table.apply(accepted("g1", group("a", 10, 0, 0, 0, 0), group("b", 10, 0, 0, 0, 0)));
    assertEquals(2, table.takeChanges(1).graphs().get(0).groups().size(), "a new graph: every group");
    assertNull(table.takeChanges(2), "nothing changed");
    table.apply(changed("g1", "running", group("b", 10, 0, 0, 0, 3)));
    table.apply(changed("g1", "running", group("b", 10, 0, 0, 0, 3)));
    DashboardView.GraphChanges c = table.takeChanges(3);
    assertEquals(3, c.seq());
    assertEquals(List.of(view(group("b", 10, 0, 0, 0, 3))), c.graphs().get(0).groups());
    table.apply(changed("g1", "done", group("b", 10, 10, 0, 0, 0)));
    assertEquals("done", table.takeChanges(4).graphs().get(0).graph().state());
  }

  @Test
  void aDashboardThatJoinsWhileAGraphRunsLearnsItsEdgesFromTheSnapshot() {
    DashboardState state = new DashboardState();
    state.apply(new DashboardProtocol.Snapshot("inc-1", 5, 0, List.of(group("a", 10, 2, 0, 0, 1)), List.of(),
        List.of(), List.of(accepted("g1", group("a", 10, 2, 0, 0, 1), group("b", 10, 0, 0, 0, 0)))), 0);
    DashboardView.GraphDetail d = state.graphs().detail("g1", 1);
    assertEquals(2, d.edges().size());
    assertEquals(view(group("a", 10, 2, 0, 0, 1)), d.groups().get(0));
    // then the batches that follow apply on top
    state.apply(new DashboardProtocol.SchedulerEvents("inc-1", 6, 0, List.of(), List.of(), List.of(), 0, List.of(),
        false, List.of(changed("g1", "running", group("b", 10, 0, 0, 0, 5)))), 0);
    d = state.graphs().detail("g1", 2);
    assertEquals(view(group("b", 10, 0, 0, 0, 5)), d.groups().get(1));
    assertEquals(2, d.edges().size(), "edges stay");
  }

  @Test
  void aSnapshotDropsTheGraphsTheSchedulerNoLongerHoldsAndSaysSo() {
    table.apply(accepted("old", group("a", 1, 0, 0, 0, 0)));
    table.apply(accepted("g1", group("a", 1, 0, 0, 0, 0), group("gone", 1, 0, 0, 0, 0)));
    table.takeChanges(1);
    table.replace(List.of(accepted("g1", group("a", 1, 1, 0, 0, 0))));
    assertEquals(List.of("g1"), table.list().stream().map(DashboardView.GraphItem::id).toList());
    assertEquals(List.of(view(group("a", 1, 1, 0, 0, 0))), table.detail("g1", 1).groups(),
        "a group the snapshot does not have is gone");
    assertEquals(List.of("old"), table.takeChanges(2).removed());
  }

  @Test
  void pastItsBoundTheOldestFinishedGraphGoesFirstThenTheOldest() {
    table.apply(accepted("running-0", group("a", 1, 0, 0, 0, 0)));
    table.apply(accepted("finished", group("a", 1, 0, 0, 0, 0)));
    table.apply(changed("finished", "done", group("a", 1, 1, 0, 0, 0)));
    for (int i = 1; i < GraphTable.MAX_GRAPHS - 1; i++) {
      table.apply(accepted("running-" + i, group("a", 1, 0, 0, 0, 0)));
    }
    assertEquals(GraphTable.MAX_GRAPHS, table.size());
    table.takeChanges(1);
    table.apply(accepted("one-more", group("a", 1, 0, 0, 0, 0)));
    assertEquals(GraphTable.MAX_GRAPHS, table.size());
    assertNull(table.detail("finished", 1), "the finished graph went first");
    assertEquals(List.of("finished"), table.takeChanges(2).removed());
    table.apply(accepted("and-another", group("a", 1, 0, 0, 0, 0)));
    assertNull(table.detail("running-0", 1), "then the oldest");
    assertNotNull(table.detail("and-another", 1));
  }

  @Test
  void groupsPastTheBoundAreCountedNotKept() {
    List<GroupProgress> groups = new ArrayList<>();
    for (int i = 0; i < GraphTable.MAX_GROUPS + 5; i++) {
      groups.add(group("g" + i, 1, 0, 0, 0, 0));
    }
    table.apply(new GraphEvent("big", "big", "running", 1, 0, groups.size(), 0, groups));
    DashboardView.GraphDetail d = table.detail("big", 1);
    assertEquals(GraphTable.MAX_GROUPS, d.groups().size());
    assertEquals(5, d.droppedGroups());
    assertEquals(GraphTable.MAX_GROUPS + 5, d.graph().groups());
  }

  @Test
  void edgesTheSchedulerLeftOutAreSaidToBeMissing() {
    table.apply(new GraphEvent("g1", "x", "running", 1, 0, 3, 0, List.of(group("a", 1, 0, 0, 0, 0)),
        List.of(new GroupEdge("a", "b")), true));
    assertTrue(table.detail("g1", 1).edgesTruncated());
  }
}
