package org.tasklane.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.tasklane.dashboard.history.HistorySettings;
import org.tasklane.dashboard.history.HistoryStore;
import org.tasklane.dashboard.http.AccessControl;
import org.tasklane.dashboard.http.HistoryServerRoutes;
import org.tasklane.dashboard.http.HttpServer;

/**
 * The history server ({@code tasklane history --dir DIR}): serves the runs pages of a history
 * folder with no cluster, in a plain local actor system (Pekko HTTP needs one). It only reads the
 * folder: no lock, no retention, nothing written; runs added to the folder later are listed at the
 * next look ({@link HistoryStore#refresh()}). Address, port, prefix and authentication are the
 * {@code tasklane.dashboard} settings; the runs it lists at most are {@code history.max-runs}.
 */
public final class HistoryServer {
  private HistoryServer() {}

  /** A started history server. */
  public record Started(ActorSystem<Void> system, InetSocketAddress address, HistoryStore store) {}

  /**
   * Checks the folder, lists it, and binds.
   *
   * @throws IllegalArgumentException (one line) if the folder is missing, not a folder or not readable,
   *     or the auth file is not right
   * @throws IllegalStateException (one line) if the folder cannot be listed or the server cannot bind
   */
  public static Started start(Path dir, Config config, Duration bindTimeout) throws InterruptedException {
    Path d = dir.toAbsolutePath().normalize();
    if (!Files.exists(d)) {
      throw new IllegalArgumentException("the history folder " + d + " does not exist");
    }
    if (!Files.isDirectory(d)) {
      throw new IllegalArgumentException(d + " is not a folder (give the history folder, e.g. tasklane-history)");
    }
    if (!Files.isReadable(d) || !Files.isExecutable(d)) {
      throw new IllegalArgumentException("the history folder " + d + " cannot be read by this user");
    }
    AccessControl access = AccessControl.fromConfig(config);
    DashboardSettings settings = DashboardSettings.fromConfig(config);
    HistorySettings history = HistorySettings.fromConfig(config);
    HistoryStore store = new HistoryStore(d, history.maxRuns(), history.maxBytes(), true);
    try {
      store.refresh();
    } catch (IOException e) {
      throw new IllegalStateException("cannot list the history folder " + d + ": " + e.getMessage());
    }
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(guardian(store, settings, access, bound), "tasklane-history", config);
    try {
      return new Started(system, bound.get(bindTimeout.toMillis(), TimeUnit.MILLISECONDS), store);
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
      throw new IllegalStateException(DashboardMain.cannotListen(settings, e, "--port").replace("the dashboard", "the history server"));
    }
  }

  /** The root: the HTTP server, and nothing else; it stops if the server cannot bind. */
  private static Behavior<Void> guardian(
      HistoryStore store, DashboardSettings settings, AccessControl access, CompletableFuture<InetSocketAddress> bound) {
    return Behaviors.setup(context -> {
      var system = context.getSystem();
      ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
      HistoryServerRoutes routes = new HistoryServerRoutes(system, store, settings.prefixSegments(), access, mapper);
      ActorRef<HttpServer.Command> http = context.spawn(
          HttpServer.create(settings.address(), settings.port(), routes.routes(), bound), "http");
      context.watch(http);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .build();
    });
  }
}
