package org.tasklane.worker.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.profile.CallTree;

/** Samples go to the task their thread ran at the sample's time (hand-made timelines), cut where the function starts. */
class SampleAttributorTest {
  static final ProfileSettings SETTINGS =
      new ProfileSettings(true, Duration.ofMillis(20), Duration.ofSeconds(2), 64, 2000, 4000, 3, 8);

  /** A task thread's stack, innermost first as JFR gives it: the lane loop, the runner, then {@code inner}. */
  static List<String[]> stack(String... innerFirst) {
    List<String[]> frames = new ArrayList<>();
    for (String f : innerFirst) {
      int dot = f.lastIndexOf('.');
      frames.add(new String[] {f.substring(0, dot), f.substring(dot + 1)});
    }
    frames.add(new String[] {"org.tasklane.worker.TaskRunner", "run"});
    frames.add(new String[] {"org.tasklane.worker.TaskLanes", "loop"});
    frames.add(new String[] {"java.lang.Thread", "run"});
    return frames;
  }

  static void sample(SampleAttributor a, long thread, long micros, List<String[]> frames) {
    List<String> classes = new ArrayList<>();
    List<String> methods = new ArrayList<>();
    for (String[] f : frames) {
      classes.add(f[0]);
      methods.add(f[1]);
    }
    a.onSample(thread, micros, classes, methods, false);
  }

  /** Group -> (user-frames path "a;b" -> total). */
  static Map<String, Map<String, Long>> userTrees(DashboardProtocol.WorkerProfile p) {
    Map<String, Map<String, Long>> out = new HashMap<>();
    for (DashboardProtocol.ProfileTree t : p.trees()) {
      CallTree tree = new CallTree(64, 10_000);
      tree.addWire(t, p.frames(), s -> s);
      out.put(t.group(), new java.util.TreeMap<>(CallTreePaths.of(tree.userFrames())));
    }
    return out;
  }

  @Test
  void eachSampleGoesToTheTaskItsThreadRanThenAndOtherThreadsAreCountedApart() {
    TaskTimeline lane = new TaskTimeline(8);
    lane.started("load", 1_000);
    lane.stopped(2_000);
    lane.started("spin", 50_000); // far enough from load's stop not to join it
    lane.stopped(60_000);
    ProfileAggregator agg = new ProfileAggregator(SETTINGS);
    SampleAttributor a = new SampleAttributor(id -> id == 7 ? lane : null, agg);
    List<String[]> spin = stack("demo.Busy.spinHere", "demo.Busy.call");
    sample(a, 7, 1_500, stack("demo.Load.call"));
    sample(a, 7, 55_000, spin);
    sample(a, 7, 59_999, spin);
    sample(a, 7, 30_000, spin); // between the two tasks: no task's
    sample(a, 8, 55_000, spin); // not a task thread
    DashboardProtocol.WorkerProfile p = agg.drain("w", "inc", 1);
    assertEquals(1, p.unattributedSamples());
    assertEquals(1, p.otherThreadSamples());
    Map<String, Map<String, Long>> trees = userTrees(p);
    assertEquals(Map.of("demo.Load.call", 1L), trees.get("load"));
    assertEquals(Map.of("demo.Busy.call", 2L, "demo.Busy.call;demo.Busy.spinHere", 2L), trees.get("spin"));
    assertNull(agg.drain("w", "inc", 2), "an interval without samples sends nothing");
  }

  @Test
  void backToBackTasksOfOneGroupShareAnEntrySoTinyTasksStayAttributable() {
    TaskTimeline lane = new TaskTimeline(4); // holds the last 3 entries
    for (int i = 0; i < 1000; i++) { // a thousand tiny tasks, 5 µs apart
      lane.started("inc", 100_000 + i * 10);
      lane.stopped(100_000 + i * 10 + 5);
    }
    assertEquals("inc", lane.groupAt(100_003));
    assertEquals("inc", lane.groupAt(109_000));
    lane.started("sum", 200_000);
    assertEquals("sum", lane.groupAt(250_000)); // still running
    assertEquals("inc", lane.groupAt(100_003));
    lane.stopped(260_000);
    lane.started("sum", 300_000); // a gap of 40 ms: a new entry
    assertEquals("inc", lane.groupAt(100_003));
    lane.stopped(310_000);
    lane.started("x", 400_000);
    assertNull(lane.groupAt(100_003)); // forgotten: unknown, never a wrong group
    assertEquals("sum", lane.groupAt(305_000));
    assertNull(lane.groupAt(280_000));
  }

  @Test
  void theCutFindsBuiltInsPluginsAndJavaFunctionsButNotTheRunnersOwnWork() {
    ProfileAggregator agg = new ProfileAggregator(SETTINGS);
    TaskTimeline lane = new TaskTimeline(8);
    lane.started("g", 0);
    SampleAttributor a = new SampleAttributor(id -> lane, agg);
    sample(a, 1, 10, stack("org.tasklane.worker.builtin.SlowInc.call")); // a built-in is the task's function
    sample(a, 1, 10, stack("java.util.ArrayList.add", "org.tasklane.worker.TaskRunner.arguments")); // arguments
    sample(a, 1, 10, stack("com.fasterxml.Gen.write", "org.tasklane.worker.Values.toJson")); // the result
    sample(a, 1, 10, stack("demo.User.work", "jdk.internal.reflect.DirectMethodHandleAccessor.invoke",
        "java.lang.reflect.Method.invoke", "org.tasklane.worker.code.JavaInvoker.invoke",
        "org.tasklane.worker.code.JavaCalls.call", "org.tasklane.worker.TaskRunner.runJava"));
    sample(a, 1, 10, stack("org.tasklane.worker.code.ValueCodec.decode", "org.tasklane.worker.code.JavaInvoker.invoke",
        "org.tasklane.worker.code.JavaCalls.call", "org.tasklane.worker.TaskRunner.runJava")); // decoding arguments
    Map<String, Long> user = userTrees(agg.drain("w", "inc", 1)).get("g");
    assertEquals(Map.of("org.tasklane.worker.builtin.SlowInc.call", 1L, "demo.User.work", 1L, CallTree.PLUMBING, 3L),
        user);
  }

  @Test
  void groupsPastTheCapShareOneTreeAndATruncatedStackIsTheFunctionsWhole() {
    ProfileAggregator agg = new ProfileAggregator(SETTINGS); // max 3 groups
    for (String g : List.of("a", "b", "c", "d")) {
      agg.add(g, List.of("x"), -1, false, 1);
    }
    agg.add("e", List.of("deep.inner"), -1, true, 1);
    DashboardProtocol.WorkerProfile p = agg.drain("w", "inc", 1);
    List<String> groups = new ArrayList<>();
    p.trees().forEach(t -> groups.add(t.group()));
    Collections.sort(groups);
    assertEquals(List.of(ProfileAggregator.OTHER_GROUPS, "a", "b"), groups);
    Map<String, Long> other = userTrees(p).get(ProfileAggregator.OTHER_GROUPS);
    assertEquals(1L, other.get(ProfileAggregator.TRUNCATED + ";deep.inner"));
    assertEquals(2L, other.get(CallTree.PLUMBING));
  }

  @Test
  void aMessageStaysWithinItsNodeCap() {
    ProfileSettings small = new ProfileSettings(true, Duration.ofMillis(20), Duration.ofSeconds(2), 64, 50, 60, 8, 8);
    ProfileAggregator agg = new ProfileAggregator(small);
    for (int g = 0; g < 4; g++) {
      for (int i = 0; i < 100; i++) {
        agg.add("g" + g, List.of("root", "f" + i, "leaf"), 1, false, 1);
      }
    }
    DashboardProtocol.WorkerProfile p = agg.drain("w", "inc", 1);
    int nodes = p.trees().stream().mapToInt(t -> t.frames().size()).sum();
    assertEquals(true, nodes <= 60, "nodes " + nodes);
    for (DashboardProtocol.ProfileTree t : p.trees()) {
      CallTree tree = new CallTree(64, 10_000);
      tree.addWire(t, p.frames(), s -> s);
      assertEquals(100, tree.samples(), "no sample lost in folding");
    }
  }

  @Test
  void longFrameTextsArePrunedUntilTheMessageFitsUnderItsByteBudget() {
    ProfileAggregator agg = new ProfileAggregator(SETTINGS);
    String padding = "x".repeat(300);
    for (int i = 0; i < 1500; i++) {
      agg.add("g", List.of("root", "com.example." + padding + ".f" + i), 1, false, 1);
    }
    DashboardProtocol.WorkerProfile p = agg.drain("w", "inc", 1);
    long texts = p.frames().stream().mapToLong(String::length).sum();
    assertEquals(true, texts < ProfileAggregator.MAX_MESSAGE_BYTES, "frame texts of " + texts + " chars");
    CallTree tree = new CallTree(64, 10_000);
    tree.addWire(p.trees().get(0), p.frames(), s -> s);
    assertEquals(1500, tree.samples());
  }

  @Test
  void lambdaAndHiddenClassNamesLoseWhatDiffersFromJvmToJvm() {
    assertEquals("org.tasklane.worker.TaskLanes$$Lambda.run",
        SampleAttributor.frameText("org.tasklane.worker.TaskLanes$$Lambda$1034+0x0000000801226a08", "run"));
    assertEquals("demo.Job$$Lambda.call", SampleAttributor.frameText("demo.Job$$Lambda$14/0x0000000800c03000", "call"));
    assertEquals("demo.Hidden.call", SampleAttributor.frameText("demo.Hidden/0x0000000800c03000", "call"));
    assertEquals("demo.Job.run", SampleAttributor.frameText("demo.Job", "run"));
  }
}
