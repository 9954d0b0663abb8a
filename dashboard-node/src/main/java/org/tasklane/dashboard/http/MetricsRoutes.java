package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.dashboard.Dashboard;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.protocol.DashboardProtocol;

/**
 * {@code metrics}: the cluster's and the dashboard's figures in the Prometheus text format
 * ({@link DashboardMetrics}), for a Prometheus server to scrape. Each scrape asks the
 * {@link Dashboard} actor for its {@link org.tasklane.dashboard.ClusterFigures} of now; 503 (text)
 * if it does not answer within the ask timeout.
 */
public final class MetricsRoutes {
  /**
   * {@code text/plain; version=0.0.4; charset=utf-8}, exactly as the Prometheus client names it
   * ({@link DashboardMetrics#CONTENT_TYPE}): a parsed charset would be written {@code UTF-8}.
   */
  static final ContentType TEXT_FORMAT = ((MediaType.WithOpenCharset) ContentTypes.parse("text/plain; version=0.0.4")
      .mediaType()).toContentType(HttpCharsets.custom("utf-8"));

  private final ActorSystem<?> system;
  private final ActorRef<DashboardProtocol.Command> dashboard;
  private final Duration askTimeout;
  private final DashboardMetrics metrics;

  public MetricsRoutes(
      ActorSystem<?> system, ActorRef<DashboardProtocol.Command> dashboard, DashboardSettings settings, SseStats stats) {
    this.system = system;
    this.dashboard = dashboard;
    this.askTimeout = settings.askTimeout();
    // in a scheduler's process the scheduler's /metrics has the JVM's figures: one process, one set
    boolean ownProcess = !system.settings().config().getStringList("pekko.cluster.roles").contains("scheduler");
    this.metrics = new DashboardMetrics(stats, ownProcess);
  }

  public Route routes() {
    return path("metrics", () -> onSuccess(scrape(), r -> complete(r)));
  }

  private CompletionStage<HttpResponse> scrape() {
    return AskPattern.<DashboardProtocol.Command, Dashboard.FiguresReply>ask(
            dashboard, Dashboard.GetFigures::new, askTimeout, system.scheduler())
        .thenApply(reply -> HttpResponse.create()
            .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))
            .withEntity(HttpEntities.create(TEXT_FORMAT, metrics.scrape(reply.figures()))))
        .exceptionally(e -> HttpResponse.create()
            .withStatus(StatusCodes.SERVICE_UNAVAILABLE)
            .withEntity(HttpEntities.create("the dashboard did not answer in " + askTimeout.toMillis()
                + " ms; try again")));
  }
}
