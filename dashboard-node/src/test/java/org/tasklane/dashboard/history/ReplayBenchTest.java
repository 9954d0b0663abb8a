package org.tasklane.dashboard.history;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tasklane.dashboard.http.ReplayRoutes;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.api.GroupProgress;

/**
 * How fast a 1,000,000-task run opens on the tasks page and seeks to its middle, over HTTP against
 * a real history folder (the file written by the store's appender as the writer records an inc
 * graph at 30,000 tasks/s on 2 workers of 4 threads: a Tasks and a Progress record per 50 ms, the
 * workers' figures every second, a checkpoint every 2 s). Prints the figures; the bounds are loose
 * so that a busy machine does not fail the build (the goal is under 1 s each).
 */
class ReplayBenchTest {
  static final long T0 = 1_800_000_000_000L;
  @TempDir Path dir;

  static long writeRun(Path file, int tasks) throws IOException {
    String graphId = "bench";
    int perBatch = 1500;
    try (RunFileAppender a = new RunFileAppender(file)) {
      a.append(new HistoryRecord.RunStarted(T0, new DashboardProtocol.GraphEvent(graphId, "inc", "running", T0, 0,
          tasks, 0, List.of(new GroupProgress("inc", tasks, 0, 0, 0, 0, tasks))), "inc-1", false));
      long time = T0;
      long lastCheckpoint = T0;
      long lastWorkers = T0;
      GroupProgress now = null;
      for (int done = 0; done < tasks; ) {
        time += 50;
        List<DashboardProtocol.TaskEvent> batch = new ArrayList<>(perBatch);
        for (int i = 0; i < perBatch && done < tasks; i++, done++) {
          long start = T0 * 1000 + done * 33L; // 30,000 a second over 8 threads
          batch.add(new DashboardProtocol.TaskEvent(done + 1, "inc-" + done, "inc", graphId, "w" + (done % 2),
              "t" + (done / 2 % 4), start, start + 200 + (done % 7), "memory", 28, null, List.of(), List.of()));
        }
        now = new GroupProgress("inc", tasks, done, 0, 0, 8, tasks - done - Math.min(8, tasks - done));
        if (time - lastCheckpoint >= 2000) {
          a.append(new HistoryRecord.Checkpoint(time, List.of(now), List.of(TestingRuns.metrics("w0", time),
              TestingRuns.metrics("w1", time)), done));
          lastCheckpoint = time;
        }
        a.append(new HistoryRecord.Tasks(time, batch));
        a.append(new HistoryRecord.Progress(time, new DashboardProtocol.GraphEvent(graphId, "inc", "running", T0, 0,
            tasks, 0, List.of(now))));
        if (time - lastWorkers >= 1000) {
          a.append(new HistoryRecord.Workers(time, List.of(TestingRuns.metrics("w0", time),
              TestingRuns.metrics("w1", time))));
          lastWorkers = time;
        }
      }
      a.append(new HistoryRecord.RunFinished(time, new DashboardProtocol.GraphEvent(graphId, "inc", "done", T0, time,
          tasks, 0, List.of(new GroupProgress("inc", tasks, tasks, 0, 0, 0, 0)))));
      return time;
    }
  }

  /** This thread's CPU time: the machine is shared, and wall times vary with the others' load. */
  static long cpu() {
    return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
  }

  @Test
  void aMillionTaskRunOpensOnTheTasksPageAndSeeksToItsMiddleQuickly() throws Exception {
    String id = RunIds.of(T0, "bench");
    long end = writeRun(dir.resolve(id + RunFileFormat.EXTENSION), 1_000_000);
    HistoryStore store = new HistoryStore(dir, 10, 1L << 40, true);
    store.scan();
    ActorTestKit testKit = ActorTestKit.create("ReplayBenchTest", ConfigFactory.load("application-test"));
    try {
      ObjectMapper mapper = JacksonObjectMapperProvider.get(testKit.system()).getOrCreate("jackson-json", Optional.empty());
      ReplayRoutes replay = new ReplayRoutes(testKit.system(), store::open, mapper);
      ServerBinding binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0)
          .bind(pathPrefix("runs", () -> pathPrefix(PathMatchers.segment(), replay::routes)))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      HttpClient http = HttpClient.newHttpClient();
      String base = "http://127.0.0.1:" + binding.localAddress().getPort() + "/runs/" + id + "/";
      long middle = (T0 + end) / 2;
      for (int round = 1; round <= 2; round++) { // the first round pays the JIT's warm-up
        long t = System.nanoTime();
        HttpResponse<String> whole = http.send(HttpRequest.newBuilder(URI.create(base
            + "api/v1/tasks.json?from=" + T0 * 1000 + "&to=" + end * 1000 + "&width=1200")).build(),
            HttpResponse.BodyHandlers.ofString());
        long wholeMs = (System.nanoTime() - t) / 1_000_000;
        t = System.nanoTime();
        HttpResponse<String> seek = http.send(HttpRequest.newBuilder(URI.create(base + "api/v1/status.json?t=" + middle))
            .build(), HttpResponse.BodyHandlers.ofString());
        long seekMs = (System.nanoTime() - t) / 1_000_000;
        assertEquals(200, whole.statusCode(), whole.body());
        assertEquals(200, seek.statusCode(), seek.body());
        JsonNode w = mapper.readTree(whole.body());
        JsonNode s = mapper.readTree(seek.body());
        assertEquals("summary", w.get("detail").asText());
        assertEquals(1_000_000, w.get("total").asLong());
        assertEquals(middle, s.get("now").asLong());
        System.out.printf("replay, wall time over HTTP: 1,000,000-task run, round %d: the whole run's window (%d bytes) in %d ms, "
            + "status.json at its middle (%d tasks done, %d bytes) in %d ms%n", round, whole.body().length(), wholeMs,
            s.get("groups").get(0).get("memory").asLong(), seek.body().length(), seekMs);
        assertTrue(wholeMs < 20_000 && seekMs < 20_000, "window " + wholeMs + " ms, seek " + seekMs + " ms");
      }
      // the same work in parts, on this thread, warmed up: CPU time (the machine is shared)
      try (RunRecording r = store.open(id).orElseThrow()) {
        long a = cpu();
        TaskDetail.Window w = TaskDetail.of(r, T0 * 1000, end * 1000, 1200);
        long b = cpu();
        long[] n = {0};
        r.forEachTaskBetween(T0 * 1000, end * 1000, x -> n[0]++);
        long c = cpu();
        ReplayCursor.at(r, middle, RunBounds.of(r).end()).snapshot(0);
        long d = cpu();
        RecordSpan.Read read = RecordSpan.endingAt(r, middle, ReplayCursor.HISTORY_MILLIS, 1000);
        long e = cpu();
        System.out.printf("replay, CPU time: the whole run's window %d ms (decoding its %d tasks alone: %d ms); the state "
            + "at the middle %d ms (reading its 5 min 10 s of records alone, %d of them: %d ms)%n", (b - a) / 1_000_000,
            n[0], (c - b) / 1_000_000, (d - c) / 1_000_000, read.entries().size(), (e - d) / 1_000_000);
        assertEquals(1_000_000, w.total());
      }
      binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    } finally {
      testKit.shutdownTestKit();
    }
  }
}
