package org.tasklane.dashboard;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.stream.Materializer;
import org.tasklane.dashboard.http.AccessControl;
import org.tasklane.dashboard.http.DashboardRoutes;
import org.tasklane.dashboard.http.HttpServer;
import org.tasklane.dashboard.http.SseStats;
import org.tasklane.dashboard.history.History;
import org.tasklane.protocol.DashboardProtocol;

/**
 * The root of a dashboard (a process of its own, or a system actor inside the scheduler's): the
 * update hub, the {@link Dashboard} actor and the HTTP server in front of them. It stops, with
 * everything it started, if the server cannot bind.
 */
public final class DashboardGuardian {
  private DashboardGuardian() {}

  /** Updates the hub's input holds while the stream to browsers catches up (then it drops the oldest). */
  static final int HUB_INPUT_BUFFER = 1024;
  /** Updates the hub holds for its slowest consumer (every browser stream has its own buffer after it). */
  static final int HUB_BUFFER = 256;

  /**
   * @param bound completed with the address the server listens on, or with why it could not bind
   *     (authentication and CORS come from the node's configuration, read now)
   */
  public static Behavior<Void> create(CompletableFuture<InetSocketAddress> bound) {
    return Behaviors.setup(context -> create(AccessControl.fromConfig(context.getSystem().settings().config()), bound));
  }

  /**
   * @param access who may use the dashboard (authentication, CORS)
   * @param bound completed with the address the server listens on, or with why it could not bind
   */
  public static Behavior<Void> create(AccessControl access, CompletableFuture<InetSocketAddress> bound) {
    return create(access, History.off(), bound);
  }

  /**
   * @param history the run history (opened by the caller, which fails first if its folder is taken);
   *     closed when this guardian stops
   */
  public static Behavior<Void> create(AccessControl access, History history, CompletableFuture<InetSocketAddress> bound) {
    return Behaviors.setup(context -> {
      var system = context.getSystem();
      DashboardSettings settings = DashboardSettings.fromConfig(system.settings().config());
      ObjectMapper mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
      UpdateHub hub = UpdateHub.start(Materializer.createMaterializer(context), HUB_INPUT_BUFFER, HUB_BUFFER);
      ActorRef<DashboardProtocol.Command> dashboard =
          context.spawn(Dashboard.create(settings, hub, mapper, history.writer().orElse(null)), "dashboard");
      DashboardRoutes routes = new DashboardRoutes(system, dashboard, hub, settings, mapper, new SseStats(), access,
          history.store());
      ActorRef<HttpServer.Command> http = context.spawn(
          HttpServer.create(settings.address(), settings.port(), routes.routes(), bound), "http");
      context.watch(http);
      return Behaviors.receive(Void.class)
          .onSignal(Terminated.class, t -> Behaviors.stopped())
          .onSignal(PostStop.class, s -> {
            history.close(); // the writer flushes and closes its runs
            return Behaviors.same();
          })
          .build();
    });
  }
}
