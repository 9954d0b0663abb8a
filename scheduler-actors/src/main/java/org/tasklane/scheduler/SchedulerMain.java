package org.tasklane.scheduler;

import com.typesafe.config.Config;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.protocol.api.AuthFileSetting;
import org.tasklane.scheduler.code.CodeSettings;
import org.tasklane.scheduler.code.CodeStore;
import org.tasklane.scheduler.http.ApiAuthentication;

/** Starts a scheduler node from a finished configuration (the command line builds it). */
public final class SchedulerMain {
  private SchedulerMain() {}

  /** A started scheduler node. */
  public record Started(ActorSystem<Void> system, InetSocketAddress api) {}

  /**
   * Starts the node and waits until its client API is bound.
   *
   * @throws IllegalStateException with a one-line message if the API cannot bind
   * @throws IllegalArgumentException with a one-line message if the API's auth file is missing,
   *     unreadable or empty ({@code tasklane.scheduler.api.auth-file})
   */
  public static Started start(Config config, Duration bindTimeout) throws InterruptedException {
    // read before anything starts: a missing, unreadable or empty auth file is a one-line error
    Optional<AccessToken> apiToken = AuthFileSetting.fromConfig(config, ApiAuthentication.AUTH_FILE);
    CodeStore codeStore = openCodeStore(config);
    CompletableFuture<InetSocketAddress> apiBound = new CompletableFuture<>();
    ActorSystem<Void> system = ActorSystem.create(SchedulerGuardian.create(apiBound, apiToken, codeStore),
        config.getString("tasklane.cluster-name"), config);
    try {
      return new Started(system, apiBound.get(bindTimeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      SchedulerSettings s = SchedulerSettings.fromConfig(config);
      throw new IllegalStateException("the client API could not listen on port " + s.apiPort() + ": "
          + cause.getMessage() + "; choose another with --api-port");
    }
  }

  /**
   * The store of uploaded jars, opened before anything starts.
   *
   * @throws IllegalArgumentException with a one-line message if its folder cannot be used
   */
  static CodeStore openCodeStore(Config config) {
    CodeSettings settings = CodeSettings.fromConfig(config);
    try {
      return CodeStore.open(settings);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("the code store's folder "
          + (settings.dir().isBlank() ? "(under " + System.getProperty("java.io.tmpdir") + ")" : settings.dir())
          + " cannot be used: " + e + " (tasklane.scheduler.code.dir, --code-dir)");
    }
  }
}
