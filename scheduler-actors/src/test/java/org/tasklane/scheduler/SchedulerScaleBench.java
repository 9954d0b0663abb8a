package org.tasklane.scheduler;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskReport;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.WorkerInfo;

/**
 * bench/scheduler-scale's in-JVM harness (no actors, no network): drives a {@link TaskTable} and a
 * {@link DashboardFeed} as the scheduler actor does, with 10, 100 and 1,000 registered workers of
 * two threads, and prints what each costs in this thread's CPU time (ThreadMXBean), so that the
 * figures hold on a loaded machine:
 *
 * <ul>
 *   <li>independent tasks: one report per event (the worst case: every event frees one slot and
 *       assigns one task), events per CPU second and CPU ns per assignment;
 *   <li>a tree sum (each task has two inputs, placed where its inputs are): the same;
 *   <li>pings: one {@code Pinged} event per worker while every worker is full and tasks wait;
 *   <li>the dashboard feed's publish tick (every 50 ms) while 100 tasks finish between ticks.
 * </ul>
 *
 * Uses only what the table had before issue 15 too (the feed's newer constructor and tick through
 * reflection), so the same class measures the code before and after. Prints, asserts nothing.
 *
 * <p>Run: bench/scheduler-scale [--tasks N] [--rounds N]
 */
public final class SchedulerScaleBench {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final List<String> FUNCTIONS = List.of("inc", "add");
  private static final int THREADS = 2;
  /** Each reported task ran 1 ms: a worker of two threads is fed 2 + 40 tasks at the default 20 ms target. */
  private static final long TASK_MICROS = 1_000;

  public static void main(String[] args) throws Exception {
    int tasks = 100_000;
    int rounds = 3;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--tasks" -> tasks = Integer.parseInt(args[++i]);
        case "--rounds" -> rounds = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown option " + args[i] + " (bench/scheduler-scale [--tasks N] [--rounds N])");
      }
    }
    System.out.printf(Locale.ROOT, "%-10s %8s %16s %14s %16s %14s %12s %14s%n", "workers", "round", "independent ev/s",
        "ns/assignment", "tree ev/s", "ns/assignment", "ns/ping", "ns/feed tick");
    for (int round = 1; round <= rounds; round++) {
      for (int workers : new int[] {10, 100, 1000}) {
        Figures ind = run(workers, independent(tasks), false);
        Figures tree = run(workers, tree(tasks / 2), false);
        Figures feed = run(workers, independent(tasks), true);
        System.out.printf(Locale.ROOT, "%-10d %8d %,16.0f %,14.0f %,16.0f %,14.0f %,12.0f %,14.0f%n", workers, round,
            ind.eventsPerSecond(), ind.nsPerAssignment(), tree.eventsPerSecond(), tree.nsPerAssignment(),
            ind.nsPerPing, feed.nsPerTick);
      }
    }
  }

  private record Figures(long events, long assignments, long cpuNanos, double nsPerPing, double nsPerTick) {
    double eventsPerSecond() {
      return events * 1e9 / Math.max(1, cpuNanos);
    }

    double nsPerAssignment() {
      return (double) cpuNanos / Math.max(1, assignments);
    }
  }

  /**
   * Registers the workers, submits the graph, then reports one task per event, worker after worker,
   * until the graph is done; with {@code withFeed} the feed observes the table and ticks every 100
   * reports (its tick's CPU is what is measured then).
   */
  private static Figures run(int nworkers, GraphSpec graph, boolean withFeed) throws Exception {
    TaskTable table = new TaskTable(TablePolicy.DEFAULT, TableSettings.DEFAULT);
    Object feed = null;
    Method tick = null;
    if (withFeed) {
      feed = feed(table);
      table.observe((TaskObserver) feed);
      tick = tickMethod();
    }
    List<String> names = new ArrayList<>();
    for (int i = 0; i < nworkers; i++) {
      names.add("w" + i);
      table.handle(new Event.WorkerJoined("w" + i, THREADS, Set.copyOf(FUNCTIONS), null));
    }
    long events = 0;
    long assignments = count(table.handle(new Event.Submit("g", graph, System.currentTimeMillis())));
    GraphRecord g = table.graph("g");
    double nsPerPing = pings(table, names);
    long cpu = 0;
    long tickCpu = 0;
    long ticks = 0;
    long now = System.nanoTime();
    int next = 0;
    while (g.remaining > 0) {
      WorkerRecord w = null;
      for (int tried = 0; tried < nworkers && w == null; tried++) {
        WorkerRecord c = table.worker(names.get(next));
        next = (next + 1) % nworkers;
        w = c.processing.isEmpty() ? null : c;
      }
      if (w == null) {
        throw new IllegalStateException("no task processing but " + g.remaining + " remaining");
      }
      TaskRecord t = w.processing.iterator().next();
      TaskReport r = new TaskReport(t.id, TaskReport.Outcome.OK, 8, 0, TASK_MICROS, "t-0", List.of(), null, List.of());
      long start = CPU.getCurrentThreadCpuTime();
      List<Instruction> out = table.handle(new Event.Reports(w.name, List.of(r)));
      cpu += CPU.getCurrentThreadCpuTime() - start;
      events++;
      assignments += count(out);
      if (feed != null && events % 100 == 0) {
        now += 50_000_000L; // the publish tick's 50 ms
        long s = CPU.getCurrentThreadCpuTime();
        tick(tick, feed, table, now);
        tickCpu += CPU.getCurrentThreadCpuTime() - s;
        ticks++;
      }
    }
    return new Figures(events, assignments, cpu, nsPerPing, ticks == 0 ? 0 : (double) tickCpu / ticks);
  }

  /** Ten rounds of one ping per worker, every worker full and tasks waiting: CPU ns per ping. */
  private static double pings(TaskTable table, List<String> names) {
    long start = CPU.getCurrentThreadCpuTime();
    int n = 0;
    for (int round = 0; round < 10; round++) {
      for (String name : names) {
        table.handle(new Event.Pinged(name, 1.0 + round));
        n++;
      }
    }
    return (double) (CPU.getCurrentThreadCpuTime() - start) / n;
  }

  private static long count(List<Instruction> out) {
    long n = 0;
    for (Instruction i : out) {
      n += i instanceof Instruction.Assign ? 1 : 0;
    }
    return n;
  }

  private static GraphSpec independent(int n) {
    List<TaskSpec> tasks = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      tasks.add(new TaskSpec("inc-" + i, "inc", List.of(JsonNodeFactory.instance.numberNode(i)), null));
    }
    return new GraphSpec("independent", tasks, null);
  }

  /** A binary tree sum over {@code leaves} leaves. */
  private static GraphSpec tree(int leaves) {
    List<TaskSpec> tasks = new ArrayList<>(2 * leaves);
    List<String> level = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      tasks.add(new TaskSpec("leaf-" + i, "inc", List.of(JsonNodeFactory.instance.numberNode(i)), null));
      level.add("leaf-" + i);
    }
    for (int depth = 0; level.size() > 1; depth++) {
      List<String> up = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        String key = "sum-" + depth + "-" + i / 2;
        List<com.fasterxml.jackson.databind.JsonNode> args = new ArrayList<>();
        args.add(JsonNodeFactory.instance.objectNode().put("ref", level.get(i)));
        if (i + 1 < level.size()) {
          args.add(JsonNodeFactory.instance.objectNode().put("ref", level.get(i + 1)));
        }
        tasks.add(new TaskSpec(key, "add", args, null));
        up.add(key);
      }
      level = up;
    }
    return new GraphSpec("tree", tasks, null);
  }

  /** The feed as the scheduler makes it: with the workers interval where the code has one. */
  private static Object feed(TaskTable table) throws Exception {
    java.util.function.Function<String, WorkerInfo> info =
        name -> new WorkerInfo(name, "host-" + name, "host-" + name + ":1", THREADS, FUNCTIONS, 1);
    java.util.function.ToDoubleFunction<String> latency = name -> table.worker(name).latencyMillis;
    for (Constructor<?> c : DashboardFeed.class.getDeclaredConstructors()) {
      if (c.getParameterCount() == 5) {
        return c.newInstance("bench", info, latency, 200_000, Duration.ofSeconds(1));
      }
    }
    return DashboardFeed.class.getDeclaredConstructor(String.class, java.util.function.Function.class,
        java.util.function.ToDoubleFunction.class, int.class).newInstance("bench", info, latency, 200_000);
  }

  private static Method tickMethod() {
    try {
      return DashboardFeed.class.getDeclaredMethod("nextBatches", TaskTable.class, long.class);
    } catch (NoSuchMethodException e) {
      try {
        return DashboardFeed.class.getDeclaredMethod("nextBatches", TaskTable.class);
      } catch (NoSuchMethodException e2) {
        throw new IllegalStateException(e2);
      }
    }
  }

  private static void tick(Method tick, Object feed, TaskTable table, long nowNanos) throws Exception {
    if (tick.getParameterCount() == 2) {
      tick.invoke(feed, table, nowNanos);
    } else {
      tick.invoke(feed, table);
    }
  }
}
