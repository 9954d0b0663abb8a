package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import java.util.List;
import java.util.function.Supplier;
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

/**
 * What every response of a dashboard, and of the history server ({@code tasklane history}), goes
 * through: the security headers (a strict Content-Security-Policy, {@code X-Content-Type-Options:
 * nosniff}, {@code Referrer-Policy: no-referrer}, on errors too), opt-in CORS and authentication
 * ({@link AccessControl}), GET and HEAD only (anything else 405), and the path prefix.
 */
public final class RouteEnvelope {
  public static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
      + "img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

  private static final List<HttpHeader> SECURITY_HEADERS = List.of(
      RawHeader.create("Content-Security-Policy", CONTENT_SECURITY_POLICY),
      RawHeader.create("X-Content-Type-Options", "nosniff"),
      RawHeader.create("Referrer-Policy", "no-referrer"));

  private final List<String> prefix;
  private final AccessControl access;

  /**
   * @param prefix the segments every route lies under ({@code DashboardSettings.prefixSegments()})
   * @param access authentication and CORS
   */
  public RouteEnvelope(List<String> prefix, AccessControl access) {
    this.prefix = List.copyOf(prefix);
    this.access = access;
  }

  /** {@code inner} (routes relative to the prefix) in the envelope. */
  public Route wrap(Supplier<Route> inner) {
    // default headers: a route that sets its own policy (a self-contained page) keeps it
    return respondWithDefaultHeaders(SECURITY_HEADERS, () ->
        access.cors(() ->
            handleRejections(RejectionHandler.defaultHandler(), () ->
                access.authenticated(() ->
                    readOnly(() -> underPrefix(0, inner))))));
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
