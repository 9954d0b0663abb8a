package org.tasklane.system.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.tasklane.system.GraphMutator;

/**
 * Sends the client API bad graphs, a few a second, while the soak runs: random mutations of a valid
 * graph's JSON ({@link GraphMutator}) and hand-made bad ones (cycles, unknown functions, huge and empty keys). A clean
 * rejection is a 4xx whose body is a one-line JSON error; a mutant that happens to be valid must
 * be accepted (it is cancelled at once). Anything else (5xx, a dropped connection) is unclean.
 */
final class BadInputs implements Runnable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> HAND_MADE = List.of(
      "{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [{\"ref\": \"b\"}]},"
          + " {\"key\": \"b\", \"fn\": \"inc\", \"args\": [{\"ref\": \"a\"}]}]}",
      "{\"tasks\": [{\"key\": \"a\", \"fn\": \"no-such-function\", \"args\": []}]}",
      "{\"tasks\": [{\"key\": \"\", \"fn\": \"inc\", \"args\": [1]}]}",
      "{\"tasks\": [{\"key\": \"" + "k".repeat(1 << 20) + "\", \"fn\": \"inc\", \"args\": [1]}]}",
      "{\"tasks\": []}",
      "{\"tasks\": [{\"key\": \"a\", \"fn\": \"inc\", \"args\": [{\"ref\": \"missing\"}]}]}",
      "[1, 2, 3]",
      "");

  final AtomicLong tried = new AtomicLong();
  final AtomicLong rejectedCleanly = new AtomicLong();
  final AtomicLong valid = new AtomicLong();
  volatile String lastUnclean = "";

  private final URI graphs;
  private final Random random;
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile boolean stopping;

  BadInputs(URI apiBase, long seed) {
    this.graphs = apiBase.resolve("api/v1/graphs");
    this.random = new Random(seed);
  }

  void stop() {
    stopping = true;
  }

  @Override
  public void run() {
    while (!stopping) {
      try {
        byte[] body = random.nextInt(4) == 0
            ? HAND_MADE.get(random.nextInt(HAND_MADE.size())).getBytes(StandardCharsets.UTF_8)
            : GraphMutator.mutate(GraphMutator.VALID, random, 1 + random.nextInt(3)).getBytes(StandardCharsets.UTF_8);
        send(body);
      } catch (RuntimeException e) {
        // a bug of this driver: make it show in the table (tried, but neither rejected nor valid)
        tried.incrementAndGet();
        lastUnclean = "the bad-input driver failed: " + e;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void send(byte[] body) {
    tried.incrementAndGet();
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(graphs).timeout(Duration.ofSeconds(60))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 201) {
        valid.incrementAndGet();
        String id = JSON.readTree(r.body()).get("id").asText();
        http.send(HttpRequest.newBuilder(graphs.resolve("graphs/" + id)).DELETE().timeout(Duration.ofSeconds(60)).build(),
            HttpResponse.BodyHandlers.discarding());
      } else if (r.statusCode() == 429) {
        // the scheduler is full for now: that is a clean, retryable refusal too
        rejectedCleanly.incrementAndGet();
      } else if (r.statusCode() >= 400 && r.statusCode() < 500 && isOneLineError(r.body())) {
        rejectedCleanly.incrementAndGet();
      } else {
        lastUnclean = r.statusCode() + " " + r.body();
      }
    } catch (IOException e) {
      lastUnclean = "no answer: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean isOneLineError(String body) {
    try {
      JsonNode error = JSON.readTree(body).get("error");
      return error != null && error.isTextual() && !error.asText().isBlank() && !error.asText().contains("\n");
    } catch (IOException e) {
      return false;
    }
  }
}
