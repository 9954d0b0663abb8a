package org.tasklane.client;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.tasklane.client.codec.ValueCodec;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Runs your own Java code on a Tasklane cluster. The client talks to the scheduler's HTTP API; the
 * jars holding your classes are uploaded the first time a graph needs them (by SHA-256, so each
 * once), and workers load them by themselves: no restart, no classpath to edit.
 *
 * <pre>{@code
 * try (Tasklane tl = Tasklane.connect("http://scheduler:8786")) {
 *   TaskFuture<Integer> one = tl.submit(MyMath::square, 7);
 *   List<TaskFuture<Integer>> many = tl.map(MyMath::square, List.of(1, 2, 3));
 *   for (TaskFuture<Integer> f : Tasklane.asCompleted(many)) { ... }
 *   Graph g = Graph.named("word-count");
 *   ...
 *   Map<String, Long> total = tl.run(g, totalRef).get(5, MINUTES);
 * }
 * }</pre>
 *
 * <p>Futures complete with the value decoded into the function's declared result type, or fail
 * with a {@link TaskFailedException} that carries the remote exception's type, message and stack
 * trace. The scheduler must allow uploads: it runs with {@code --auth-file} (give this client the
 * same file) or {@code --allow-code-upload}. Thread-safe.
 */
public final class Tasklane implements AutoCloseable {

  private final TasklaneClient api;
  private final ValueCodec codec = ValueCodec.standard();
  private final CodeBundle bundle = new CodeBundle(CodeBundle.workerClasspath());
  private final List<Path> extraJars;
  /** Jars the scheduler is known to hold. */
  private final Set<String> uploaded = java.util.concurrent.ConcurrentHashMap.newKeySet();
  /** How long {@link #close()} lets a read or forget under way finish. */
  static final Duration CLOSE_GRACE = Duration.ofSeconds(5);
  /** Reads results once a graph is done (blocking HTTP calls, never on the caller's thread). */
  private final ExecutorService readers;

  private Tasklane(TasklaneClient api, List<Path> extraJars) {
    this.api = api;
    this.extraJars = List.copyOf(extraJars);
    this.readers = Executors.newFixedThreadPool(4, r -> {
      Thread t = new Thread(r, "tasklane-client-results");
      t.setDaemon(true);
      return t;
    });
  }

  /** A client of the scheduler whose API is at {@code url}, e.g. {@code http://scheduler:8786}. */
  public static Tasklane connect(String url) {
    return builder(url).build();
  }

  /** A client with options: an auth file, jars your code needs besides its own. */
  public static Builder builder(String url) {
    return new Builder(URI.create(url));
  }

  /** Options of a {@link Tasklane} client. */
  public static final class Builder {
    private final URI url;
    private Path authFile;
    private final List<Path> jars = new ArrayList<>();

    private Builder(URI url) {
      this.url = url;
    }

    /** The scheduler's {@code --auth-file}: its first line is the token every request carries. */
    public Builder authFile(Path file) {
      this.authFile = file;
      return this;
    }

    /**
     * A jar to ship with every graph besides the ones holding your functions' classes (which are
     * found by themselves): a library your functions use that the workers lack.
     */
    public Builder jar(Path jar) {
      this.jars.add(jar);
      return this;
    }

    public Tasklane build() {
      TasklaneClient api = authFile == null ? new TasklaneClient(url) : TasklaneClient.withAuthFile(url, authFile);
      return new Tasklane(api, jars);
    }
  }

  /** The plain HTTP client underneath (graphs as JSON, status, workers). */
  public TasklaneClient api() {
    return api;
  }

  // ------------------------------------------------------------------ graphs

  /** Runs the graph and completes with {@code result}'s value. */
  public <R> CompletableFuture<R> run(Graph graph, Ref<R> result) {
    return submit(graph, List.of(result)).future(result);
  }

  /**
   * Submits the graph, wanting these results (the others are dropped as soon as no task needs
   * them). Uploads the jars its classes need first, if the scheduler lacks them.
   */
  public GraphRun submit(Graph graph, Collection<? extends Ref<?>> wanted) {
    if (wanted.isEmpty()) {
      throw new IllegalArgumentException("want at least one result of graph '" + graph.name() + "'");
    }
    List<String> code = upload(graph);
    String id = api.submit(graph.toSpec(wanted, code));
    graph.markSubmitted();
    Map<String, TaskFuture<?>> futures = new LinkedHashMap<>();
    Map<String, Ref<?>> refs = new LinkedHashMap<>();
    for (Ref<?> r : wanted) {
      futures.put(r.key(), new TaskFuture<>(r.key()));
      refs.put(r.key(), r);
    }
    CompletableFuture<GraphStatus> status = new CompletableFuture<>();
    new ResultFollower(api, codec, readers, id, refs, futures, status).poll(0, List.of());
    return new GraphRun(id, futures, status, api);
  }

  /** The jars the graph's classes need, uploaded if the scheduler lacks them; their digests. */
  private List<String> upload(Graph graph) {
    List<String> digests = new ArrayList<>();
    for (CodeBundle.Jar jar : bundle.jarsFor(graph.classes(), extraJars)) {
      if (!uploaded.contains(jar.sha256()) && !api.hasCode(jar.sha256())) {
        api.uploadCode(jar.sha256(), jar.bytes());
      }
      uploaded.add(jar.sha256());
      digests.add(jar.sha256());
    }
    return digests;
  }

  // ------------------------------------------------------------------ one task, many tasks

  /** Runs {@code fn()} on a worker. */
  public <R> TaskFuture<R> submit(Fn0<R> fn) {
    Graph g = Graph.named("submit");
    return one(g, g.call(fn));
  }

  /** Runs {@code fn(a)} on a worker. */
  public <A, R> TaskFuture<R> submit(Fn1<A, R> fn, A a) {
    Graph g = Graph.named("submit");
    return one(g, g.call(fn, a));
  }

  /** Runs {@code fn(a, b)} on a worker. */
  public <A, B, R> TaskFuture<R> submit(Fn2<A, B, R> fn, A a, B b) {
    Graph g = Graph.named("submit");
    return one(g, g.call(fn, a, b));
  }

  /** Runs {@code fn(a, b, c)} on a worker. */
  public <A, B, C, R> TaskFuture<R> submit(Fn3<A, B, C, R> fn, A a, B b, C c) {
    Graph g = Graph.named("submit");
    return one(g, g.call(fn, a, b, c));
  }

  private <R> TaskFuture<R> one(Graph g, Ref<R> ref) {
    return submit(g, List.of(ref)).future(ref);
  }

  /** Runs {@code fn} on each input, as one graph; the futures are in the inputs' order. */
  public <A, R> List<TaskFuture<R>> map(Fn1<A, R> fn, Collection<? extends A> inputs) {
    if (inputs.isEmpty()) {
      return List.of();
    }
    Graph g = Graph.named("map");
    List<Ref<R>> refs = new ArrayList<>(inputs.size());
    for (A input : inputs) {
      refs.add(g.call(fn, input));
    }
    GraphRun run = submit(g, refs);
    List<TaskFuture<R>> futures = new ArrayList<>(refs.size());
    refs.forEach(r -> futures.add(run.future(r)));
    return futures;
  }

  /**
   * The futures in the order they complete (successfully or not), like Dask's {@code as_completed}:
   * iterating blocks until the next one is done.
   */
  public static <F extends CompletableFuture<?>> Iterable<F> asCompleted(Collection<F> futures) {
    BlockingQueue<F> done = new LinkedBlockingQueue<>();
    Set<F> seen = new HashSet<>();
    for (F f : futures) {
      if (seen.add(f)) {
        f.whenComplete((v, e) -> done.add(f));
      }
    }
    int total = seen.size();
    return () -> new java.util.Iterator<F>() {
      private int taken;

      @Override
      public boolean hasNext() {
        return taken < total;
      }

      @Override
      public F next() {
        if (taken >= total) {
          throw new java.util.NoSuchElementException();
        }
        try {
          F f = done.take();
          taken++;
          return f;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new TasklaneException("interrupted while waiting for the next result", e);
        }
      }
    };
  }

  /**
   * Stops the client's own threads; graphs already submitted go on running on the cluster. A read
   * or a forget under way may finish first (at most {@link #CLOSE_GRACE}): a program that exits
   * right after its last result still has the scheduler forget that graph, rather than leaving its
   * results held on the workers until the scheduler's retention ends.
   */
  @Override
  public void close() {
    readers.shutdown(); // polls answered from now on are dropped; what runs now may end
    try {
      readers.awaitTermination(CLOSE_GRACE.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      readers.shutdownNow();
      api.close();
    }
  }
}
