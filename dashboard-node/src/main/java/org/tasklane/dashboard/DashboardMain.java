package org.tasklane.dashboard;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.tasklane.dashboard.history.History;
import org.tasklane.dashboard.history.HistoryFolder;
import org.tasklane.dashboard.history.HistorySettings;
import org.tasklane.dashboard.http.AccessControl;

/**
 * Starts a dashboard: as its own node ({@link #start}), or inside a node that is already running
 * ({@link #startIn}, the scheduler's by default). Both wait until the HTTP server is bound, and say
 * in one line why it could not be.
 */
public final class DashboardMain {
  private DashboardMain() {}

  /** A started dashboard node. */
  public record Started(ActorSystem<Void> system, InetSocketAddress address) {}

  /**
   * Starts a dashboard node from a finished configuration (the command line builds it).
   *
   * @throws IllegalStateException with a one-line message if the server cannot bind
   * @throws IllegalArgumentException with a one-line message if the auth file is missing, unreadable
   *     or empty, or an allowed CORS origin is malformed
   */
  public static Started start(Config config, Duration bindTimeout) throws InterruptedException {
    AccessControl access = AccessControl.fromConfig(config); // before anything starts
    History history = openHistory(config);
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(DashboardGuardian.create(access, history, bound),
        config.getString("tasklane.cluster-name"), config);
    try {
      return new Started(system, await(bound, bindTimeout));
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
      throw new IllegalStateException(cannotListen(DashboardSettings.fromConfig(config), e, "--dashboard-port"));
    }
  }

  /**
   * Starts the dashboard inside a running node, as the system actor {@code dashboard}; its settings
   * come from that node's configuration.
   *
   * @return the address the dashboard listens on
   * @throws IllegalStateException with a one-line message if the server cannot bind (the dashboard
   *     is stopped again; the node keeps running), or if its auth file or CORS origins are not right
   *     (nothing is started)
   */
  public static InetSocketAddress startIn(ActorSystem<?> system, Duration bindTimeout) throws InterruptedException {
    AccessControl access;
    try {
      access = AccessControl.fromConfig(system.settings().config());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(e.getMessage());
    }
    History history = openHistory(system.settings().config());
    CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
    system.systemActorOf(DashboardGuardian.create(access, history, bound), "dashboard", Props.empty());
    try {
      return await(bound, bindTimeout);
    } catch (ExecutionException | TimeoutException e) {
      // a failed bind stops the guardian by itself; a timeout leaves it to bind late, which is harmless
      throw new IllegalStateException(cannotListen(DashboardSettings.fromConfig(system.settings().config()), e,
          "--dashboard-port or use --no-dashboard"));
    }
  }

  /**
   * The run history of {@code tasklane.dashboard.history}: none if it is off or its folder cannot
   * be written (one warning).
   *
   * @throws IllegalStateException (one line) if another dashboard writes its folder
   */
  static History openHistory(Config config) {
    try {
      return History.open(HistorySettings.fromConfig(config));
    } catch (HistoryFolder.InUseException e) {
      throw new IllegalStateException(e.getMessage());
    }
  }

  private static InetSocketAddress await(CompletableFuture<InetSocketAddress> bound, Duration timeout)
      throws InterruptedException, ExecutionException, TimeoutException {
    return bound.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** "the dashboard could not listen on port 8787: Address already in use; choose another with ..." */
  static String cannotListen(DashboardSettings settings, Exception e, String remedy) {
    String reason;
    if (e instanceof TimeoutException) {
      reason = "it was not bound in time";
    } else {
      Throwable t = e.getCause() != null ? e.getCause() : e;
      while (t.getCause() != null && t.getCause() != t) {
        t = t.getCause();
      }
      reason = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
      // "[/0.0.0.0:8787] Address already in use" -> "Address already in use"
      reason = reason.replaceFirst("^\\[[^]]*]\\s*", "");
    }
    return "the dashboard could not listen on port " + settings.port() + ": " + reason + "; choose another with " + remedy;
  }
}
