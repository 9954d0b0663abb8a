package org.tasklane.system.soak;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Browsers watching a dashboard's {@code events} stream, as EventSource does: each reads every
 * event and, when the stream ends (the dashboard died or dropped it), connects again a second
 * later with its Last-Event-ID. A few "stallers" connect and never read: the dashboard must drop
 * them without the readers noticing.
 */
final class SseCrowd implements AutoCloseable {
  private final String host;
  private final int port;
  private final List<Thread> threads = new ArrayList<>();
  private final List<Socket> sockets = java.util.Collections.synchronizedList(new ArrayList<>());
  private volatile boolean closing;

  /** Readers whose stream is open and has delivered its first event. */
  final AtomicInteger connected = new AtomicInteger();
  final AtomicInteger maxConnected = new AtomicInteger();
  final AtomicLong events = new AtomicLong();
  final AtomicLong reconnects = new AtomicLong();

  SseCrowd(String host, int port) {
    this.host = host;
    this.port = port;
  }

  void start(int readers, int stallers) {
    for (int i = 0; i < readers; i++) {
      Thread t = new Thread(this::read, "sse-reader-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
    for (int i = 0; i < stallers; i++) {
      Thread t = new Thread(this::stall, "sse-staller-" + i);
      t.setDaemon(true);
      threads.add(t);
      t.start();
    }
  }

  private void read() {
    String lastId = null;
    while (!closing) {
      boolean counted = false;
      try (Socket s = open(lastId, 0); Forget f = () -> sockets.remove(s)) {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        if (status == null || !status.contains(" 200 ")) {
          throw new IOException("answered " + status);
        }
        for (String line = in.readLine(); line != null && !closing; line = in.readLine()) {
          if (line.startsWith("id:")) {
            lastId = line.substring(3).trim();
            events.incrementAndGet();
            if (!counted) {
              counted = true;
              maxConnected.accumulateAndGet(connected.incrementAndGet(), Math::max);
            }
          }
        }
      } catch (IOException e) {
        // the dashboard is down or dropped us: connect again, as a browser does
      } finally {
        if (counted) {
          connected.decrementAndGet();
        }
      }
      if (!closing) {
        reconnects.incrementAndGet();
        pause(1000);
      }
    }
  }

  /** Connects with a tiny receive buffer, never reads, and gives up after 20 s, as a stuck tab reloaded. */
  private void stall() {
    while (!closing) {
      try (Socket s = open(null, 1024); Forget f = () -> sockets.remove(s)) {
        pause(20_000);
      } catch (IOException e) {
        // the dashboard is down
      }
      pause(1000);
    }
  }

  private Socket open(String lastEventId, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    sockets.add(s);
    s.connect(new InetSocketAddress(host, port), 5000);
    String request = "GET /events HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nAccept: text/event-stream\r\n"
        + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n";
    OutputStream out = s.getOutputStream();
    out.write(request.getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return s;
  }

  /** Drops a socket from the list {@link #close} closes, once it is closed anyway. */
  private interface Forget extends AutoCloseable {
    @Override
    void close();
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    synchronized (sockets) {
      for (Socket s : sockets) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
    for (Thread t : threads) {
      t.interrupt();
    }
    for (Thread t : threads) {
      t.join(5000);
    }
  }
}
