package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.tasklane.client.MemoryGraphs;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.TaskSpec;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Workers with a 256 MiB memory limit (on a 384 MiB heap) and results that do not fit: 1.5 GiB of
 * 8 MiB loads, then reductions, completes with the right answer, spilling to disk (seen in the
 * spill folder and on the dashboard while it runs), leaving nothing behind and no worker dying of
 * OutOfMemoryError. A task that takes more than the limit pauses its worker, or restarts it.
 */
class MemorySystemTest {
  static final String LIMIT = "256MiB";
  static final int LOADS = 192;
  static final int LOAD_BYTES = 8 << 20;
  static final JsonNodeFactoryHolder J = new JsonNodeFactoryHolder();

  LocalCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  /** Starts a worker under (or without) a nanny with the memory limit, spilling into {@code spillDir}. */
  Process worker(String name, Path spillDir, boolean nanny, String... more) throws IOException {
    List<String> args = new ArrayList<>(List.of("worker", "--scheduler", "127.0.0.1:" + cluster.port(),
        "--host", "127.0.0.1", "--nthreads", "2", "--name", name, "--join-timeout", "60s",
        "--memory-limit", LIMIT, "--spill-dir", spillDir.toString()));
    args.addAll(List.of(more));
    if (!nanny) {
      args.add("--no-nanny");
    }
    return cluster.start(name, args.toArray(new String[0]));
  }

  static long spillFiles(Path dir) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.toString().endsWith(".cbor")).count();
    } catch (IOException | UncheckedIOException e) {
      return 0; // a file deleted while listed: try again
    }
  }

  static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.toList();
    }
  }

  String log(String name) throws IOException {
    return Files.readString(cluster.log(name));
  }

  @Test
  void resultsLargerThanMemorySpillAndTheGraphCompletes() throws Exception {
    cluster = LocalCluster.start("memory-spill", 0, 1);
    Path spillDir = cluster.logs().resolve("spill").toAbsolutePath();
    worker("mem-1", spillDir, false);
    worker("mem-2", spillDir, false);
    cluster.awaitWorkers(2);

    long start = System.nanoTime();
    String id = cluster.client().submit(MemoryGraphs.spill(LOADS, LOAD_BYTES, 4));
    AtomicLong mostFiles = new AtomicLong();
    AtomicLong mostSpilledOnPage = new AtomicLong();
    LocalCluster.await(Duration.ofSeconds(100), "spill seen on disk and on the dashboard, and the graph done", () -> {
      mostFiles.accumulateAndGet(spillFiles(spillDir), Math::max);
      JsonNode workers = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/workers.json");
      if (workers != null) {
        long spilled = 0;
        for (JsonNode w : workers) {
          spilled += w.at("/figures/memory/spilledBytes").asLong();
        }
        mostSpilledOnPage.accumulateAndGet(spilled, Math::max);
      }
      return mostFiles.get() > 0 && mostSpilledOnPage.get() > 0
          && !cluster.client().status(id).state().equals("running");
    });
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofSeconds(30));
    double seconds = (System.nanoTime() - start) / 1e9;
    assertEquals("done", status.state(), status::toString);
    assertEquals(MemoryGraphs.total(LOADS, LOAD_BYTES), cluster.client().results(id).results().get("total").asLong());
    System.out.printf(Locale.ROOT, "1.5 GiB through 2 workers of %s: %.1f s; most spill files at once %d; "
        + "most spilled on the dashboard %d MiB%n", LIMIT, seconds, mostFiles.get(), mostSpilledOnPage.get() >> 20);

    // released results take their files with them
    cluster.client().forget(id);
    LocalCluster.await(Duration.ofSeconds(30), "no spill file left", () -> spillFiles(spillDir) == 0);
    JsonNode heap = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/workers.json").get(0).at("/figures/memory");
    assertEquals(268435456L, heap.path("limitBytes").asLong(), heap::toString);
    assertEquals(0.6, heap.path("target").asDouble(), heap::toString);

    // a stopped worker takes its folder with it
    cluster.stop("mem-1", Duration.ofSeconds(60));
    cluster.stop("mem-2", Duration.ofSeconds(60));
    assertEquals(List.of(), entries(spillDir), "the spill folder is empty once the workers stopped");
    for (String w : List.of("mem-1", "mem-2")) {
      assertFalse(log(w).contains("OutOfMemoryError"), w + " ran out of heap; see " + cluster.log(w));
    }
  }

  @Test
  void aTaskPastTheLimitPausesItsWorkerAndTheGraphGoesOn() throws Exception {
    cluster = LocalCluster.start("memory-pause", 0, 1);
    Path spillDir = cluster.logs().resolve("spill-pause").toAbsolutePath();
    worker("pause-1", spillDir, false, "--memory-terminate-fraction", "0");
    cluster.awaitWorkers(1);
    // 220 MiB held for 3 s: past the pause line (205 MiB), below the heap; then small tasks
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(new TaskSpec("hog", "hold", List.of(J.num(220L << 20), J.num(3)), null));
    for (int i = 0; i < 20; i++) {
      tasks.add(new TaskSpec("after-" + i, "sleep", List.of(J.num(0.05), J.num(i)), null));
    }
    String id = cluster.client().submit(new GraphSpec("pause", tasks, null));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofSeconds(60));
    assertEquals("done", status.state(), status::toString);
    LocalCluster.await(Duration.ofSeconds(10), "the worker said it paused and resumed", () -> {
      try {
        String log = log("pause-1");
        return log.contains("pause-1 pauses (takes no new tasks)") && log.contains("pause-1 resumes");
      } catch (IOException e) {
        return false;
      }
    });
    assertFalse(log("pause-1").contains("OutOfMemoryError"));
  }

  @Test
  void aTaskPastTheRestartLineRestartsItsWorkerAndTheGraphGoesOn() throws Exception {
    cluster = LocalCluster.start("memory-restart", 0, 1);
    Path spillDir = cluster.logs().resolve("spill-restart").toAbsolutePath();
    worker("restart-1", spillDir, true, "--max-restarts", "5");
    cluster.awaitWorkers(1);
    // 272 MiB held: past 95 % of the limit (243 MiB), within the 384 MiB heap; it kills every worker
    // it runs on, so after allowed-failures (3) deaths it errs; the other tasks complete
    List<TaskSpec> tasks = new ArrayList<>();
    tasks.add(new TaskSpec("hog", "hold", List.of(J.num(272L << 20), J.num(20)), null));
    for (int i = 0; i < 10; i++) {
      tasks.add(new TaskSpec("other-" + i, "inc", List.of(J.num(i)), null));
    }
    String id = cluster.client().submit(new GraphSpec("restart", tasks, null));
    GraphStatus status = cluster.client().awaitDone(id, Duration.ofSeconds(100));
    assertEquals("done", status.state(), status::toString);
    assertEquals(1, status.erred(), status::toString);
    assertEquals(10, status.done(), status::toString);
    String log = log("restart-1");
    assertTrue(log.contains("restart-1 restarts: memory is"), log);
    assertTrue(log.contains("exited with code 75"), log);
    assertFalse(log.contains("OutOfMemoryError"), log);
    cluster.awaitWorkers(1); // and it is back
  }

  /** Small JSON values. */
  static final class JsonNodeFactoryHolder {
    JsonNode num(long n) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(n);
    }

    JsonNode num(double d) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.numberNode(d);
    }
  }
}
