package org.tasklane.launcher;

import com.typesafe.config.Config;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.management.cluster.bootstrap.ClusterBootstrap;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Starts Pekko Management on a node that asked for it ({@code tasklane.management.enabled}, set by
 * {@code --management-port}): its HTTP server with the health checks ({@code /alive}, {@code /ready}),
 * and Cluster Bootstrap when the node finds its cluster by discovery ({@code tasklane.management.bootstrap}).
 */
final class Management {
  private Management() {}

  static final String ENABLED = "tasklane.management.enabled";
  static final String BOOTSTRAP = "tasklane.management.bootstrap";

  /** Each role's own readiness check, beside Pekko's cluster-membership check. */
  private static final Map<String, String> READINESS = Map.of(
      "scheduler", "org.tasklane.scheduler.health.SchedulerReadyCheck",
      "worker", "org.tasklane.worker.health.WorkerReadyCheck",
      "dashboard", "org.tasklane.dashboard.health.DashboardReadyCheck");

  static String readinessCheck(String role) {
    String check = READINESS.get(role);
    if (check == null) {
      throw new IllegalArgumentException("no readiness check for role " + role);
    }
    return check;
  }

  /**
   * Starts what the node's configuration asks for; logs {@code what: management at URL (/alive, /ready)}.
   *
   * @return the management server's base URI, or null if management is off
   * @throws TasklaneCli.UserError in one line if the server cannot bind (the system is terminated)
   */
  static Uri start(ActorSystem<?> system, String what) throws InterruptedException {
    Config config = system.settings().config();
    if (!config.getBoolean(ENABLED)) {
      return null;
    }
    Uri uri;
    try {
      uri = PekkoManagement.get(system).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      system.terminate();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new TasklaneCli.UserError("the management server could not listen on "
          + config.getString("pekko.management.http.hostname") + ":" + config.getInt("pekko.management.http.port")
          + ": " + (cause.getCause() != null ? cause.getCause().getMessage() : cause.getMessage())
          + "; choose another --management-port");
    }
    org.slf4j.LoggerFactory.getLogger(Management.class).info("{}: management at {} (health checks: {}/alive, {}/ready)",
        what, uri, uri, uri);
    if (config.getBoolean(BOOTSTRAP)) {
      String method = config.getString("pekko.management.cluster.bootstrap.contact-point-discovery.discovery-method");
      org.slf4j.LoggerFactory.getLogger(Management.class).info(
          "{}: finding the cluster by Cluster Bootstrap ({} discovery, {} contact points needed to form a new one)", what,
          method, config.getInt("pekko.management.cluster.bootstrap.contact-point-discovery.required-contact-point-nr"));
      ClusterBootstrap.get(system).start();
    }
    return uri;
  }
}
