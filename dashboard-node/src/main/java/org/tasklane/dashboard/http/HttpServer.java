package org.tasklane.dashboard.http;

import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.apache.pekko.http.javadsl.settings.ServerSettings;
import org.apache.pekko.io.Inet;
import org.apache.pekko.io.TcpSO;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.protocol.api.TlsFolder;
import org.tasklane.protocol.api.TlsSetting;

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
      int sendBuffer = DashboardSettings.fromConfig(context.getSystem().settings().config()).socketSendBuffer();
      ServerBuilder server = Http.get(context.getSystem()).newServerAt(host, port)
          .adaptSettings(s -> withSendBuffer(s, sendBuffer));
      try {
        // with a TLS folder (--tls-dir) the dashboard speaks HTTPS only
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
            context.getLog().debug("Dashboard listening on {}", m.binding().localAddress());
            String fewFiles = fileLimitWarning(maxOpenFiles());
            if (fewFiles != null) {
              context.getLog().warn(fewFiles);
            }
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

  /**
   * The server's settings with every accepted connection's kernel send buffer set to {@code bytes}
   * (0: left to the operating system). An SSE stream to a browser that stops reading backs up into
   * this buffer first; Linux grows an unset one to 4 MiB, which would hide a stalled browser for
   * minutes (see {@code tasklane.dashboard.socket-send-buffer}).
   */
  static ServerSettings withSendBuffer(ServerSettings settings, int bytes) {
    if (bytes <= 0) {
      return settings;
    }
    List<Inet.SocketOption> options = new ArrayList<>();
    settings.getSocketOptions().forEach(options::add);
    options.add(TcpSO.sendBufferSize(bytes));
    return settings.withSocketOptions(options);
  }

  /** Below this many open files the dashboard warns: each browser connection takes one. */
  static final long FEW_OPEN_FILES = 4096;

  /** The most files this process may have open (its {@code ulimit -n}), or -1 if unknown. */
  static long maxOpenFiles() {
    if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return unix.getMaxFileDescriptorCount();
    }
    return -1;
  }

  /** A one-line warning if {@code maxOpenFiles} allows few browsers, else null. */
  static String fileLimitWarning(long maxOpenFiles) {
    if (maxOpenFiles < 0 || maxOpenFiles >= FEW_OPEN_FILES) {
      return null;
    }
    return "this process may have only " + maxOpenFiles + " open files (ulimit -n) and every browser connected to "
        + "the dashboard takes one; raise the limit (ulimit -n " + FEW_OPEN_FILES * 4 + ", or LimitNOFILE= for a "
        + "systemd service) before starting it if many browsers will connect";
  }
}
