package org.tasklane.protocol;

import java.util.Arrays;
import java.util.Objects;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Messages of the code server, the actor on the scheduler node that serves uploaded jars to workers
 * over Artery (workers do not hold the client API's token, so they never fetch over HTTP). A worker
 * learns the server's ref from {@link WorkerProtocol.RegisterWith#code} and reads a jar chunk by
 * chunk: {@link FetchCode} at offset 0, then at each next offset until it has {@code total} bytes.
 */
public interface CodeProtocol {

  /** Messages to the code server. */
  interface Command extends CborSerializable {}

  /** The most bytes one {@link CodeChunk} carries (it travels on Artery's large-message lane). */
  int MAX_CHUNK_BYTES = 1 << 20;

  /** Send me up to {@link #MAX_CHUNK_BYTES} bytes of jar {@code sha256}, from {@code offset} on. */
  record FetchCode(String sha256, long offset, ActorRef<CodeChunk> replyTo) implements Command {}

  /**
   * A piece of a jar, or why there is none.
   *
   * @param sha256 the jar's digest
   * @param offset where {@code bytes} start in the jar
   * @param total the jar's size in bytes
   * @param bytes the bytes from {@code offset} on (empty when {@code error} is set or at the end)
   * @param error null, or one line saying why the jar cannot be sent (the scheduler does not hold it)
   */
  record CodeChunk(String sha256, long offset, long total, byte[] bytes, String error) implements CborSerializable {
    public CodeChunk {
      bytes = bytes == null ? new byte[0] : bytes;
    }

    /** A refusal: no bytes, and why. */
    public static CodeChunk failed(String sha256, long offset, String error) {
      return new CodeChunk(sha256, offset, -1, new byte[0], error);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CodeChunk c && c.offset == offset && c.total == total && Objects.equals(c.sha256, sha256)
          && Arrays.equals(c.bytes, bytes) && Objects.equals(c.error, error);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sha256, offset, total, Arrays.hashCode(bytes), error);
    }

    @Override
    public String toString() {
      return "CodeChunk(" + sha256 + " @" + offset + "/" + total + ", " + bytes.length + " bytes"
          + (error == null ? "" : ", " + error) + ")";
    }
  }
}
