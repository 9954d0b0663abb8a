package org.tasklane.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Many SSE clients of one dashboard's {@code events} stream, all on one selector thread (so that
 * hundreds of them cost the test JVM one thread, as browsers on other machines would cost it
 * nothing):
 *
 * <ul>
 *   <li>{@link Reader readers}, which read and parse every event as EventSource does and check the
 *       stream's contract (docs/dashboard.md): a snapshot first and only once, then ids one by one;
 *       they keep the group counts the events describe, and when each event arrived;
 *   <li>disconnecting clients, which read a few events and close the connection mid-stream
 *       (alternately with a TCP reset and with a normal close), then connect again, a few times;
 *   <li>stalled clients ({@link #stall}), plain sockets with a small receive buffer that send their
 *       request and never read.
 * </ul>
 *
 * <p>The readers' state is read by the test thread under this object's lock, which the selector
 * thread holds while it handles what arrived.
 */
final class SseSwarm implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  private final InetSocketAddress address;
  private final String path;
  private final Selector selector;
  private final Thread thread;
  private final ConcurrentLinkedQueue<Conn> toRegister = new ConcurrentLinkedQueue<>();
  private final Random random;
  private final List<Reader> readers = new ArrayList<>();
  private final List<Socket> stalled = new ArrayList<>();
  private final List<Conn> open = new ArrayList<>();
  /** When an event id first reached any reader (nanoTime). */
  private final Map<Long, Long> firstSeen = new HashMap<>();
  private volatile boolean closing;
  /** Latencies are recorded only while this is set (steady state, not the connection storm). */
  private volatile boolean measuring;
  private int disconnectorsActive;
  private long disconnections;
  private long resets;
  private final List<String> swarmProblems = new ArrayList<>();

  SseSwarm(String host, int port, String path, long seed) throws IOException {
    this.address = new InetSocketAddress(host, port);
    this.path = path;
    this.random = new Random(seed);
    this.selector = Selector.open();
    this.thread = new Thread(this::loop, "sse-swarm");
    thread.setDaemon(true);
    thread.start();
  }

  // ------------------------------------------------------------------ starting clients

  /** Connects {@code n} readers; {@code probes} of them also parse task events for latencies. */
  void addReaders(int n, int probes) throws IOException {
    List<Reader> fresh = new ArrayList<>(n);
    synchronized (this) { // once: the selector thread holds the lock while it parses
      for (int i = 0; i < n; i++) {
        Reader r = new Reader(readers.size(), i < probes);
        readers.add(r);
        fresh.add(r);
      }
    }
    for (Reader r : fresh) {
      connect(new Conn(r, 0, 0));
    }
  }

  /** Connects {@code n} clients that each disconnect after a few events, {@code cycles} times over. */
  void addDisconnectors(int n, int cycles) throws IOException {
    synchronized (this) {
      disconnectorsActive += n;
    }
    for (int i = 0; i < n; i++) {
      connect(new Conn(null, 1 + random.nextInt(4), cycles));
    }
  }

  /** Opens {@code n} stalled clients: request sent, a 4 KiB receive buffer, never read. */
  void stall(int n) throws IOException {
    byte[] request = request(null);
    for (int i = 0; i < n; i++) {
      Socket s = new Socket();
      s.setReceiveBufferSize(4096);
      s.connect(address, 10_000);
      s.getOutputStream().write(request);
      s.getOutputStream().flush();
      synchronized (this) {
        stalled.add(s);
      }
    }
  }

  private byte[] request(String lastEventId) {
    return ("GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
        + "\r\nAccept: text/event-stream\r\nCache-Control: no-cache\r\n"
        + (lastEventId == null ? "" : "Last-Event-ID: " + lastEventId + "\r\n") + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private void connect(Conn c) throws IOException {
    SocketChannel ch = SocketChannel.open();
    ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
    ch.connect(address); // blocking: loopback, quick
    ch.write(ByteBuffer.wrap(request(null)));
    ch.configureBlocking(false);
    c.channel = ch;
    toRegister.add(c);
    selector.wakeup();
  }

  // ------------------------------------------------------------------ the selector thread

  private void loop() {
    ByteBuffer buf = ByteBuffer.allocate(256 * 1024);
    try {
      while (!closing) {
        selector.select(200);
        for (Conn c; (c = toRegister.poll()) != null; ) {
          c.channel.register(selector, SelectionKey.OP_READ, c);
          synchronized (this) {
            open.add(c);
          }
        }
        synchronized (this) {
          for (Iterator<SelectionKey> it = selector.selectedKeys().iterator(); it.hasNext(); ) {
            SelectionKey key = it.next();
            it.remove();
            Conn c = (Conn) key.attachment();
            buf.clear();
            int n;
            try {
              n = c.channel.read(buf);
            } catch (IOException e) {
              n = -1;
            }
            if (n < 0) {
              ended(c, "the server closed the stream");
              continue;
            }
            buf.flip();
            try {
              c.feed(buf, System.nanoTime(), System.currentTimeMillis());
            } catch (RuntimeException e) {
              ended(c, "unreadable stream: " + e);
            }
            if (c.reader == null && c.closeAfter > 0 && c.events >= c.closeAfter) {
              disconnect(c);
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      synchronized (this) {
        swarmProblems.add("the swarm's selector failed: " + e);
      }
    }
  }

  /** A disconnecting client read its events: close abruptly (every other one with a reset), then again. */
  private void disconnect(Conn c) {
    try {
      if (disconnections % 2 == 0) {
        c.channel.setOption(StandardSocketOptions.SO_LINGER, 0); // close sends a RST
        resets++;
      }
      c.channel.close();
    } catch (IOException e) {
      // closed anyway
    }
    disconnections++;
    open.remove(c);
    if (c.cyclesLeft > 1 && !closing) {
      try {
        connect(new Conn(null, 1 + random.nextInt(4), c.cyclesLeft - 1));
        return;
      } catch (IOException e) {
        swarmProblems.add("a disconnecting client could not connect again: " + e);
      }
    }
    disconnectorsActive--;
  }

  private void ended(Conn c, String why) {
    try {
      c.channel.close();
    } catch (IOException e) {
      // closed anyway
    }
    open.remove(c);
    if (c.reader != null) {
      c.reader.ended = true;
      c.reader.problem("its stream ended (" + why + ") after " + c.reader.events + " events");
    } else if (!closing) {
      swarmProblems.add("a disconnecting client's stream ended before it closed it (" + why + ")");
      disconnectorsActive--;
    }
  }

  // ------------------------------------------------------------------ what the test reads

  /** From now on, record when events arrive (for {@link #taskLatenciesMillis}, {@link #fanOutSpreadMillis}). */
  void startMeasuring() {
    measuring = true;
  }

  void stopMeasuring() {
    measuring = false;
  }

  synchronized List<Reader> readers() {
    return List.copyOf(readers);
  }

  /** Disconnecting clients that have not yet done all their cycles. */
  synchronized int disconnectorsActive() {
    return disconnectorsActive;
  }

  synchronized long disconnections() {
    return disconnections;
  }

  synchronized long resets() {
    return resets;
  }

  synchronized List<String> problems() {
    List<String> out = new ArrayList<>(swarmProblems);
    for (Reader r : readers) {
      for (String p : r.problems) {
        out.add("reader " + r.index + ": " + p);
      }
    }
    return out;
  }

  /** True once every reader has had its snapshot. */
  synchronized boolean allSnapshotted() {
    return readers.stream().allMatch(r -> r.snapshots > 0);
  }

  /** Each reader's view of one group's counts: {total, memory, released, erred, processing, waiting}. */
  synchronized boolean allReadersShow(Map<String, long[]> expected) {
    for (Reader r : readers) {
      if (!sameCounts(r.groups, expected)) {
        return false;
      }
    }
    return true;
  }

  synchronized String describeReaders(Map<String, long[]> expected) {
    StringBuilder sb = new StringBuilder();
    int shown = 0;
    for (Reader r : readers) {
      if (!sameCounts(r.groups, expected) && shown++ < 5) {
        sb.append("reader ").append(r.index).append(" (").append(r.events).append(" events, last id ")
            .append(r.lastId).append(", ended ").append(r.ended).append(") shows ").append(show(r.groups)).append("; ");
      }
    }
    return sb.append("expected ").append(show(expected)).toString();
  }

  static boolean sameCounts(Map<String, long[]> a, Map<String, long[]> b) {
    if (!a.keySet().equals(b.keySet())) {
      return false;
    }
    for (Map.Entry<String, long[]> e : a.entrySet()) {
      if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static String show(Map<String, long[]> groups) {
    StringBuilder sb = new StringBuilder("{");
    groups.forEach((k, v) -> sb.append(k).append('=').append(java.util.Arrays.toString(v)).append(' '));
    return sb.append('}').toString();
  }

  /** Every reader's task-finished-to-received latencies, in ms (probe readers only). */
  synchronized List<Double> taskLatenciesMillis() {
    List<Double> out = new ArrayList<>();
    for (Reader r : readers) {
      out.addAll(r.taskLatencyMs);
    }
    return out;
  }

  /** For each event a reader got: how long after the first reader to get it, in ms. */
  synchronized List<Double> fanOutSpreadMillis() {
    List<Double> out = new ArrayList<>();
    for (Reader r : readers) {
      for (long[] seen : r.seen) {
        Long first = firstSeen.get(seen[0]);
        if (first != null) {
          out.add((seen[1] - first) / 1e6);
        }
      }
    }
    return out;
  }

  /**
   * Reads what each stalled client was sent, to its end: true for every one whose connection the
   * server closed (end of stream or reset) within the timeout.
   */
  int stalledClosedByServer(int timeoutMillis) throws IOException {
    List<Socket> all;
    synchronized (this) {
      all = List.copyOf(stalled);
    }
    int closed = 0;
    byte[] buf = new byte[64 * 1024];
    for (Socket s : all) {
      s.setSoTimeout(timeoutMillis);
      try {
        InputStream in = s.getInputStream();
        while (in.read(buf) >= 0) {
          // drain what the kernel still held
        }
        closed++;
      } catch (SocketTimeoutException e) {
        // still open
      } catch (IOException e) {
        closed++; // reset by the server
      }
    }
    return closed;
  }

  @Override
  public void close() throws InterruptedException {
    closing = true;
    selector.wakeup();
    thread.join(10_000);
    synchronized (this) {
      for (Conn c : open) {
        try {
          c.channel.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      open.clear();
      for (Conn c; (c = toRegister.poll()) != null; ) {
        try {
          c.channel.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
      for (Socket s : stalled) {
        try {
          s.close();
        } catch (IOException e) {
          // closing anyway
        }
      }
    }
    try {
      selector.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  // ------------------------------------------------------------------ one reader's view

  /** A reader's view of the stream, and what was wrong with it. Guarded by the swarm's lock. */
  static final class Reader {
    final int index;
    final boolean probe;
    final List<String> problems = new ArrayList<>();
    final Map<String, long[]> groups = new LinkedHashMap<>();
    final List<Double> taskLatencyMs = new ArrayList<>();
    /** {id, nanoTime} of each event after the snapshot. */
    final List<long[]> seen = new ArrayList<>();
    int snapshots;
    long snapshotSeq = -1;
    long lastId = -1;
    long events;
    boolean ended;

    Reader(int index, boolean probe) {
      this.index = index;
      this.probe = probe;
    }

    void problem(String p) {
      if (problems.size() < 10) {
        problems.add(p);
      }
    }
  }

  /** {total, memory, released, erred, processing, waiting} of a group JSON object. */
  static long[] counts(JsonNode g) {
    return new long[] {g.get("total").asLong(), g.get("memory").asLong(), g.get("released").asLong(),
        g.get("erred").asLong(), g.get("processing").asLong(), g.get("waiting").asLong()};
  }

  // ------------------------------------------------------------------ one connection

  /** One connection: HTTP/1.1 response headers, chunked body, SSE lines, events. */
  private final class Conn {
    final Reader reader;
    final int closeAfter;
    final int cyclesLeft;
    SocketChannel channel;
    long events;
    /** The line being read (headers, chunk sizes, SSE lines), unsynchronized and grown as needed. */
    private byte[] line = new byte[1024];
    private int lineLength;
    private boolean inBody;
    private boolean chunked;
    private long chunkLeft = -1; // -1: reading a chunk-size line
    private boolean chunkCrlf;
    private String type;
    private String id;
    private StringBuilder data;

    Conn(Reader reader, int closeAfter, int cyclesLeft) {
      this.reader = reader;
      this.closeAfter = closeAfter;
      this.cyclesLeft = cyclesLeft;
    }

    /** What arrived: whole slices of body bytes at a time (a reader takes hundreds of KiB a second). */
    void feed(ByteBuffer b, long now, long wall) {
      byte[] a = b.array();
      int i = b.arrayOffset() + b.position();
      int end = b.arrayOffset() + b.limit();
      while (i < end) {
        if (!inBody) {
          headerByte(a[i++]);
        } else if (!chunked) {
          body(a, i, end, now, wall);
          i = end;
        } else if (chunkCrlf) {
          if (a[i++] == '\n') {
            chunkCrlf = false;
          }
        } else if (chunkLeft < 0) {
          byte x = a[i++];
          if (x == '\n') {
            String size = lineText(StandardCharsets.US_ASCII).trim();
            int semi = size.indexOf(';');
            chunkLeft = Long.parseLong(semi < 0 ? size : size.substring(0, semi), 16);
            if (chunkLeft == 0) {
              throw new IllegalStateException("the last chunk: the response ended");
            }
          } else {
            append(a, i - 1, i);
          }
        } else {
          int n = (int) Math.min(chunkLeft, end - i);
          body(a, i, i + n, now, wall);
          i += n;
          chunkLeft -= n;
          if (chunkLeft == 0) {
            chunkLeft = -1;
            chunkCrlf = true;
          }
        }
      }
    }

    private void append(byte[] a, int from, int to) {
      int n = to - from;
      if (lineLength + n > line.length) {
        line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, lineLength + n));
      }
      System.arraycopy(a, from, line, lineLength, n);
      lineLength += n;
    }

    /** The line read so far, as text; the line is then empty again. */
    private String lineText(java.nio.charset.Charset charset) {
      String text = new String(line, 0, lineLength, charset);
      lineLength = 0;
      return text;
    }

    private void headerByte(byte x) {
      if (x != '\n') {
        if (x != '\r') {
          append(new byte[] {x}, 0, 1);
        }
        return;
      }
      String h = lineText(StandardCharsets.US_ASCII);
      if (type == null) {
        if (!h.startsWith("HTTP/1.1 200")) {
          throw new IllegalStateException("answered " + h);
        }
        type = "";
      } else if (h.isEmpty()) {
        inBody = true;
        type = null;
      } else if (h.toLowerCase(java.util.Locale.ROOT).startsWith("transfer-encoding:") && h.contains("chunked")) {
        chunked = true;
      }
    }

    /** Body bytes {@code a[from, to)}: split into lines. */
    private void body(byte[] a, int from, int to, long now, long wall) {
      int start = from;
      for (int i = from; i < to; i++) {
        if (a[i] == '\n') {
          append(a, start, i);
          line(now, wall);
          start = i + 1;
        }
      }
      append(a, start, to);
    }

    private boolean lineStartsWith(String prefix) {
      if (lineLength < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (line[i] != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    /** One SSE line (in {@link #line}). Data nobody reads is not decoded. */
    private void line(long now, long wall) {
      if (lineLength == 0) {
        if (type != null || data != null || id != null) {
          dispatch(type == null ? "message" : type, id, data == null ? null : data.toString(), now, wall);
        }
        type = null;
        id = null;
        data = null;
        return;
      }
      if (line[0] == ':' || (lineStartsWith("data:") && !wanted(type))) {
        lineLength = 0; // a comment, or data this client does not parse
        return;
      }
      String l = lineText(StandardCharsets.UTF_8);
      int colon = l.indexOf(':');
      String field = colon < 0 ? l : l.substring(0, colon);
      String value = colon < 0 ? "" : l.substring(colon + 1);
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

    /** Whether this client parses the data of events of this type (the server sends the type first). */
    private boolean wanted(String eventType) {
      if (reader == null) {
        return false;
      }
      return "snapshot".equals(eventType) || "progress".equals(eventType) || (reader.probe && "tasks".equals(eventType));
    }

    private void dispatch(String event, String idText, String json, long now, long wall) {
      events++;
      if (reader == null) {
        return;
      }
      Reader r = reader;
      r.events++;
      long eventId;
      try {
        eventId = Long.parseLong(idText);
      } catch (NumberFormatException e) {
        r.problem("event " + event + " without a numeric id: " + idText);
        return;
      }
      try {
        if (event.equals("snapshot")) {
          r.snapshots++;
          if (r.snapshots > 1) {
            r.problem("a second snapshot on one connection (id " + eventId + ")");
          }
          if (r.events != 1) {
            r.problem("the snapshot was not the first event");
          }
          JsonNode s = JSON.readTree(json);
          r.snapshotSeq = s.get("seq").asLong();
          r.lastId = eventId;
          r.groups.clear();
          for (JsonNode g : s.get("groups")) {
            r.groups.put(g.get("name").asText(), counts(g));
          }
          return;
        }
        if (r.snapshots == 0) {
          r.problem("event " + event + " before the snapshot");
          return;
        }
        if (eventId <= r.snapshotSeq) {
          return; // in the snapshot already (the contract allows them; the server does not send them)
        }
        if (eventId != r.lastId + 1) {
          r.problem("ids not one by one: " + r.lastId + " then " + eventId);
        }
        r.lastId = eventId;
        if (measuring) {
          r.seen.add(new long[] {eventId, now});
          firstSeen.putIfAbsent(eventId, now);
        }
        switch (event) {
          case "progress" -> {
            JsonNode p = JSON.readTree(json);
            for (JsonNode g : p.get("groups")) {
              r.groups.put(g.get("name").asText(), counts(g));
            }
            for (JsonNode name : p.get("removed")) {
              r.groups.remove(name.asText());
            }
          }
          case "tasks" -> {
            if (r.probe && measuring) {
              for (JsonNode t : JSON.readTree(json).get("tasks")) {
                r.taskLatencyMs.add(wall - t.get("stop").asDouble());
              }
            }
          }
          default -> { }
        }
      } catch (IOException e) {
        r.problem("event " + event + " " + eventId + " is not JSON: " + e.getMessage());
      }
    }
  }
}
