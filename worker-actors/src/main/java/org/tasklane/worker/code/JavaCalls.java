package org.tasklane.worker.code;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.Cancellable;
import org.apache.pekko.actor.CoordinatedShutdown;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.tasklane.client.codec.JavaFunctionName;
import org.tasklane.client.codec.ValueCodec;
import org.tasklane.protocol.CodeProtocol;
import org.tasklane.protocol.TaskAssignment;
import org.tasklane.protocol.TaskKeys;

/**
 * Runs {@code java:} functions for a worker: gets the jars a task's {@code code} names (fetched once
 * from the scheduler, checked against their SHA-256, see {@link JarCache}), a class loader for that
 * set of jars ({@link JarLoaders}; the worker's own loader when there are none), and calls the
 * method with the task's arguments ({@link JavaInvoker}). {@link #call} runs on a task lane's
 * thread and may wait there for the jars, at most {@code tasklane.worker.code.fetch-timeout};
 * {@link #prefetch} starts fetching when a task is assigned, without blocking.
 */
public final class JavaCalls implements AutoCloseable {

  /** How a call ended. */
  public sealed interface Outcome permits Returned, Failed, Threw {}

  /** It returned; its result as a JSON value (JSON null for void). */
  public record Returned(JsonNode value) implements Outcome {}

  /** It could not be called, or its result not encoded: one line (and a stack trace, if one is worth showing). */
  public record Failed(String error, String trace) implements Outcome {}

  /**
   * The method, or the initializer of its class, threw {@code cause}; the task's error is
   * {@code prefix} and a summary of it, and {@code trace} its full stack trace.
   */
  public record Threw(Throwable cause, String trace, String prefix) implements Outcome {}

  private final JarCache jars;
  /** The methods resolved in the worker's own class loader, by {@code fn}. */
  private final Map<String, java.lang.reflect.Executable> ownMethods;
  private final JarLoaders loaders;
  private final Duration fetchTimeout;
  private final ClassLoader own;
  private final ValueCodec ownCodec;
  private final SchedulerJarSource source;
  private final Cancellable idleCloser;
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  /** The coordinated-shutdown task that closes this, if any: not needed once it is closed. */
  private volatile Cancellable onClose;

  /**
   * @param own the worker's own loader: the parent of every jar set's, and the one a task without
   *     jars resolves its class in
   */
  public JavaCalls(JarCache jars, JarLoaders loaders, Duration fetchTimeout, ClassLoader own) {
    this(jars, loaders, fetchTimeout, own, null, null);
  }

  private JavaCalls(JarCache jars, JarLoaders loaders, Duration fetchTimeout, ClassLoader own,
      SchedulerJarSource source, Cancellable idleCloser) {
    this.jars = jars;
    this.loaders = loaders;
    this.fetchTimeout = fetchTimeout;
    this.own = own;
    this.ownCodec = ValueCodec.forClassLoader(own);
    this.ownMethods = new java.util.concurrent.ConcurrentHashMap<>();
    this.source = source;
    this.idleCloser = idleCloser;
  }

  /**
   * A worker's: jars come from the code server {@link #useServer} names, files are handled on
   * Pekko's blocking dispatcher, and idle class loaders are closed a few times per {@code idle-close}.
   */
  public static JavaCalls start(ActorSystem<?> system, CodeSettings settings) {
    scala.concurrent.ExecutionContextExecutor blocking = system.dispatchers().lookup(DispatcherSelector.blocking());
    SchedulerJarSource source = new SchedulerJarSource(system, blocking, settings.fetchTimeout());
    ClassLoader own = JavaCalls.class.getClassLoader();
    JarLoaders loaders = new JarLoaders(own, settings.maxLoaders(), settings.idleClose(), System::nanoTime);
    Duration every = closeInterval(settings.idleClose());
    // closing a loader closes its jar files: on the blocking dispatcher
    Cancellable closer = system.scheduler().scheduleWithFixedDelay(every, every, loaders::closeIdle, blocking);
    JavaCalls calls = new JavaCalls(new JarCache(source, blocking), loaders, settings.fetchTimeout(), own, source, closer);
    // the jars' folder goes with the node: before the actor system terminates (the JVM may exit right after)
    Cancellable onShutdown = CoordinatedShutdown.get(system).addCancellableTask(
        CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "tasklane-worker-jars",
        () -> CompletableFuture.supplyAsync(() -> {
          calls.close();
          return org.apache.pekko.Done.getInstance();
        }, blocking));
    calls.onClose = onShutdown;
    return calls;
  }

  /** How often idle loaders are looked for: a quarter of {@code idle-close}, between 1 s and 15 s. */
  static Duration closeInterval(Duration idleClose) {
    Duration d = idleClose.dividedBy(4);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return d.compareTo(Duration.ofSeconds(15)) > 0 ? Duration.ofSeconds(15) : d;
  }

  /** True if {@code fn} is a Java method call. */
  public static boolean isJava(String fn) {
    return JavaFunctionName.isJava(fn);
  }

  /** The scheduler's code server, from its {@code RegisterWith} (null: none). */
  public void useServer(ActorRef<CodeProtocol.Command> server) {
    if (source != null) {
      source.useServer(server);
    }
  }

  /** The class loaders, for tests and figures. */
  public JarLoaders loaders() {
    return loaders;
  }

  /**
   * Starts fetching the jars a {@code java:} task names, if they are not here or on their way, so that
   * they come while its inputs do; does not block.
   */
  public void prefetch(TaskAssignment task) {
    if (isJava(task.fn())) {
      for (String sha : task.code()) {
        jars.jar(sha);
      }
    }
  }

  /**
   * Calls the task's method with its arguments, on this thread (a task lane's).
   *
   * @param inputs the values of the task's inputs, by task id
   */
  public Outcome call(TaskAssignment task, Map<Long, JsonNode> inputs) {
    List<JsonNode> args;
    try {
      args = resolve(task, inputs);
    } catch (IllegalArgumentException e) {
      return new Failed(e.getMessage(), null);
    }
    List<String> set = List.copyOf(new TreeSet<>(task.code()));
    if (set.isEmpty()) {
      return JavaInvoker.call(task.key(), task.fn(), List.of(), own, ownCodec, ownMethods, args);
    }
    List<CompletableFuture<Path>> fetches = new ArrayList<>(set.size());
    for (String sha : set) {
      fetches.add(jars.jar(sha));
    }
    List<Path> paths = new ArrayList<>(set.size());
    try {
      CompletableFuture.allOf(fetches.toArray(new CompletableFuture<?>[0]))
          .get(fetchTimeout.toMillis(), TimeUnit.MILLISECONDS);
      for (CompletableFuture<Path> f : fetches) {
        paths.add(f.join());
      }
    } catch (ExecutionException e) {
      return new Failed(JarCache.messageOf(e.getCause()), null);
    } catch (TimeoutException e) {
      List<String> late = new ArrayList<>();
      for (int i = 0; i < set.size(); i++) {
        if (!fetches.get(i).isDone()) {
          late.add(set.get(i));
        }
      }
      return new Failed("the jars of " + task.key() + " did not arrive from the scheduler within "
          + fetchTimeout.toSeconds() + " s (tasklane.worker.code.fetch-timeout): " + String.join(", ", late), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Failed("interrupted while " + task.key() + " waited for its jars", null);
    }
    try (JarLoaders.Lease lease = loaders.acquire(set, paths)) {
      return JavaInvoker.call(task.key(), task.fn(), task.code(), lease.classLoader(), lease.codec(), lease.methods(),
          args);
    }
  }

  /** The task's arguments, each {@code {"ref": KEY}} replaced by that input's value. */
  static List<JsonNode> resolve(TaskAssignment task, Map<Long, JsonNode> inputs) {
    List<JsonNode> given = task.args().decode();
    List<JsonNode> args = new ArrayList<>(given.size());
    for (JsonNode arg : given) {
      String ref = TaskKeys.refOf(arg);
      if (ref == null) {
        args.add(arg);
        continue;
      }
      JsonNode value = null;
      for (TaskAssignment.Input input : task.inputs()) {
        if (ref.equals(input.key())) {
          value = inputs.get(input.taskId());
          break;
        }
      }
      if (value == null) {
        throw new IllegalArgumentException("argument {\"ref\": \"" + ref + "\"} of " + task.key()
            + " is not among its inputs");
      }
      args.add(value);
    }
    return args;
  }

  /** Closes the class loaders and deletes the jars' folder (blocks: file I/O); once. */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    if (idleCloser != null) {
      idleCloser.cancel();
    }
    if (onClose != null) {
      onClose.cancel();
    }
    loaders.close();
    jars.close();
  }

  /** {@link #close} on a thread of its own (the worker actor is stopping: no file I/O on its dispatcher). */
  public void closeInBackground() {
    if (!closed.get()) {
      new Thread(this::close, "tasklane-jars-cleanup").start();
    }
  }
}
