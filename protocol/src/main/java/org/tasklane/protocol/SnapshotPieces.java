package org.tasklane.protocol;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * A dashboard snapshot cut into {@link DashboardProtocol.SnapshotPiece}s for a dashboard on another
 * node, and put together again there. A snapshot holds up to 20,000 task records and every live
 * graph's groups: with long keys and errors it outgrows the scheduler's Artery frames
 * ({@code maximum-large-frame-size} in tasklane-scheduler.conf), which are kept small because Artery
 * keeps a whole frame of resident memory for every large message it encodes at once. The pieces are
 * the snapshot's bytes as Pekko serializes it (Jackson CBOR), {@link #PIECE_BYTES} at most each.
 */
public final class SnapshotPieces {
  /** The most bytes one piece carries: well under the scheduler's frames. */
  public static final int PIECE_BYTES = 1 << 20;
  /** The most pieces a dashboard puts together (a snapshot of 64 MiB); a larger one is refused. */
  public static final int MAX_PIECES = 64;

  private SnapshotPieces() {}

  /**
   * The snapshot's bytes in pieces of at most {@link #PIECE_BYTES}, for request {@code request}. A
   * snapshot over {@link #MAX_PIECES} pieces goes without the older half of its task records, as
   * often as it takes: the task stream then starts later, and everything else is there.
   */
  public static List<DashboardProtocol.SnapshotPiece> split(ActorSystem<?> system, long request,
      DashboardProtocol.Snapshot snapshot) {
    return split(system, request, snapshot, MAX_PIECES);
  }

  static List<DashboardProtocol.SnapshotPiece> split(ActorSystem<?> system, long request,
      DashboardProtocol.Snapshot snapshot, int maxPieces) {
    byte[] bytes = serialization(system).serialize(snapshot).get();
    List<DashboardProtocol.TaskEvent> tasks = snapshot.recentTasks();
    while (bytes.length > (long) maxPieces * PIECE_BYTES && !tasks.isEmpty()) {
      tasks = tasks.subList(tasks.size() / 2, tasks.size());
      bytes = serialization(system).serialize(new DashboardProtocol.Snapshot(snapshot.incarnation(), snapshot.seq(),
          snapshot.timeMillis(), snapshot.groups(), tasks, snapshot.workers(), snapshot.graphs())).get();
    }
    int count = Math.max(1, (bytes.length + PIECE_BYTES - 1) / PIECE_BYTES);
    if (count > maxPieces) {
      throw new IllegalArgumentException("the dashboard snapshot is " + (bytes.length >> 20) + " MiB without task "
          + "records, over the " + maxPieces + " MiB a dashboard takes");
    }
    List<DashboardProtocol.SnapshotPiece> pieces = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int from = i * PIECE_BYTES;
      pieces.add(new DashboardProtocol.SnapshotPiece(request, i, count,
          Arrays.copyOfRange(bytes, from, Math.min(bytes.length, from + PIECE_BYTES))));
    }
    return pieces;
  }

  private static Serialization serialization(ActorSystem<?> system) {
    return SerializationExtension.get(system.classicSystem());
  }

  /**
   * The pieces of one request, as they arrive (in order: Artery keeps the order of one sender's
   * messages to one recipient). Not thread-safe: one dashboard actor's.
   */
  public static final class Assembly {
    private final long request;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private int next;
    private int count = -1;

    public Assembly(long request) {
      this.request = request;
    }

    public long request() {
      return request;
    }

    /**
     * Takes the next piece.
     *
     * @return true once it was the last one
     * @throws IllegalArgumentException if it does not belong here (out of order, a count that
     *     changed or is out of bounds, too large)
     */
    public boolean add(DashboardProtocol.SnapshotPiece piece) {
      if (piece.request() != request) {
        throw new IllegalArgumentException("a piece of snapshot request " + piece.request() + " came for request "
            + request);
      }
      if (piece.count() < 1 || piece.count() > MAX_PIECES || (count != -1 && piece.count() != count)
          || piece.index() != next || piece.bytes().length > PIECE_BYTES) {
        throw new IllegalArgumentException("bad snapshot piece: " + piece + " when piece " + (next + 1) + " of "
            + (count == -1 ? "at most " + MAX_PIECES : count) + " was due");
      }
      count = piece.count();
      bytes.write(piece.bytes(), 0, piece.bytes().length);
      next++;
      return next == count;
    }

    /**
     * The snapshot, once every piece is in.
     *
     * @throws IllegalStateException if pieces are missing
     * @throws RuntimeException if the bytes are not a snapshot
     */
    public DashboardProtocol.Snapshot snapshot(ActorSystem<?> system) {
      if (count == -1 || next != count) {
        throw new IllegalStateException("snapshot request " + request + " has " + next + " of "
            + (count == -1 ? "?" : count) + " pieces");
      }
      return serialization(system).deserialize(bytes.toByteArray(), DashboardProtocol.Snapshot.class).get();
    }
  }
}
