package org.tasklane.scheduler.code;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.tasklane.protocol.CodeProtocol;

/**
 * The code server: serves the {@link CodeStore}'s jars to workers over Artery, a chunk of at most
 * {@link CodeProtocol#MAX_CHUNK_BYTES} per {@link CodeProtocol.FetchCode}, and deletes the jars
 * whose grace period is over. It reads files in its handlers, so spawn it on a blocking dispatcher
 * ({@link #DISPATCHER}), never on the default one. Spawned by the scheduler node's guardian as
 * {@code "code"}; the scheduler hands its ref to every worker it registers.
 */
public final class CodeServer {
  private CodeServer() {}

  /** Where the code server runs: Pekko's dispatcher for blocking I/O. */
  public static final DispatcherSelector DISPATCHER = DispatcherSelector.blocking();

  /** Time to delete the jars no graph has held for the grace period. */
  private enum Sweep implements CodeProtocol.Command, NoSerializationVerificationNeeded {
    INSTANCE
  }

  /** How often the store is swept: a few times per grace period, between 1 s and 30 s. */
  static Duration sweepInterval(Duration unusedRetention) {
    Duration d = unusedRetention.dividedBy(4);
    if (d.compareTo(Duration.ofSeconds(1)) < 0) {
      return Duration.ofSeconds(1);
    }
    return d.compareTo(Duration.ofSeconds(30)) > 0 ? Duration.ofSeconds(30) : d;
  }

  public static Behavior<CodeProtocol.Command> create(CodeStore store, Duration unusedRetention) {
    return Behaviors.setup(context -> Behaviors.withTimers(timers -> {
      context.setLoggerName(CodeServer.class);
      timers.startTimerWithFixedDelay(Sweep.INSTANCE, sweepInterval(unusedRetention));
      return Behaviors.receive(CodeProtocol.Command.class)
          .onMessage(CodeProtocol.FetchCode.class, m -> {
            CodeStore.Chunk c = store.read(m.sha256(), m.offset(), CodeProtocol.MAX_CHUNK_BYTES);
            if (c.error() != null) {
              context.getLog().info("A worker asked for jar {}: {}", m.sha256(), c.error());
            }
            m.replyTo().tell(new CodeProtocol.CodeChunk(m.sha256(), m.offset(), c.total(), c.bytes(), c.error()));
            return Behaviors.same();
          })
          .onMessageEquals(Sweep.INSTANCE, () -> {
            try {
              List<String> gone = store.sweep();
              if (!gone.isEmpty()) {
                context.getLog().info("Deleted {} jars no graph held for {} s: {}", gone.size(),
                    unusedRetention.toSeconds(), gone);
              }
            } catch (IOException e) {
              context.getLog().warn("Could not delete unused jars from {}: {}", store.dir(), e.toString());
            }
            return Behaviors.same();
          })
          .build();
    }));
  }
}
