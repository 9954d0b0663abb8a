package org.tasklane.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.tasklane.protocol.GraphSpec;
import org.tasklane.protocol.api.AccessToken;
import org.tasklane.protocol.api.ApiError;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;
import org.tasklane.protocol.api.GraphSummary;
import org.tasklane.protocol.api.SubmitResponse;

/**
 * A small Java client of the scheduler's HTTP API.
 *
 * <pre>{@code
 * try (TasklaneClient client = new TasklaneClient(URI.create("http://scheduler-host:8786"))) {
 *   String id = client.submit(graph);
 *   GraphStatus status = client.awaitDone(id, Duration.ofMinutes(5));
 *   GraphResults results = client.results(id);
 *   client.forget(id);
 * }
 * }</pre>
 */
public final class TasklaneClient implements AutoCloseable {
  /** The longest a status request waits on the scheduler (its {@code wait} parameter). */
  private static final Duration POLL = Duration.ofSeconds(10);
  /**
   * How much longer than its {@code wait} a status request may take before the client gives up:
   * the scheduler answers within its ask timeout (10 s by default) after the wait. A scheduler that
   * is killed breaks the connection at once; one whose host vanishes is noticed after this.
   */
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(20);

  private final URI base;
  private final HttpClient http;
  /** The {@code Authorization} header sent with every request, or null. */
  private final String authorization;
  /**
   * Results are up to {@code max-result-bytes} (32 MiB) each, and binary ones come as base64 text,
   * longer than Jackson's default 20 million characters per string: no limit on string length.
   */
  private final ObjectMapper mapper = new ObjectMapper(com.fasterxml.jackson.core.JsonFactory.builder()
      .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
          .maxStringLength(Integer.MAX_VALUE).build())
      .build())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** {@code base} is the API's root, e.g. {@code http://localhost:8786}. */
  public TasklaneClient(URI base) {
    this(base, (String) null);
  }

  /**
   * A client of a scheduler whose API asks for a token ({@code --auth-file}): every request carries
   * {@code Authorization: Bearer TOKEN}. A null token sends none.
   */
  public TasklaneClient(URI base, String token) {
    this(base, token, null);
  }

  /**
   * A client of a scheduler whose API speaks HTTPS ({@code --tls-dir}): {@code tls} decides which
   * server certificates it trusts (null: the JDK's default trust, for a certificate from a public
   * CA). See {@link #withTlsDir}.
   */
  public TasklaneClient(URI base, String token, javax.net.ssl.SSLContext tls) {
    String s = base.toString();
    this.base = URI.create(s.endsWith("/") ? s : s + "/");
    // HTTP/1.1: the scheduler speaks nothing else, and the JDK's default (HTTP/2) adds an h2c
    // upgrade offer (Connection: Upgrade, HTTP2-Settings) to every request on a plain connection
    HttpClient.Builder builder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(5));
    if (tls != null) {
      builder.sslContext(tls);
    }
    this.http = builder.build();
    this.authorization = token == null ? null : AccessToken.of(token).bearerHeader();
  }

  /**
   * A client of a scheduler started with {@code --tls-dir}: it trusts the CA in {@code tlsDir}'s
   * {@code truststore.p12} (password in {@code tlsDir/password}), and nothing else; {@code base}
   * should be {@code https://HOST:PORT}. A null token sends none.
   *
   * @throws IllegalArgumentException with a one-line message if the folder's files cannot be read
   */
  public static TasklaneClient withTlsDir(URI base, java.nio.file.Path tlsDir, String token) {
    return new TasklaneClient(base, token, org.tasklane.protocol.api.TlsFolder.forClient(tlsDir).clientContext());
  }

  /** A client that sends the token on the first line of {@code authFile} (the scheduler's {@code --auth-file}). */
  public static TasklaneClient withAuthFile(URI base, java.nio.file.Path authFile) {
    return new TasklaneClient(base, AccessToken.fromFile(authFile).secret());
  }

  /** Submits a graph; returns its id. */
  public String submit(GraphSpec graph) {
    try {
      return submit(mapper.writeValueAsBytes(graph));
    } catch (IOException e) {
      throw new TasklaneException("cannot encode the graph: " + e.getMessage(), e);
    }
  }

  /** Submits a graph given as JSON; returns its id. */
  public String submit(byte[] graphJson) {
    HttpRequest req = request("api/v1/graphs", Duration.ofMinutes(2))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(graphJson))
        .build();
    return send(req, SubmitResponse.class).id();
  }

  /**
   * Submits a graph and waits until it is done (or the timeout passes); returns its status then, its
   * id included. The first wait rides on the POST itself ({@code ?wait}), so a small graph costs one
   * request, not a POST and a long poll; a longer wait goes on with {@link #awaitDone}.
   */
  public GraphStatus submitAndWait(GraphSpec graph, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Duration wait = timeout.compareTo(POLL) < 0 ? timeout : POLL;
    byte[] json;
    try {
      json = mapper.writeValueAsBytes(graph);
    } catch (IOException e) {
      throw new TasklaneException("cannot encode the graph: " + e.getMessage(), e);
    }
    HttpRequest req = request("api/v1/graphs?wait=" + wait.toMillis() / 1000.0, Duration.ofMinutes(2).plus(wait))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(json))
        .build();
    SubmitResponse answer = send(req, SubmitResponse.class);
    long left = deadline - System.nanoTime();
    if (answer.status() != null && (answer.status().isFinished() || left <= 0)) {
      return answer.status();
    }
    return awaitDone(answer.id(), Duration.ofNanos(Math.max(0, left)));
  }

  /** The graph's status now. */
  public GraphStatus status(String id) {
    return send(request("api/v1/graphs/" + id, Duration.ofSeconds(30)).GET().build(), GraphStatus.class);
  }

  /**
   * Waits until the graph is done (or the timeout passes) and returns its status then. It never
   * outlives the scheduler: if the connection breaks or is refused (or no answer comes within the
   * poll's wait and a margin), it throws a {@link TasklaneException} that says it lost contact while
   * waiting for this graph; a scheduler that no longer knows the graph (it restarted) answers 404.
   */
  public GraphStatus awaitDone(String id, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      Duration wait = Duration.ofNanos(Math.max(0, Math.min(left, POLL.toNanos())));
      GraphStatus s;
      try {
        s = send(request("api/v1/graphs/" + id + "?wait=" + wait.toMillis() / 1000.0, wait.plus(ANSWER_MARGIN))
            .GET().build(), GraphStatus.class);
      } catch (TasklaneException e) {
        if (e.status() != 0 || !(e.getCause() instanceof IOException)) {
          throw e; // the scheduler's own one-line answer, e.g. 404 for a graph a restarted scheduler never had
        }
        // a graph lives in the scheduler's memory: a client that loses it must not wait on
        throw new TasklaneException("lost contact with the scheduler at " + base + " while waiting for graph " + id
            + " (" + lostWhy(e.getCause()) + "); if the scheduler "
            + "restarted, the graph is lost: submit it again", e.getCause());
      }
      if (s.isFinished() || left <= 0) {
        return s;
      }
    }
  }

  /** The wanted results of a finished graph, and the errors of the wanted tasks that erred. */
  public GraphResults results(String id) {
    return send(request("api/v1/graphs/" + id + "/results", Duration.ofMinutes(2)).GET().build(), GraphResults.class);
  }

  /** These wanted results of a finished graph (and the errors of those that erred). */
  public GraphResults results(String id, java.util.Collection<String> keys) {
    StringBuilder q = new StringBuilder("api/v1/graphs/" + id + "/results");
    char sep = '?';
    for (String k : keys) {
      q.append(sep).append("key=").append(java.net.URLEncoder.encode(k, java.nio.charset.StandardCharsets.UTF_8));
      sep = '&';
    }
    return send(request(q.toString(), Duration.ofMinutes(2)).GET().build(), GraphResults.class);
  }

  /**
   * Completes with the graph's status once it is done, without holding a thread while it waits
   * (long polls sent with the HTTP client's own asynchronous I/O); fails as {@link #awaitDone} does
   * when contact with the scheduler is lost.
   */
  public java.util.concurrent.CompletableFuture<GraphStatus> whenDone(String id) {
    HttpRequest req = request("api/v1/graphs/" + id + "?wait=" + POLL.toSeconds(), POLL.plus(ANSWER_MARGIN)).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .handle((resp, failure) -> decodeWhileWaiting(id, resp, failure, GraphStatus.class))
        .thenCompose(status -> status.isFinished()
            ? java.util.concurrent.CompletableFuture.completedFuture(status)
            : whenDone(id));
  }

  /**
   * The graph's wanted keys that finished, from the {@code from}-th on, in the order they did
   * ({@code GET /api/v1/graphs/ID/finished}); the scheduler answers as soon as there is one, when the
   * graph ends, or after {@code wait}. No thread waits meanwhile; fails as {@link #whenDone} does when
   * contact with the scheduler is lost.
   */
  public java.util.concurrent.CompletableFuture<org.tasklane.protocol.api.FinishedKeys> finished(
      String id, int from, Duration wait) {
    HttpRequest req = request("api/v1/graphs/" + id + "/finished?from=" + from + "&wait=" + wait.toMillis() / 1000.0,
        wait.plus(ANSWER_MARGIN)).GET().build();
    return http.sendAsync(req, HttpResponse.BodyHandlers.ofByteArray())
        .handle((resp, failure) -> decodeWhileWaiting(id, resp, failure, org.tasklane.protocol.api.FinishedKeys.class));
  }

  /** The answer to a long poll about graph {@code id}, or the one line saying contact was lost. */
  private <T> T decodeWhileWaiting(String id, HttpResponse<byte[]> resp, Throwable failure, Class<T> type) {
    if (failure != null) {
      Throwable cause = failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
          ? failure.getCause() : failure;
      throw new TasklaneException("lost contact with the scheduler at " + base + " while waiting for graph " + id
          + " (" + lostWhy(cause) + "); if the scheduler restarted, the graph is lost: submit it again", cause);
    }
    return decode(resp, type);
  }

  /** Cancels a graph (if running) and drops its results. */
  public void forget(String id) {
    send(request("api/v1/graphs/" + id, Duration.ofSeconds(30)).DELETE().build(), JsonNode.class);
  }

  /** True if the scheduler holds the jar with this SHA-256 ({@code HEAD /api/v1/code/SHA}). */
  public boolean hasCode(String sha256) {
    HttpRequest req = request("api/v1/code/" + sha256, Duration.ofSeconds(30))
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
    HttpResponse<byte[]> resp = exchange(req);
    if (resp.statusCode() == 404) {
      return false;
    }
    if (resp.statusCode() >= 300) {
      throw new TasklaneException(resp.statusCode(), "the scheduler answered " + resp.statusCode()
          + " when asked whether it holds jar " + sha256);
    }
    return true;
  }

  /**
   * Uploads a jar the scheduler keeps under its SHA-256 ({@code PUT /api/v1/code/SHA}), for graphs
   * that name it in {@code code}. The scheduler refuses it unless it runs with an auth file or
   * {@code --allow-code-upload}; the exception then says so.
   */
  public void uploadCode(String sha256, byte[] jar) {
    HttpRequest req = request("api/v1/code/" + sha256, Duration.ofMinutes(5))
        .header("Content-Type", "application/java-archive")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(jar))
        .build();
    send(req, JsonNode.class);
  }

  /** The graphs the scheduler knows. */
  public List<GraphSummary> graphs() {
    return List.of(send(request("api/v1/graphs", Duration.ofSeconds(30)).GET().build(), GraphSummary[].class));
  }

  /** Every worker's own account of itself, as JSON. */
  public JsonNode workers() {
    return send(request("api/v1/workers", Duration.ofSeconds(30)).GET().build(), JsonNode.class);
  }

  public URI base() {
    return base;
  }

  private HttpRequest.Builder request(String path, Duration timeout) {
    HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    return authorization == null ? b : b.header("Authorization", authorization);
  }

  private HttpResponse<byte[]> exchange(HttpRequest req) {
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      throw new TasklaneException("cannot reach the scheduler API at " + base + " (" + why(e, base) + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new TasklaneException("interrupted", e);
    }
  }

  private <T> T send(HttpRequest req, Class<T> type) {
    return decode(exchange(req), type);
  }

  private <T> T decode(HttpResponse<byte[]> resp, Class<T> type) {
    try {
      if (resp.statusCode() >= 300) {
        String message;
        try {
          message = mapper.readValue(resp.body(), ApiError.class).error();
        } catch (IOException e) {
          message = new String(resp.body(), java.nio.charset.StandardCharsets.UTF_8);
        }
        throw new TasklaneException(resp.statusCode(), message);
      }
      return mapper.readValue(resp.body(), type);
    } catch (IOException e) {
      throw new TasklaneException("the scheduler API answered something unreadable: " + e.getMessage(), e);
    }
  }

  /** Why a waiting client lost the scheduler, in a few words. */
  private static String lostWhy(Throwable e) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    return "the connection broke" + (e != null && e.getMessage() != null ? ": " + e.getMessage() : "");
  }

  private static String why(IOException e, URI base) {
    if (e instanceof java.net.ConnectException) {
      return "connection refused; is the scheduler running, and is the address right?";
    }
    if (e instanceof javax.net.ssl.SSLHandshakeException) {
      return "TLS handshake failed: " + e.getMessage() + "; is its certificate from the CA of the --tls-dir given "
          + "(wrong CA?), and does it name this host?";
    }
    if ("http".equals(base.getScheme()) && String.valueOf(e.getMessage()).contains("received no bytes")) {
      // an HTTPS server closes a plain HTTP request without an answer
      return "no HTTP answer: if the scheduler was started with --tls-dir, reach it over HTTPS with its CA "
          + "(submit --tls-dir DIR; TasklaneClient.withTlsDir)";
    }
    if (e instanceof java.net.http.HttpTimeoutException) {
      return "no answer in time";
    }
    return e.getMessage() != null ? e.getMessage() : "connection failed";
  }

  @Override
  public void close() {
    // java.net.http.HttpClient has no close() before Java 21; its threads end with it.
  }
}
