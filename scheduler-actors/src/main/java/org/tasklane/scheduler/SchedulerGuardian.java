package org.tasklane.scheduler;

import com.fasterxml.jackson.databind.ObjectMapper;
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
import org.tasklane.protocol.SchedulerProtocol;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.protocol.api.AuthFileSetting;
import org.tasklane.scheduler.http.ApiAuthentication;
import org.tasklane.scheduler.http.ApiServer;
import org.tasklane.scheduler.http.ClientApiRoutes;

/**
 * The root of a scheduler node: starts the {@link Scheduler} singleton (pinned to role
 * {@code scheduler}) and the client API in front of it.
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
      var system = context.getSystem();
      SchedulerSettings settings = SchedulerSettings.fromConfig(system.settings().config());
      ActorRef<SchedulerProtocol.Command> scheduler = ClusterSingleton.get(system).init(
          SingletonActor.of(Scheduler.create(settings), "scheduler")
              .withSettings(ClusterSingletonSettings.create(system).withRole("scheduler")));
      ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
      String host = settings.apiAddress().isEmpty()
          ? system.settings().config().getString("pekko.remote.artery.canonical.hostname")
          : settings.apiAddress();
      context.spawn(
          ApiServer.create("Client API", host, settings.apiPort(),
              ApiAuthentication.require(apiToken, new ClientApiRoutes(system, scheduler, settings, mapper).routes()),
              apiBound),
          "client-api");
      return Behaviors.empty();
    });
  }
}
