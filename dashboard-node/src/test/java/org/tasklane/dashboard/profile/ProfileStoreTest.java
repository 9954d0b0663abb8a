package org.tasklane.dashboard.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tasklane.dashboard.http.ProfileRoutesAccess;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.profile.CallTree;

/** The dashboard's merged profiles: buckets, filters, views, bounds, and the route's parameters. */
class ProfileStoreTest {
  static final long T0 = 1_700_000_000_000L;

  /** A message of one worker: for each group, {@code samples} samples of run;Fn.call;{@code leaf}. */
  static DashboardProtocol.WorkerProfile message(String worker, Map<String, Long> groups, String leaf) {
    CallTree.FrameTable table = new CallTree.FrameTable();
    List<DashboardProtocol.ProfileTree> trees = new java.util.ArrayList<>();
    groups.forEach((g, n) -> {
      CallTree t = new CallTree(64, 100);
      t.add(List.of("Thread.run", "Fn.call", leaf), 1, n);
      t.add(List.of("Thread.run", "Runner.args"), -1, 1);
      trees.add(t.toWire(g, table));
    });
    return new DashboardProtocol.WorkerProfile(worker, "inc", 1, T0, T0 + 2000, 20, table.frames(), trees, 3, 5);
  }

  static ProfileStore.Frame child(ProfileStore.Frame f, String name) {
    return f.children().stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow(
        () -> new AssertionError(name + " not under " + f.name() + ": " + f.children()));
  }

  @Test
  void mergesWorkersAndFiltersByGroupWorkerAndWindow() {
    ProfileStore store = new ProfileStore();
    store.add(message("w1", Map.of("spin", 10L, "load", 2L), "spinHard"), T0);
    store.add(message("w2", Map.of("spin", 5L), "spinHard"), T0 + 1000);
    store.add(message("w2", Map.of("spin", 7L), "later"), T0 + 60_000);

    ProfileStore.Answer all = store.query(new ProfileStore.Query("", "", T0 - 1000, T0 + 61_000, false), T0 + 61_000);
    assertEquals(List.of("load", "spin"), all.groups());
    assertEquals(List.of("w1", "w2"), all.workers());
    assertEquals(28, all.samples()); // 10 + 2 + 5 + 7 in functions, 4 in the runner
    assertEquals(24, child(all.root(), "Fn.call").value());
    assertEquals(4, child(all.root(), CallTree.PLUMBING).value());
    assertEquals(9, all.unattributedSamples());

    ProfileStore.Answer spinW2 = store.query(new ProfileStore.Query("spin", "w2", T0 - 1000, T0 + 5000, false), T0 + 61_000);
    assertEquals(5, child(child(spinW2.root(), "Fn.call"), "spinHard").value());
    assertEquals(6, spinW2.samples());

    ProfileStore.Answer whole = store.query(new ProfileStore.Query("spin", "", T0 - 1000, T0 + 61_000, true), T0 + 61_000);
    assertEquals(25, child(whole.root(), "Thread.run").value()); // whole stacks start at the thread's root
    assertEquals(22, child(child(whole.root(), "Thread.run"), "Fn.call").value());
  }

  @Test
  void bucketsOlderThanFifteenMinutesGoAndAnswersStayWithinTheirCap() {
    ProfileStore store = new ProfileStore();
    store.add(message("w1", Map.of("old", 3L), "x"), T0);
    long later = T0 + ProfileStore.KEEP_MILLIS + 2 * ProfileStore.BUCKET_MILLIS;
    CallTree.FrameTable table = new CallTree.FrameTable();
    CallTree wide = new CallTree(64, 100_000);
    for (int i = 0; i < 6000; i++) {
      wide.add(List.of("Fn.call", "f" + i), 0, 1);
    }
    store.add(new DashboardProtocol.WorkerProfile("w1", "inc", 2, later, later, 20, List.of(), List.of(), 0, 0), later);
    store.add(new DashboardProtocol.WorkerProfile("w1", "inc", 3, later, later, 20,
        table.frames(), List.of(wide.toWire("wide", table)), 0, 0), later);
    assertTrue(store.nodes() <= 2 * 2000, "a tree keeps at most twice its cap: " + store.nodes());
    ProfileStore.Answer a = store.query(new ProfileStore.Query("", "", 0, later, false), later);
    assertEquals(List.of("wide"), a.groups(), "the old bucket is gone");
    assertEquals(6000, a.samples(), "folding loses no sample");
    assertTrue(count(a.root()) <= ProfileStore.MAX_ANSWER_NODES + 1, "answer of " + count(a.root()) + " frames");
  }

  static int count(ProfileStore.Frame f) {
    int n = 1;
    for (ProfileStore.Frame c : f.children()) {
      n += count(c);
    }
    return n;
  }

  @Test
  void badParametersAreOneLineErrors() {
    long now = T0;
    assertEquals(now - 60_000, ProfileRoutesAccess.query(Map.of("minutes", "1"), now).fromMillis());
    assertEquals(true, ProfileRoutesAccess.query(Map.of("all", "true", "group", "<b>g</b>"), now).all());
    assertEquals("minutes must be between 1 and 15, got 99",
        assertThrows(IllegalArgumentException.class, () -> ProfileRoutesAccess.query(Map.of("minutes", "99"), now))
            .getMessage());
    assertEquals("from must be a whole number, got 'yesterday'",
        assertThrows(IllegalArgumentException.class, () -> ProfileRoutesAccess.query(Map.of("from", "yesterday"), now))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> ProfileRoutesAccess.query(Map.of("colour", "red"), now)).getMessage().startsWith("unknown parameter 'colour'"));
  }
}
