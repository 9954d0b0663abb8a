package org.tasklane.worker.code;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.tasklane.protocol.CodeProtocol;

/**
 * Fetches jars from the scheduler node's code server over Artery, one chunk per ask (the answer
 * goes to a temporary actor, whose path is on Artery's large-message lane), and writes each chunk
 * on a blocking executor. The code server's ref comes with the scheduler's
 * {@link org.tasklane.protocol.WorkerProtocol.RegisterWith}.
 */
final class SchedulerJarSource implements JarSource {
  private final ActorSystem<?> system;
  private final Executor blocking;
  private final Duration askTimeout;
  private volatile ActorRef<CodeProtocol.Command> server;

  SchedulerJarSource(ActorSystem<?> system, Executor blocking, Duration askTimeout) {
    this.system = system;
    this.blocking = blocking;
    this.askTimeout = askTimeout;
  }

  /** The code server of the scheduler this worker registered with (null: none). */
  void useServer(ActorRef<CodeProtocol.Command> server) {
    this.server = server;
  }

  @Override
  public CompletionStage<Void> download(String sha256, Path target) {
    ActorRef<CodeProtocol.Command> s = server;
    if (s == null) {
      return CompletableFuture.failedFuture(new IOException("this worker knows no code server to fetch jar " + sha256
          + " from (its scheduler serves no jars, or it has not registered yet)"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    CompletableFuture.runAsync(() -> {
      try {
        FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        done.whenComplete((v, e) -> {
          try {
            out.close();
          } catch (IOException ignored) {
            // the caller deletes the file if the download failed
          }
        });
        fetch(s, sha256, 0, out, done);
      } catch (IOException e) {
        done.completeExceptionally(e);
      }
    }, blocking);
    return done;
  }

  private void fetch(ActorRef<CodeProtocol.Command> s, String sha, long offset, FileChannel out,
      CompletableFuture<Void> done) {
    AskPattern.<CodeProtocol.Command, CodeProtocol.CodeChunk>ask(
            s, replyTo -> new CodeProtocol.FetchCode(sha, offset, replyTo), askTimeout, system.scheduler())
        .whenCompleteAsync((chunk, failure) -> {
          try {
            if (failure != null) {
              throw new IOException(failure instanceof TimeoutException
                  || failure.getCause() instanceof TimeoutException
                  ? "the scheduler did not answer a fetch of jar " + sha + " in " + askTimeout.toSeconds() + " s"
                  : "fetching jar " + sha + " from the scheduler failed: " + failure);
            }
            if (chunk.error() != null) {
              throw new IOException(chunk.error());
            }
            byte[] bytes = chunk.bytes();
            long next = offset + bytes.length;
            if (chunk.offset() != offset || chunk.total() < 0 || next > chunk.total()
                || (bytes.length == 0 && next < chunk.total())) {
              throw new IOException("the scheduler sent a bad piece of jar " + sha + ": " + chunk + " when asked for "
                  + "offset " + offset);
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
              out.write(buffer, offset + buffer.position());
            }
            if (next == chunk.total()) {
              done.complete(null);
            } else {
              fetch(s, sha, next, out, done);
            }
          } catch (IOException | RuntimeException e) {
            done.completeExceptionally(e);
          }
        }, blocking);
  }
}
