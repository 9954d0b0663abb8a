package org.tasklane.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.typed.ClusterSingleton;
import org.apache.pekko.cluster.typed.ClusterSingletonSettings;
import org.apache.pekko.cluster.typed.SingletonActor;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.tasklane.protocol.CodeProtocol;
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.protocol.api.AuthFileSetting;
import org.tasklane.scheduler.code.CodeServer;
import org.tasklane.scheduler.code.CodeSettings;
import org.tasklane.scheduler.code.CodeStore;
import org.tasklane.scheduler.code.GraphCode;
import org.tasklane.scheduler.http.ApiAuthentication;
import org.tasklane.scheduler.http.ApiServer;
import org.tasklane.scheduler.http.ClientApiRoutes;
import org.tasklane.scheduler.http.CodeRoutes;
import org.tasklane.scheduler.http.MetricsRoutes;
import org.tasklane.scheduler.metrics.MessageTiming;
import org.tasklane.scheduler.metrics.SchedulerMetrics;

/**
 * The root of a scheduler node: starts the {@link Scheduler} singleton (pinned to role
 * {@code scheduler}), the code server (uploaded jars, for workers) and the client API in front of them.
 */
public final class SchedulerGuardian {
  private SchedulerGuardian() {}

  /** The client API's token comes from {@code tasklane.scheduler.api.auth-file}, read when the node starts. */
  public static Behavior<Void> create(CompletableFuture<InetSocketAddress> apiBound) {
    return Behaviors.setup(context -> create(apiBound,
        AuthFileSetting.fromConfig(context.getSystem().settings().config(), ApiAuthentication.AUTH_FILE)));
  }

  /** @param apiToken the token the client API asks for (empty: none) */
  public static Behavior<Void> create(CompletableFuture<InetSocketAddress> apiBound, Optional<AccessToken> apiToken) {
    return Behaviors.setup(context -> {
      try {
        return create(apiBound, apiToken, CodeStore.open(CodeSettings.fromConfig(context.getSystem().settings().config())));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * @param apiToken the token the client API asks for (empty: none)
   * @param codeStore the uploaded jars; closed (a temporary folder deleted) when the node stops
   */
  public static Behavior<Void> create(
      CompletableFuture<InetSocketAddress> apiBound, Optional<AccessToken> apiToken, CodeStore codeStore) {
    return Behaviors.setup(context -> {
      var system = context.getSystem();
      // a temporary store's folder goes with the node: before the actor system terminates (the JVM
      // may exit right after), and when it has terminated if it stopped some other way
      java.util.concurrent.Executor blocking = system.dispatchers().lookup(CodeServer.DISPATCHER);
      org.apache.pekko.actor.CoordinatedShutdown.get(system).addTask(
          org.apache.pekko.actor.CoordinatedShutdown.PhaseBeforeActorSystemTerminate(), "tasklane-code-store",
          () -> CompletableFuture.supplyAsync(() -> {
            closeQuietly(codeStore);
            return org.apache.pekko.Done.getInstance();
          }, blocking));
      system.getWhenTerminated().thenRun(() -> closeQuietly(codeStore));
      SchedulerSettings settings = SchedulerSettings.fromConfig(system.settings().config());
      CodeSettings codeSettings = CodeSettings.fromConfig(system.settings().config());
      ActorRef<CodeProtocol.Command> codeServer = context.spawn(
          CodeServer.create(codeStore, codeSettings.unusedRetention()), "code", CodeServer.DISPATCHER);
      SchedulerRef scheduler = new SchedulerRef();
      // one registry per node; the singleton, wherever it runs on this node, keeps its figures there
      SchedulerMetrics metrics = new SchedulerMetrics();
      scheduler.proxy(ClusterSingleton.get(system).init(
          SingletonActor.of(scheduler.recording(MessageTiming.timed(metrics,
                  Scheduler.create(settings, new GraphCode(codeStore, codeServer), metrics))), "scheduler")
              .withSettings(ClusterSingletonSettings.create(system).withRole("scheduler"))));
      org.tasklane.scheduler.health.SchedulerReadiness.get(system).attach(scheduler, apiBound);
      ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
      String host = settings.apiAddress().isEmpty()
          ? system.settings().config().getString("pekko.remote.artery.canonical.hostname")
          : settings.apiAddress();
      // running uploaded code is running anyone's code: only with a token, or where that is wanted
      boolean codeAllowed = apiToken.isPresent() || codeSettings.allowUpload();
      context.spawn(
          ApiServer.create("Client API", host, settings.apiPort(),
              ApiAuthentication.require(apiToken, org.apache.pekko.http.javadsl.server.Directives.concat(
                  new MetricsRoutes(metrics).routes(),
                  new CodeRoutes(system, codeStore, codeAllowed, mapper).routes(),
                  new ClientApiRoutes(system, scheduler, settings, mapper, codeAllowed).routes())),
              apiBound),
          "client-api");
      return Behaviors.empty();
    });
  }

  private static void closeQuietly(CodeStore store) {
    try {
      store.close();
    } catch (IOException e) {
      org.slf4j.LoggerFactory.getLogger(SchedulerGuardian.class)
          .warn("Could not delete the code store {}: {}", store.dir(), e.toString());
    }
  }
}
