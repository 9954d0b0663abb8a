package org.tasklane.dashboard.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the dashboard's route and reports the outcome through {@code bound}: the bound address, or
 * why it could not bind (a port in use), so that the process can say so in one line. It unbinds in
 * the coordinated shutdown, and stops if the bind failed.
 */
public final class HttpServer {
  private HttpServer() {}

  /** Messages of this actor: only the outcome of its own bind. */
  public interface Command {}

  private record Bound(ServerBinding binding) implements Command, NoSerializationVerificationNeeded {}

  private record BindFailed(Throwable cause) implements Command, NoSerializationVerificationNeeded {}

  public static Behavior<Command> create(String host, int port, Route route, CompletableFuture<InetSocketAddress> bound) {
    return Behaviors.setup(context -> {
      context.pipeToSelf(
          Http.get(context.getSystem()).newServerAt(host, port).bind(route),
          (binding, failure) -> binding != null ? new Bound(binding) : new BindFailed(failure));
      return Behaviors.receive(Command.class)
          .onMessage(Bound.class, m -> {
            m.binding().addToCoordinatedShutdown(Duration.ofSeconds(3), context.getSystem());
            context.getLog().debug("Dashboard listening on {}", m.binding().localAddress());
            bound.complete(m.binding().localAddress());
            return Behaviors.same();
          })
          .onMessage(BindFailed.class, m -> {
            bound.completeExceptionally(m.cause());
            return Behaviors.stopped();
          })
          .build();
    });
  }
}
