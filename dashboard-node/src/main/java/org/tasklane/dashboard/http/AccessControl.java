package org.tasklane.dashboard.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;

import com.typesafe.config.Config;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpMethods;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.Route;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.protocol.api.AuthFileSetting;

/**
 * Who may use the dashboard: opt-in authentication ({@code tasklane.dashboard.auth-file}) and
 * opt-in CORS ({@code tasklane.dashboard.cors-allowed-origins}).
 *
 * <p>With a token, every route (pages, assets, {@code events}, {@code api/v1/*}, {@code metrics},
 * {@code health}) answers only a request carrying it, as {@code Authorization: Bearer TOKEN} or as
 * the password of HTTP Basic auth with any user name; anything else gets {@code 401} with
 * {@code WWW-Authenticate: Basic realm="tasklane"}, so a browser asks for it once and sends it again
 * with every request of the page, the {@code EventSource} included.
 *
 * <p>Without allowed origins no response carries an {@code Access-Control-*} header and
 * {@code OPTIONS} is 405 like any method but GET and HEAD. With them, a request whose {@code Origin}
 * is exactly one of them gets {@code Access-Control-Allow-Origin} with that origin, and its
 * preflight ({@code OPTIONS} asking for GET or HEAD) is answered 204, before authentication (a
 * browser sends no credentials with a preflight).
 *
 * @param token the token requests must carry (empty: no authentication)
 * @param corsAllowedOrigins origins like {@code https://example.org:8443}, compared exactly (ignoring case)
 */
public record AccessControl(Optional<AccessToken> token, List<String> corsAllowedOrigins) {
  /** No authentication, no CORS: the default. */
  public static final AccessControl NONE = new AccessControl(Optional.empty(), List.of());

  /** The settings that name the auth file and the allowed origins. */
  public static final String AUTH_FILE = "tasklane.dashboard.auth-file";
  public static final String CORS_ALLOWED_ORIGINS = "tasklane.dashboard.cors-allowed-origins";

  /** scheme://host[:port], nothing after. */
  private static final Pattern ORIGIN = Pattern.compile("[a-zA-Z][a-zA-Z0-9+.-]*://[^/?#\\s*]+");

  public AccessControl {
    List<String> origins = new ArrayList<>();
    for (String o : corsAllowedOrigins) {
      String t = o.strip();
      if (!ORIGIN.matcher(t).matches()) {
        throw new IllegalArgumentException(CORS_ALLOWED_ORIGINS + ": '" + o + "' is not an origin like "
            + "https://example.org:8443 (scheme://host[:port], no path, no wildcard)");
      }
      origins.add(t);
    }
    corsAllowedOrigins = List.copyOf(origins);
  }

  /**
   * The dashboard's access settings from a node's configuration; the auth file is read now.
   *
   * @throws IllegalArgumentException with a one-line message if the auth file is missing,
   *     unreadable or empty, or an origin is malformed
   */
  public static AccessControl fromConfig(Config config) {
    List<String> origins = config.hasPath(CORS_ALLOWED_ORIGINS) ? config.getStringList(CORS_ALLOWED_ORIGINS) : List.of();
    return new AccessControl(AuthFileSetting.fromConfig(config, AUTH_FILE), origins);
  }

  /** Whether {@code origin} is one of the allowed origins. */
  boolean allows(String origin) {
    return corsAllowedOrigins.stream().anyMatch(o -> o.equalsIgnoreCase(origin.strip()));
  }

  // ------------------------------------------------------------------ CORS

  /**
   * Answers allowed preflights, and adds {@code Access-Control-Allow-Origin} to every response to
   * an allowed origin; without allowed origins, {@code inner} as it is.
   */
  Route cors(Supplier<Route> inner) {
    Route route = inner.get();
    if (corsAllowedOrigins.isEmpty()) {
      return route;
    }
    return respondWithHeader(RawHeader.create("Vary", "Origin"), () ->
        optionalHeaderValueByName("Origin", origin -> {
          if (origin.isEmpty() || !allows(origin.get())) {
            return route;
          }
          List<HttpHeader> allow = List.of(RawHeader.create("Access-Control-Allow-Origin", origin.get().strip()));
          return respondWithHeaders(allow, () -> extractMethod(method -> {
            if (!method.equals(HttpMethods.OPTIONS)) {
              return route;
            }
            return optionalHeaderValueByName("Access-Control-Request-Method", requested -> {
              String m = requested.map(s -> s.strip().toUpperCase(Locale.ROOT)).orElse("");
              if (!m.equals("GET") && !m.equals("HEAD")) {
                return route; // not a preflight for something the dashboard answers: 405 as usual
              }
              return complete(HttpResponse.create()
                  .withStatus(StatusCodes.NO_CONTENT)
                  .addHeader(RawHeader.create("Access-Control-Allow-Methods", "GET, HEAD"))
                  .addHeader(RawHeader.create("Access-Control-Allow-Headers", "Authorization, Last-Event-ID"))
                  .addHeader(RawHeader.create("Access-Control-Max-Age", "600")));
            });
          }));
        }));
  }

  // ------------------------------------------------------------------ authentication

  /** {@code inner}, answered only with the token if there is one. */
  Route authenticated(Supplier<Route> inner) {
    Route route = inner.get();
    if (token.isEmpty()) {
      return route;
    }
    AccessToken t = token.get();
    return optionalHeaderValueByName("Authorization", h -> h.isPresent() && t.accepts(h.get())
        ? route
        : complete(unauthorized(h.isPresent())));
  }

  /** 401, the Basic challenge (a browser shows its login prompt), and why, as one line of JSON. */
  static HttpResponse unauthorized(boolean hadCredentials) {
    return HttpResponse.create()
        .withStatus(StatusCodes.UNAUTHORIZED)
        .addHeader(RawHeader.create("WWW-Authenticate", AccessToken.CHALLENGE))
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
            hadCredentials ? AccessToken.REJECTED_JSON : AccessToken.MISSING_JSON));
  }

  /** Names the auth file and the origins, never the token. */
  @Override
  public String toString() {
    return "AccessControl[token=" + token.map(AccessToken::toString).orElse("none") + ", corsAllowedOrigins="
        + corsAllowedOrigins + "]";
  }
}
