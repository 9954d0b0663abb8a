package org.tasklane.scheduler.http;

import static org.apache.pekko.http.javadsl.server.Directives.*;
import static org.junit.jupiter.api.Assertions.*;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link AsyncRoute} over real HTTP: the route an answer decides, and a failed answer's cause. */
class AsyncRouteTest {
  static final ActorTestKit testKit = ActorTestKit.create("AsyncRouteTest");
  static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  static final CompletableFuture<Route> later = new CompletableFuture<>();
  static ServerBinding binding;

  @BeforeAll
  static void start() throws Exception {
    ExceptionHandler conflicts = ExceptionHandler.newBuilder()
        .match(IllegalStateException.class, e -> complete(StatusCodes.CONFLICT, "cause: " + e.getMessage()))
        .build();
    Route routes = handleExceptions(conflicts, () -> concat(
        path("now", () -> AsyncRoute.of(CompletableFuture.completedFuture(complete("answered at once")))),
        path("later", () -> AsyncRoute.of(later)),
        path("failed", () -> AsyncRoute.of(CompletableFuture.supplyAsync(() -> {
          throw new IllegalStateException("the scheduler said no");
        }))),
        path("wrapped", () -> AsyncRoute.of(
            CompletableFuture.failedFuture(new CompletionException(new IllegalStateException("wrapped twice")))))));
    binding = Http.get(testKit.system()).newServerAt("127.0.0.1", 0).bind(routes)
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @AfterAll
  static void stop() throws Exception {
    binding.terminate(Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.shutdownTestKit();
  }

  static CompletableFuture<HttpResponse<String>> get(String path) {
    return http.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + binding.localAddress().getPort() + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAnswerThatIsThereRunsItsRoute() throws Exception {
    HttpResponse<String> r = get("/now").get(10, TimeUnit.SECONDS);
    assertEquals(200, r.statusCode());
    assertEquals("answered at once", r.body());
  }

  @Test
  void theRequestWaitsForTheAnswer() throws Exception {
    CompletableFuture<HttpResponse<String>> pending = get("/later");
    // the request is in the route (the server answers other requests meanwhile), and not answered
    assertEquals(200, get("/now").get(10, TimeUnit.SECONDS).statusCode());
    assertFalse(pending.isDone(), "answered before the route was decided");
    later.complete(complete(StatusCodes.ACCEPTED, "decided later"));
    HttpResponse<String> r = pending.get(10, TimeUnit.SECONDS);
    assertEquals(202, r.statusCode());
    assertEquals("decided later", r.body());
  }

  @Test
  void aFailedAnswerReachesTheExceptionHandlerWithItsCause() throws Exception {
    HttpResponse<String> failed = get("/failed").get(10, TimeUnit.SECONDS);
    assertEquals(409, failed.statusCode(), failed.body());
    assertEquals("cause: the scheduler said no", failed.body());
    HttpResponse<String> wrapped = get("/wrapped").get(10, TimeUnit.SECONDS);
    assertEquals(409, wrapped.statusCode(), wrapped.body());
    assertEquals("cause: wrapped twice", wrapped.body());
  }
}
