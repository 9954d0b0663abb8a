package org.tasklane.scheduler.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaType;
import org.apache.pekko.http.javadsl.model.headers.CacheControl;
import org.apache.pekko.http.javadsl.model.headers.CacheDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.scheduler.metrics.SchedulerMetrics;

/**
 * {@code GET /metrics} on the client API port: the scheduler node's figures in the Prometheus text
 * format ({@link SchedulerMetrics}), behind the API's token like every other route.
 */
public final class MetricsRoutes {
  /**
   * {@code text/plain; version=0.0.4; charset=utf-8}, exactly as the Prometheus client names it
   * ({@link SchedulerMetrics#CONTENT_TYPE}): a parsed charset would be written {@code UTF-8}.
   */
  static final ContentType TEXT_FORMAT = ((MediaType.WithOpenCharset) ContentTypes.parse("text/plain; version=0.0.4")
      .mediaType()).toContentType(HttpCharsets.custom("utf-8"));

  private final SchedulerMetrics metrics;

  public MetricsRoutes(SchedulerMetrics metrics) {
    this.metrics = metrics;
  }

  public Route routes() {
    return path("metrics", () -> get(() -> complete(HttpResponse.create()
        .addHeader(CacheControl.create(CacheDirectives.NO_CACHE))
        .withEntity(HttpEntities.create(TEXT_FORMAT, metrics.scrape())))));
  }
}
