package org.tasklane.launcher.health;

import static org.apache.pekko.http.javadsl.server.Directives.mapResponse;

import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.directives.RouteAdapter;
import org.apache.pekko.management.HealthCheckRoutes;
import org.apache.pekko.management.javadsl.ManagementRouteProvider;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettings;
import org.apache.pekko.management.javadsl.ManagementRouteProviderSettingsImpl;

/**
 * Pekko Management's own health-check routes ({@code /alive}, {@code /ready}, {@code /startup},
 * backed by its health-check extension and the checks configured under
 * {@code pekko.management.health-checks}), answering 503 Service Unavailable where Pekko
 * Management 1.1 answers 500 for a failing check: 503 is what load balancers, Kubernetes and
 * operators read as "not ready", and 500 stays for a server that is broken. Installed in place of
 * the default provider as {@code pekko.management.http.routes.health-checks} (tasklane-node.conf).
 */
public final class ServiceUnavailableHealthRoutes implements ManagementRouteProvider {
  private final HealthCheckRoutes routes;

  /** Pekko Management makes the provider with the node's actor system. */
  public ServiceUnavailableHealthRoutes(ExtendedActorSystem system) {
    this.routes = new HealthCheckRoutes(system);
  }

  @Override
  public Route routes(ManagementRouteProviderSettings settings) {
    Route checks = RouteAdapter.asJava(routes.routes(((ManagementRouteProviderSettingsImpl) settings).asScala()));
    return mapResponse(ServiceUnavailableHealthRoutes::unavailable, () -> checks);
  }

  /** A failing check's 500, as 503 (the body, which names the check and why, is kept). */
  static HttpResponse unavailable(HttpResponse response) {
    return response.status().equals(StatusCodes.INTERNAL_SERVER_ERROR)
        ? response.withStatus(StatusCodes.SERVICE_UNAVAILABLE) : response;
  }
}
