package org.tasklane.dashboard.http;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** Counts of the SSE streams of one node, for metrics: thread-safe, updated by the streams. */
public final class SseStats {
  private final AtomicInteger clients = new AtomicInteger();
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLong eventsSent = new AtomicLong();
  private final AtomicLong clientsDropped = new AtomicLong();

  /** Browsers connected now. */
  public int clients() {
    return clients.get();
  }

  /** Connections since start. */
  public long connections() {
    return connections.get();
  }

  /** Events handed to browsers' connections since start (heartbeats not counted). */
  public long eventsSent() {
    return eventsSent.get();
  }

  /** Browsers dropped because they fell behind (their buffer overflowed, or they missed updates). */
  public long clientsDropped() {
    return clientsDropped.get();
  }

  void connected() {
    clients.incrementAndGet();
    connections.incrementAndGet();
  }

  void disconnected(boolean dropped) {
    clients.decrementAndGet();
    if (dropped) {
      clientsDropped.incrementAndGet();
    }
  }

  void sent() {
    eventsSent.incrementAndGet();
  }
}
