package org.tasklane.client;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.tasklane.client.codec.ValueCodec;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;

/**
 * Follows one submitted graph: long-polls for its wanted keys as they finish, reads their results
 * (at most {@value #KEYS_PER_REQUEST} a request) into their futures, and once every wanted key is
 * read, completes the graph's status and has the scheduler forget it. No thread waits between
 * polls: the HTTP client answers asynchronously and the reading runs on the client's own threads.
 */
final class ResultFollower {
  /** Keys per results request, at most. */
  static final int KEYS_PER_REQUEST = 1000;
  /** Characters of keys in one results request's query, at most. */
  static final int MAX_QUERY_CHARS = 15_000;
  /** How long one poll for finished keys may wait on the scheduler. */
  private static final Duration POLL_WAIT = Duration.ofSeconds(10);

  private final TasklaneClient api;
  private final ValueCodec codec;
  private final Executor readers;
  private final String id;
  private final Map<String, Ref<?>> refs;
  private final Map<String, TaskFuture<?>> futures;
  private final CompletableFuture<GraphStatus> status;

  ResultFollower(TasklaneClient api, ValueCodec codec, Executor readers, String id, Map<String, Ref<?>> refs,
      Map<String, TaskFuture<?>> futures, CompletableFuture<GraphStatus> status) {
    this.api = api;
    this.codec = codec;
    this.readers = readers;
    this.id = id;
    this.refs = refs;
    this.futures = futures;
    this.status = status;
  }

  /** Asks for the keys that finished from the {@code from}-th on; {@code retry}: keys whose results were not ready. */
  void poll(int from, List<String> retry) {
    // keys announced but not readable (a result lost and being computed again) are asked for again shortly
    Duration wait = retry.isEmpty() ? POLL_WAIT : Duration.ofMillis(200);
    api.finished(id, from, wait).whenCompleteAsync((finished, failure) -> {
      try {
        if (failure != null) {
          fail(failure instanceof java.util.concurrent.CompletionException && failure.getCause() != null
              ? failure.getCause() : failure);
          return;
        }
        if ("done".equals(finished.state()) && unread() > KEYS_PER_REQUEST && readAll()) {
          end(); // the graph is done: every wanted result in one answer rather than key by key
          return;
        }
        List<String> keys = new ArrayList<>(retry);
        keys.addAll(finished.keys());
        List<String> notReady = read(keys);
        boolean allListed = finished.next() >= finished.wanted();
        if ((allListed && notReady.isEmpty()) || !"running".equals(finished.state()) && finished.keys().isEmpty()
            && notReady.isEmpty()) {
          end();
        } else {
          poll(finished.next(), notReady);
        }
      } catch (RuntimeException e) {
        fail(e);
      }
    }, readers);
  }

  private long unread() {
    return futures.values().stream().filter(f -> !f.isDone()).count();
  }

  /** Reads every wanted result of the finished graph at once; false if they are too many for one answer. */
  private boolean readAll() {
    try {
      complete(api.results(id));
      return true;
    } catch (TasklaneException e) {
      if (e.status() == 413) {
        return false; // too large for one answer: key by key, as while it ran
      }
      throw e;
    }
  }

  /** Reads these keys' results into their futures; returns the keys whose results were not ready. */
  private List<String> read(List<String> keys) {
    List<String> notReady = new ArrayList<>();
    for (List<String> batch : batches(keys)) {
      try {
        complete(api.results(id, batch));
      } catch (TasklaneException e) {
        if (e.status() == 409) {
          notReady.addAll(batch);
        } else if (e.status() == 413 && batch.size() > 1) {
          for (String key : batch) {
            notReady.addAll(read(List.of(key)));
          }
        } else {
          throw e;
        }
      }
    }
    return notReady;
  }

  /**
   * The keys in requests of at most {@value #KEYS_PER_REQUEST} keys and {@value #MAX_QUERY_CHARS}
   * characters of query (the scheduler takes URIs of up to 16k characters; one key, up to 1024
   * characters, or 9216 URL-encoded, always goes, even alone).
   */
  static List<List<String>> batches(List<String> keys) {
    List<List<String>> out = new ArrayList<>();
    List<String> batch = new ArrayList<>();
    int chars = 0;
    for (String key : keys) {
      int len = "&key=".length() + java.net.URLEncoder.encode(key, java.nio.charset.StandardCharsets.UTF_8).length();
      if (!batch.isEmpty() && (batch.size() == KEYS_PER_REQUEST || chars + len > MAX_QUERY_CHARS)) {
        out.add(batch);
        batch = new ArrayList<>();
        chars = 0;
      }
      batch.add(key);
      chars += len;
    }
    if (!batch.isEmpty()) {
      out.add(batch);
    }
    return out;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private void complete(GraphResults results) {
    results.results().forEach((key, value) -> {
      TaskFuture f = futures.get(key);
      if (f == null) {
        return;
      }
      try {
        f.complete(codec.decode(value, refs.get(key).type()));
      } catch (RuntimeException e) {
        f.completeExceptionally(new TasklaneException("the result of " + key + " could not be decoded: "
            + e.getMessage(), e));
      }
    });
    results.errors().forEach((key, error) -> {
      TaskFuture<?> f = futures.get(key);
      if (f != null) {
        f.completeExceptionally(new TaskFailedException(key, error, results.traces().get(key)));
      }
    });
  }

  /** Every wanted key is read: the final status, then the scheduler forgets the graph. */
  private void end() {
    try {
      GraphStatus last = api.status(id);
      futures.forEach((key, f) -> f.completeExceptionally(new TasklaneException(0, "graph " + id + " ("
          + last.state() + ") ended without a result or an error for " + key)));
      status.complete(last);
    } catch (RuntimeException e) {
      fail(e);
    } finally {
      try {
        api.forget(id);
      } catch (RuntimeException ignored) {
        // the results are read; a scheduler that forgot the graph already is fine
      }
    }
  }

  private void fail(Throwable cause) {
    futures.values().forEach(f -> f.completeExceptionally(cause));
    status.completeExceptionally(cause);
  }
}
