package org.tasklane.protocol.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;

/** The call tree's counts, caps, folding, merging, user-frame cutting and wire form. */
class CallTreeTest {

  /** Every node as "outer;inner" -> total (plus "*" after a frame where the function starts). */
  static TreeMap<String, Long> paths(CallTree tree) {
    TreeMap<String, Long> out = new TreeMap<>();
    walk(tree.root(), "", out);
    return out;
  }

  private static void walk(CallTree.Node n, String prefix, TreeMap<String, Long> out) {
    for (CallTree.Node c : n.children()) {
      String p = (prefix.isEmpty() ? "" : prefix + ";") + c.frame() + (c.entry() ? "*" : "");
      out.put(p, c.total());
      walk(c, p, out);
    }
  }

  static List<String> stack(String... frames) {
    return List.of(frames);
  }

  @Test
  void countsEachPrefixAndTellsSelfFromTotal() {
    CallTree t = new CallTree(64, 100);
    t.add(stack("Thread.run", "Runner.run", "Fn.call", "Fn.spin"), 2, 3);
    t.add(stack("Thread.run", "Runner.run", "Fn.call"), 2, 1);
    t.add(stack("Thread.run", "Runner.args"), -1, 2);
    assertEquals(6, t.samples());
    assertEquals(5, t.size());
    TreeMap<String, Long> p = paths(t);
    assertEquals(6L, p.get("Thread.run"));
    assertEquals(4L, p.get("Thread.run;Runner.run"));
    assertEquals(4L, p.get("Thread.run;Runner.run;Fn.call*"));
    assertEquals(3L, p.get("Thread.run;Runner.run;Fn.call*;Fn.spin"));
    CallTree.Node call = t.root().children().iterator().next().children().stream()
        .filter(n -> n.frame().equals("Runner.run")).findFirst().orElseThrow().children().iterator().next();
    assertEquals(1, call.self());
  }

  @Test
  void framesBelowTheDepthCapFoldIntoTheLastKeptFrame() {
    CallTree t = new CallTree(3, 100);
    t.add(stack("a", "b", "c", "d", "e"), -1, 2);
    t.add(stack("a", "b", "c", "x"), -1, 1);
    assertEquals(3, t.size());
    assertEquals(3L, paths(t).get("a;b;c"));
  }

  @Test
  void pastTheNodeCapNewBranchesCountInTheirParentsOtherNode() {
    CallTree t = new CallTree(64, 3);
    t.add(stack("a", "b", "c"), -1, 5);
    t.add(stack("a", "x", "y"), -1, 2); // no room for x: a's (other) takes it, y goes with it
    t.add(stack("a", "z"), -1, 1); // the same (other)
    t.add(stack("a", "b", "c"), -1, 1); // known paths still count where they are
    TreeMap<String, Long> p = paths(t);
    assertEquals(9L, p.get("a"));
    assertEquals(6L, p.get("a;b;c"));
    assertEquals(3L, p.get("a;(other)"));
    assertEquals(4, t.size()); // over the cap by (other) nodes only, never by more than the cap again
  }

  @Test
  void pruneKeepsTheHeaviestNodesAndFoldsTheRarestBranchesIntoOther() {
    CallTree t = new CallTree(64, 10_000);
    t.add(stack("main", "hot", "hotter"), -1, 100);
    for (int i = 0; i < 50; i++) {
      t.add(stack("main", "cold" + i, "colder"), -1, 1);
    }
    t.prune(5);
    assertTrue(t.size() <= 5, "size " + t.size());
    TreeMap<String, Long> p = paths(t);
    assertEquals(150L, p.get("main"));
    assertEquals(100L, p.get("main;hot;hotter"));
    assertEquals(50L, p.get("main;(other)"));
    assertEquals(150, t.samples());
  }

  @Test
  void pruneToOneNodeLeavesOneOtherHoldingEverything() {
    CallTree t = new CallTree(64, 100);
    t.add(stack("a", "b"), -1, 2);
    t.add(stack("c"), -1, 1);
    t.prune(1);
    assertEquals(1, t.size());
    assertEquals(java.util.Map.of(CallTree.OTHER, 3L), paths(t));
  }

  @Test
  void mergeAddsPathByPathAndKeepsEntries() {
    CallTree a = new CallTree(64, 100);
    a.add(stack("run", "Fn.call", "spin"), 1, 2);
    CallTree b = new CallTree(64, 100);
    b.add(stack("run", "Fn.call", "spin"), 1, 3);
    b.add(stack("run", "other"), -1, 1);
    a.merge(b);
    TreeMap<String, Long> p = paths(a);
    assertEquals(6, a.samples());
    assertEquals(5L, p.get("run;Fn.call*;spin"));
    assertEquals(1L, p.get("run;other"));
  }

  @Test
  void userFramesCutEachStackAtTheFunctionAndPutThePlumbingApart() {
    CallTree t = new CallTree(64, 100);
    // the same function reached through two plumbing paths (say, two lane loops)
    t.add(stack("Thread.run", "Lanes.loop", "Runner.run", "Fn.call", "Fn.spin"), 3, 4);
    t.add(stack("Thread.run", "Lanes.loop2", "Runner.run", "Fn.call", "Fn.spin"), 3, 2);
    t.add(stack("Thread.run", "Lanes.loop", "Runner.run", "Fn.call"), 3, 1);
    // a sample inside the runner but outside the function (converting the result)
    t.add(stack("Thread.run", "Lanes.loop", "Runner.run", "Values.toJson"), -1, 3);
    CallTree u = t.userFrames();
    TreeMap<String, Long> p = paths(u);
    assertEquals(7L, p.get("Fn.call*"));
    assertEquals(6L, p.get("Fn.call*;Fn.spin"));
    assertEquals(3L, p.get(CallTree.PLUMBING));
    assertEquals(3, p.size());
    assertEquals(10, u.samples());
  }

  @Test
  void aTreeSurvivesItsWireFormAndTwoMessagesMergeOnTheDashboard() {
    CallTree t = new CallTree(64, 100);
    t.add(stack("run", "Fn.call", "spin"), 1, 2);
    t.add(stack("run", "Fn.call", "wait"), 1, 1);
    t.add(stack("run", "args"), -1, 1);
    CallTree.FrameTable table = new CallTree.FrameTable();
    DashboardProtocol.ProfileTree wire = t.toWire("g", table);
    assertEquals(5, wire.frames().size());
    assertEquals(5, table.frames().size()); // each frame text once
    CallTree back = new CallTree(64, 100);
    List<String> interned = new ArrayList<>();
    UnaryOperator<String> intern = s -> {
      interned.add(s);
      return s;
    };
    back.addWire(wire, table.frames(), intern);
    assertEquals(paths(t), paths(back));
    assertEquals(4, back.samples());
    back.addWire(wire, table.frames(), intern);
    assertEquals(4L, paths(back).get("run;Fn.call*;spin"));
    assertEquals(8, back.samples());
  }

  @Test
  void aWireTreeDeeperThanTheCapFoldsAndABrokenOneIsRefused() {
    CallTree deep = new CallTree(64, 100);
    deep.add(stack("a", "b", "c", "d"), -1, 2);
    CallTree.FrameTable table = new CallTree.FrameTable();
    DashboardProtocol.ProfileTree wire = deep.toWire("g", table);
    CallTree shallow = new CallTree(2, 100);
    shallow.addWire(wire, table.frames(), s -> s);
    assertEquals(2, shallow.size());
    assertEquals(2L, paths(shallow).get("a;b"));
    DashboardProtocol.ProfileTree broken =
        new DashboardProtocol.ProfileTree("g", List.of(0, 1), List.of(1, -1), List.of(1L, 1L), List.of());
    assertThrows(IllegalArgumentException.class, () -> new CallTree(64, 100).addWire(broken, List.of("a", "b"), s -> s));
  }
}
