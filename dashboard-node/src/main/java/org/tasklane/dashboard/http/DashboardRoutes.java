package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.UpdateHub;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Every route of the dashboard (docs/dashboard.md), under {@code tasklane.dashboard.prefix}: the
 * pages and assets, {@code events}, {@code api/v1/*.json}, a worker up close ({@link WorkerRoutes}), the
 * profile ({@link ProfileRoutes}),
 * {@code metrics} and {@code health}. Only GET and HEAD
 * are answered (anything else: 405); every response, errors included, carries a strict
 * Content-Security-Policy, {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}.
 * {@link AccessControl} puts opt-in authentication in front of every route, and opt-in CORS in front
 * of that (without it no response has an {@code Access-Control-*} header). All of that is the
 * {@link RouteEnvelope}, which the history server ({@code tasklane history}) shares.
 */
public final class DashboardRoutes {
  public static final String CONTENT_SECURITY_POLICY = RouteEnvelope.CONTENT_SECURITY_POLICY;

  private final StaticRoutes pages;
  private final EventRoutes events;
  private final ApiRoutes api;
  private final ErrorRoutes errors;
  private final GraphRoutes graphs;
  private final MetricsRoutes metrics;
  private final HistoryRoutes history;
  private final WorkerRoutes workers;
  private final ProfileRoutes profile;
  private final RouteEnvelope envelope;

  /** The routes without authentication or CORS ({@link AccessControl#NONE}). */
  public DashboardRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, UpdateHub hub, DashboardSettings settings,
      ObjectMapper mapper, SseStats stats) {
    this(system, dashboard, hub, settings, mapper, stats, AccessControl.NONE);
  }

  public DashboardRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, UpdateHub hub, DashboardSettings settings,
      ObjectMapper mapper, SseStats stats, AccessControl access) {
    this(system, dashboard, hub, settings, mapper, stats, access, java.util.Optional.empty());
  }

  /** @param historyStore the run history's runs (empty: the runs page lists none) */
  public DashboardRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, UpdateHub hub, DashboardSettings settings,
      ObjectMapper mapper, SseStats stats, AccessControl access,
      java.util.Optional<org.tasklane.dashboard.history.HistoryStore> historyStore) {
    this.history = new HistoryRoutes(system, historyStore, mapper);
    this.envelope = new RouteEnvelope(settings.prefixSegments(), access);
    this.pages = new StaticRoutes(settings.prefixSegments());
    this.events = new EventRoutes(system, dashboard, hub, settings, mapper, stats);
    this.api = new ApiRoutes(system, dashboard, settings, mapper);
    this.errors = new ErrorRoutes(system, dashboard, settings, mapper);
    this.graphs = new GraphRoutes(system, dashboard, settings.askTimeout(), mapper);
    this.metrics = new MetricsRoutes(system, dashboard, settings, stats);
    this.profile = new ProfileRoutes(system, dashboard, settings.askTimeout(), mapper);
    this.workers = new WorkerRoutes(system, dashboard, settings.askTimeout(), mapper,
        org.tasklane.dashboard.WorkerPageSettings.fromConfig(system.settings().config()));
  }

  public Route routes() {
    return envelope.wrap(() -> concat(
        pages.routes(),
        events.routes(),
        api.routes(),
        errors.routes(),
        graphs.routes(),
        metrics.routes(),
        history.routes(),
        workers.routes(),
        profile.routes(),
        path("health", () -> complete("ok"))));
  }
}
