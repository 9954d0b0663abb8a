package org.tasklane.system.browser;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A port forward on loopback, like {@code ssh -L FWD:127.0.0.1:TARGET}: every connection to
 * {@link #port()} is piped both ways to the target port. Lets a test load the dashboard through a
 * port it was not started on. Closing it closes every connection.
 */
final class TcpForwarder implements AutoCloseable {
  private final ServerSocket server;
  private final int target;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  TcpForwarder(int target) throws IOException {
    this.target = target;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.acceptor = new Thread(this::acceptLoop, "forward-accept-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket in = server.accept();
        Socket out = new Socket();
        sockets.add(in);
        sockets.add(out);
        try {
          out.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), target), 5000);
        } catch (IOException e) {
          closeQuietly(in);
          closeQuietly(out);
          continue;
        }
        pipe(in, out, "up");
        pipe(out, in, "down");
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void pipe(Socket from, Socket to, String direction) {
    Thread t = new Thread(() -> {
      byte[] buf = new byte[16 * 1024];
      try {
        InputStream is = from.getInputStream();
        OutputStream os = to.getOutputStream();
        int n;
        while ((n = is.read(buf)) >= 0) {
          os.write(buf, 0, n);
          os.flush();
        }
      } catch (IOException e) {
        // one side went away
      } finally {
        // HTTP clients and servers do not half-close: the end of one direction ends both
        closeQuietly(from);
        closeQuietly(to);
        sockets.remove(from);
        sockets.remove(to);
      }
    }, "forward-" + direction + "-" + from.getPort());
    t.setDaemon(true);
    t.start();
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // closing anyway
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    try {
      acceptor.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
