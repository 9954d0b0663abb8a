package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.Allow;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.UpdateHub;
import org.tasklane.protocol.DashboardProtocol;

/**
 * Every route of the dashboard (docs/dashboard.md), under {@code tasklane.dashboard.prefix}: the
 * pages and assets, {@code events}, {@code api/v1/*.json}, {@code metrics} and {@code health}. Only GET and HEAD
 * are answered (anything else: 405); every response, errors included, carries a strict
 * Content-Security-Policy, {@code X-Content-Type-Options: nosniff} and {@code Referrer-Policy: no-referrer}.
 * {@link AccessControl} puts opt-in authentication in front of every route, and opt-in CORS in front
 * of that (without it no response has an {@code Access-Control-*} header).
 */
public final class DashboardRoutes {
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private static final List<HttpHeader> SECURITY_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"));

  private final List<String> prefix;
  private final StaticRoutes pages;
  private final EventRoutes events;
  private final ApiRoutes api;
  private final MetricsRoutes metrics;
  private final HistoryRoutes history;
  private final AccessControl access;

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
    this.access = access;
    this.history = new HistoryRoutes(system, historyStore, mapper);
    this.prefix = settings.prefixSegments();
    this.pages = new StaticRoutes(prefix);
    this.events = new EventRoutes(system, dashboard, hub, settings, mapper, stats);
    this.api = new ApiRoutes(system, dashboard, settings, mapper);
    this.metrics = new MetricsRoutes(system, dashboard, settings, stats);
  }

  public Route routes() {
    return respondWithHeaders(SECURITY_HEADERS, () ->
        access.cors(() ->
            handleRejections(RejectionHandler.defaultHandler(), () ->
                access.authenticated(() ->
                    readOnly(() -> underPrefix(0, () -> concat(
                        pages.routes(),
                        events.routes(),
                        api.routes(),
                        metrics.routes(),
                        history.routes(),
                        path("health", () -> complete("ok")))))))));
  }

  /** GET as it is, HEAD as a GET without its body; anything else 405. */
  private static Route readOnly(Supplier<Route> inner) {
    return extractMethod(method -> {
      if (method.equals(HttpMethods.GET)) {
        return inner.get();
      }
      if (method.equals(HttpMethods.HEAD)) {
        // the server still answers a HEAD request without the body
        return mapRequest(r -> r.withMethod(HttpMethods.GET), inner);
      }
      return complete(HttpResponse.create()
          .withStatus(StatusCodes.METHOD_NOT_ALLOWED)
          .addHeader(Allow.create(HttpMethods.GET, HttpMethods.HEAD))
          .withEntity(HttpEntities.create("only GET and HEAD are answered here: the dashboard changes nothing")));
    });
  }

  /**
   * pathPrefix(first, () -> pathPrefix(second, ...)) over the prefix's segments, each matched as a
   * whole segment ({@code pathPrefix("a")} alone would also take "/ab").
   */
  private Route underPrefix(int i, Supplier<Route> inner) {
    if (i == prefix.size()) {
      return inner.get();
    }
    String name = prefix.get(i);
    return pathPrefix(PathMatchers.segment(), segment -> segment.equals(name) ? underPrefix(i + 1, inner) : reject());
  }
}
