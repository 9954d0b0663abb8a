package org.tasklane.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.api.GroupProgress;

class SnapshotPiecesTest {
  static final ActorTestKit testKit = ActorTestKit.create();

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  /** {@code n} task records with keys of {@code keyChars} characters (and a quote and markup in each). */
  static DashboardProtocol.Snapshot snapshot(int n, int keyChars) {
    List<DashboardProtocol.TaskEvent> tasks = new ArrayList<>(n);
    for (long id = 1; id <= n; id++) {
      String key = ("<b>\"ü" + "x".repeat(keyChars)).substring(0, keyChars - 8) + String.format("-%07d", id);
      tasks.add(new DashboardProtocol.TaskEvent(id, key, "x", "g-1", "worker-1", "exec-0", id, id + 10, "memory", 8,
          null, List.of(), List.of(id - 1)));
    }
    return new DashboardProtocol.Snapshot("inc-1", 42, 1_700_000_000_000L,
        List.of(new GroupProgress("x", n, n, 0, 0, 0, 0)), tasks, List.of(), List.of());
  }

  static DashboardProtocol.Snapshot assemble(long request, List<DashboardProtocol.SnapshotPiece> pieces) {
    SnapshotPieces.Assembly assembly = new SnapshotPieces.Assembly(request);
    for (int i = 0; i < pieces.size(); i++) {
      assertEquals(i == pieces.size() - 1, assembly.add(pieces.get(i)), "complete after the last piece only");
    }
    return assembly.snapshot(testKit.system());
  }

  @Test
  void aSmallSnapshotIsOnePieceAndComesBackEqual() {
    DashboardProtocol.Snapshot s = snapshot(3, 20);
    List<DashboardProtocol.SnapshotPiece> pieces = SnapshotPieces.split(testKit.system(), 7, s);
    assertEquals(1, pieces.size());
    assertEquals(7, pieces.get(0).request());
    assertEquals(s, assemble(7, pieces));
  }

  @Test
  void aLargeSnapshotGoesInPiecesOfAtMostAMebibyte() {
    DashboardProtocol.Snapshot s = snapshot(20_000, 200); // ~4 MiB
    List<DashboardProtocol.SnapshotPiece> pieces = SnapshotPieces.split(testKit.system(), 1, s);
    assertTrue(pieces.size() >= 4, pieces.toString());
    for (int i = 0; i < pieces.size(); i++) {
      DashboardProtocol.SnapshotPiece p = pieces.get(i);
      assertEquals(i, p.index());
      assertEquals(pieces.size(), p.count());
      assertTrue(p.bytes().length <= SnapshotPieces.PIECE_BYTES);
      assertEquals(i < pieces.size() - 1, p.bytes().length == SnapshotPieces.PIECE_BYTES, "only the last is short");
    }
    assertEquals(s, assemble(1, pieces));
  }

  @Test
  void aSnapshotOverTheLimitGoesWithoutItsOlderTaskRecords() {
    DashboardProtocol.Snapshot s = snapshot(12_000, 200); // ~2.5 MiB: over a limit of 1 piece
    List<DashboardProtocol.SnapshotPiece> pieces = SnapshotPieces.split(testKit.system(), 1, s, 1);
    assertEquals(1, pieces.size());
    DashboardProtocol.Snapshot back = assemble(1, pieces);
    assertTrue(back.recentTasks().size() < 12_000 && back.recentTasks().size() >= 1_500,
        back.recentTasks().size() + " task records");
    assertEquals(s.recentTasks().subList(12_000 - back.recentTasks().size(), 12_000), back.recentTasks(),
        "the newest are kept");
    assertEquals(s.groups(), back.groups());
    assertEquals(s.seq(), back.seq());
  }

  @Test
  void piecesOutOfOrderOrOfAnotherRequestAreRefused() {
    List<DashboardProtocol.SnapshotPiece> pieces = SnapshotPieces.split(testKit.system(), 5, snapshot(12_000, 200));
    assertTrue(pieces.size() >= 2);

    SnapshotPieces.Assembly skipped = new SnapshotPieces.Assembly(5);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> skipped.add(pieces.get(1)));
    assertTrue(e.getMessage().contains("when piece 1 of"), e.getMessage());

    SnapshotPieces.Assembly other = new SnapshotPieces.Assembly(6);
    assertThrows(IllegalArgumentException.class, () -> other.add(pieces.get(0)));

    SnapshotPieces.Assembly recounted = new SnapshotPieces.Assembly(5);
    assertFalse(recounted.add(pieces.get(0)));
    DashboardProtocol.SnapshotPiece p = pieces.get(1);
    assertThrows(IllegalArgumentException.class,
        () -> recounted.add(new DashboardProtocol.SnapshotPiece(5, 1, p.count() + 1, p.bytes())));
    assertThrows(IllegalArgumentException.class,
        () -> new SnapshotPieces.Assembly(5).add(new DashboardProtocol.SnapshotPiece(5, 0, SnapshotPieces.MAX_PIECES + 1,
            new byte[1])));
    IllegalStateException missing = assertThrows(IllegalStateException.class, () -> recounted.snapshot(testKit.system()));
    assertTrue(missing.getMessage().contains("has 1 of " + pieces.size() + " pieces"), missing.getMessage());
  }
}
