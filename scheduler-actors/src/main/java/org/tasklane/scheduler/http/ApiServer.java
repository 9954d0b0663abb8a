package org.tasklane.scheduler.http;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.ConnectionContext;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.ServerBuilder;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.protocol.api.TlsFolder;
import org.tasklane.protocol.api.TlsSetting;

/**
 * Binds a route and reports the outcome: the bound address, or why it could not bind (a port in
 * use) through {@code bound}, so that the process can say so in one line and exit.
 */
public final class ApiServer {
  private ApiServer() {}

  /** Messages of this actor: only the outcome of its own bind. */
  public interface Command {}

  private record Bound(ServerBinding binding) implements Command, NoSerializationVerificationNeeded {}

  private record BindFailed(Throwable cause) implements Command, NoSerializationVerificationNeeded {}

  public static Behavior<Command> create(
      String what, String host, int port, Route route, CompletableFuture<InetSocketAddress> bound) {
    return Behaviors.setup(context -> {
      ServerBuilder server = Http.get(context.getSystem()).newServerAt(host, port);
      try {
        // with a TLS folder (--tls-dir) the API speaks HTTPS only: a plain request gets no answer
        Optional<TlsFolder> tls = TlsSetting.fromConfig(context.getSystem().settings().config());
        if (tls.isPresent()) {
          server = server.enableHttps(ConnectionContext.httpsServer(tls.get().httpsServerContext()));
        }
      } catch (IllegalArgumentException e) {
        bound.completeExceptionally(e);
        return Behaviors.stopped();
      }
      context.pipeToSelf(
          server.bind(route),
          (binding, failure) -> binding != null ? new Bound(binding) : new BindFailed(failure));
      return Behaviors.receive(Command.class)
          .onMessage(Bound.class, m -> {
            m.binding().addToCoordinatedShutdown(Duration.ofSeconds(3), context.getSystem());
            context.getLog().info("{} listening on {}", what, m.binding().localAddress());
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
