package org.tasklane.system;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Workers come and go at random on a {@link LocalCluster}: SIGKILLed, stopped gracefully
 * (SIGTERM: the worker hands its results to others first) and started again, always keeping at
 * least one registered worker running. A system test runs it for seconds, a soak or bench for
 * minutes; all randomness comes from the {@link Random} it is given, so a seed replays the same
 * schedule of choices (the timing of the processes is the machine's).
 *
 * <p>It runs in rounds: each round SIGKILLs one worker and SIGTERMs another, in a random order,
 * each after a random pause (so work piles up between faults), and starts replacements at random
 * (at once or before the next fault). Every round has at least one kill and one graceful stop; a
 * graceful stop waits (up to {@link #HOLD_TIMEOUT}) until its victim holds a result, so that there
 * is something to hand off.
 * When the time is up it tops the workers up to the number there were at the start and waits
 * until the scheduler lists exactly the running ones (dead workers noticed, new ones registered).
 * It uses no JUnit: failures are {@link AssertionError}s, like {@link LocalCluster}'s.
 */
public final class WorkerChurn {

  /** What a run did. {@code handOffs}: graceful stops whose worker handed at least one result to others. */
  public record Counts(int kills, int gracefulStops, int starts, int handOffs, long handedResults) {}

  private static final Pattern HANDED = Pattern.compile("retiring: handed (\\d+) results");
  /** How long a SIGTERMed worker may take to hand off and leave (the retire timeout is 30 s). */
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(90);
  private static final Duration REGISTER_TIMEOUT = Duration.ofSeconds(120);
  /** How long a graceful stop waits for its victim to hold a result. */
  static final Duration HOLD_TIMEOUT = Duration.ofSeconds(30);

  private final LocalCluster cluster;
  private final int nthreads;
  private final Random defaultRandom;
  private final AtomicInteger kills = new AtomicInteger();
  private final AtomicInteger gracefulStops = new AtomicInteger();
  private final AtomicInteger starts = new AtomicInteger();
  private final AtomicInteger handOffs = new AtomicInteger();
  private final AtomicLong handedResults = new AtomicLong();
  private final List<String> retireLines = Collections.synchronizedList(new ArrayList<>());
  private int nextId = 1;

  /**
   * @param cluster the cluster whose workers (processes named {@code worker*}) come and go
   * @param nthreads the threads of each worker it starts
   * @param random the choices of {@link #run(Duration)}
   */
  public WorkerChurn(LocalCluster cluster, int nthreads, Random random) {
    this.cluster = cluster;
    this.nthreads = nthreads;
    this.defaultRandom = random;
  }

  /** Starts workers of 2 threads. */
  public WorkerChurn(LocalCluster cluster, Random random) {
    this(cluster, 2, random);
  }

  /** {@link #run(Duration, Random)} with the random given to the constructor. */
  public Counts run(Duration duration) {
    return run(duration, defaultRandom);
  }

  /**
   * Churns the workers for about {@code duration} (at least one round), then tops them up and
   * waits for the scheduler to list exactly the running ones. Returns the counts of this run;
   * {@link #kills()} and the others add up over runs, and can be read while it runs.
   * An interrupt ends it early (the interrupt stays set).
   */
  public Counts run(Duration duration, Random random) {
    Counts before = counts();
    long deadline = System.nanoTime() + duration.toNanos();
    List<String> running = runningWorkers();
    int initial = Math.max(1, running.size());
    try {
      boolean first = true;
      while (first || System.nanoTime() - deadline < 0) {
        List<Boolean> round = new ArrayList<>(List.of(true, false)); // true: kill, false: graceful stop
        Collections.shuffle(round, random);
        for (boolean kill : round) {
          if (!first && System.nanoTime() - deadline >= 0) {
            break;
          }
          running = atLeastTwo(running);
          Thread.sleep(500 + random.nextInt(2000)); // let work and results pile up on the workers
          String victim = running.get(random.nextInt(running.size()));
          if (kill) {
            cluster.kill(victim);
            kills.incrementAndGet();
          } else {
            stopGracefully(victim);
          }
          running.remove(victim);
          if (random.nextBoolean()) {
            running.add(startWorker());
          }
        }
        first = false;
      }
      while (running.size() < initial) {
        running.add(startWorker());
      }
      awaitListed(running);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Counts after = counts();
    return new Counts(after.kills() - before.kills(), after.gracefulStops() - before.gracefulStops(),
        after.starts() - before.starts(), after.handOffs() - before.handOffs(),
        after.handedResults() - before.handedResults());
  }

  /** Every count since this churn was made. */
  public Counts counts() {
    return new Counts(kills.get(), gracefulStops.get(), starts.get(), handOffs.get(), handedResults.get());
  }

  public int kills() {
    return kills.get();
  }

  public int gracefulStops() {
    return gracefulStops.get();
  }

  public int starts() {
    return starts.get();
  }

  /** Results handed to other workers by gracefully stopped workers, as their log lines say. */
  public long handedOff() {
    return handedResults.get();
  }

  /** The retirement line each gracefully stopped worker logged (or why there was none). */
  public List<String> retireLines() {
    synchronized (retireLines) {
      return new ArrayList<>(retireLines);
    }
  }

  // ------------------------------------------------------------------ steps

  private List<String> runningWorkers() {
    List<String> names = new ArrayList<>();
    for (Map.Entry<String, Process> e : cluster.processes().entrySet()) {
      if (e.getKey().startsWith("worker") && e.getValue().isAlive()) {
        names.add(e.getKey());
      }
    }
    return names;
  }

  /** Running and registered: at least two (one is left after the next fault), starting some if needed. */
  private List<String> atLeastTwo(List<String> running) throws IOException {
    while (running.size() < 2) {
      running.add(startWorker());
    }
    List<String> names = new ArrayList<>(running);
    LocalCluster.await(REGISTER_TIMEOUT, "workers " + names + " registered", () -> listed().containsAll(names));
    return running;
  }

  private String startWorker() throws IOException {
    String name = "worker-r" + nextId++;
    cluster.startWorker(name, nthreads);
    starts.incrementAndGet();
    return name;
  }

  /** SIGTERM (once it holds a result, or after a while), wait for the exit, and read the hand-off from its log. */
  private void stopGracefully(String victim) throws InterruptedException {
    long deadline = System.nanoTime() + HOLD_TIMEOUT.toNanos();
    while (heldResults(victim) < 1 && System.nanoTime() - deadline < 0) {
      Thread.sleep(100);
    }
    int code = cluster.stop(victim, STOP_TIMEOUT);
    gracefulStops.incrementAndGet();
    String line = retireLine(victim);
    retireLines.add(victim + " (exit " + code + "): " + line);
    Matcher m = HANDED.matcher(line);
    if (m.find()) {
      long n = Long.parseLong(m.group(1));
      handedResults.addAndGet(n);
      if (n > 0) {
        handOffs.incrementAndGet();
      }
    }
  }

  private String retireLine(String worker) {
    try {
      List<String> lines = Files.readAllLines(cluster.log(worker));
      for (int i = lines.size() - 1; i >= 0; i--) {
        if (lines.get(i).contains(" retiring: ")) {
          return lines.get(i);
        }
      }
      return "(no retirement line in " + cluster.log(worker) + ")";
    } catch (IOException e) {
      return "(cannot read " + cluster.log(worker) + ": " + e.getMessage() + ")";
    }
  }

  /** The results a worker says it holds (0 if it is not listed or does not answer). */
  private int heldResults(String worker) {
    try {
      for (JsonNode w : cluster.client().workers()) {
        if (w.get("name").asText().equals(worker)) {
          return w.at("/figures/tasks/heldResults").asInt();
        }
      }
    } catch (RuntimeException e) {
      // not answering for a moment
    }
    return 0;
  }

  /** The worker names the scheduler lists now (empty if it does not answer). */
  private Set<String> listed() {
    Set<String> names = new HashSet<>();
    try {
      for (JsonNode w : cluster.client().workers()) {
        names.add(w.get("name").asText());
      }
    } catch (RuntimeException e) {
      // not answering for a moment: nothing listed
    }
    return names;
  }

  /** Waits until the scheduler lists exactly these workers: the dead ones noticed, the new ones registered. */
  private void awaitListed(List<String> running) {
    Set<String> expected = new HashSet<>(running);
    LocalCluster.await(REGISTER_TIMEOUT, "the scheduler to list exactly " + expected,
        () -> listed().equals(expected));
  }
}
