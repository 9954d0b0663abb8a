package org.tasklane.dashboard.http;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A test client for one SSE stream over real HTTP (JDK HttpClient, lines): a thread parses the
 * stream into events ({@code :} comment lines become events of type {@code ":"}).
 */
final class SseClient implements AutoCloseable {

  record Event(String type, String id, String data) {
    boolean isComment() {
      return ":".equals(type);
    }
  }

  /** Marks the end of the stream in the queue. */
  private static final Event END = new Event("<end>", null, null);

  final HttpResponse<Stream<String>> response;
  private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
  private final Thread reader;
  private volatile boolean ended;

  private SseClient(HttpResponse<Stream<String>> response) {
    this.response = response;
    this.reader = new Thread(this::read, "sse-client");
    reader.setDaemon(true);
    reader.start();
  }

  static SseClient connect(HttpClient http, URI uri, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Accept", "text/event-stream");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    try {
      return new SseClient(http.send(b.GET().build(), HttpResponse.BodyHandlers.ofLines()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private void read() {
    String type = null;
    String id = null;
    StringBuilder data = null;
    try {
      Iterator<String> lines = response.body().iterator();
      while (lines.hasNext()) {
        String line = lines.next();
        if (line.isEmpty()) {
          if (data != null || type != null || id != null) {
            events.add(new Event(type == null ? "message" : type, id, data == null ? null : data.toString()));
          }
          type = null;
          id = null;
          data = null;
        } else if (line.startsWith(":")) {
          events.add(new Event(":", null, line.substring(1)));
        } else {
          int colon = line.indexOf(':');
          String field = colon < 0 ? line : line.substring(0, colon);
          String value = colon < 0 ? "" : line.substring(colon + 1);
          if (value.startsWith(" ")) {
            value = value.substring(1);
          }
          switch (field) {
            case "event" -> type = value;
            case "id" -> id = value;
            case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
            default -> { }
          }
        }
      }
    } catch (RuntimeException e) {
      // the connection was closed
    } finally {
      ended = true;
      events.add(END);
    }
  }

  /** The next event (heartbeats included); fails after the timeout or at the end of the stream. */
  Event next(Duration timeout) {
    try {
      Event e = events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      assertNotNull(e, "no event within " + timeout);
      assertNotSame(END, e, "the stream ended");
      return e;
    } catch (InterruptedException ex) {
      Thread.currentThread().interrupt();
      throw new AssertionError(ex);
    }
  }

  /** The next event that is not a heartbeat. */
  Event nextEvent(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      Event e = next(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
      if (!e.isComment()) {
        return e;
      }
    }
  }

  /** An event already received, if any (not waiting). */
  Event poll() {
    Event e = events.poll();
    if (e == END) {
      events.add(END);
      return null;
    }
    return e;
  }

  boolean ended() {
    return ended;
  }

  @Override
  public void close() {
    response.body().close();
  }
}
