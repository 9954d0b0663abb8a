package org.tasklane.dashboard.health;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.apache.pekko.actor.AbstractExtensionId;
import org.apache.pekko.actor.ClassicActorSystemProvider;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.Extension;
import org.apache.pekko.actor.ExtensionIdProvider;

/**
 * Whether this node's dashboard follows the scheduler: the state the {@link org.tasklane.dashboard.Dashboard}
 * sets (it holds a snapshot and the scheduler is reachable) and {@link DashboardReadyCheck} reads.
 *
 * <p>Ready once a first snapshot came; not ready once the dashboard has been cut off from the
 * scheduler (unreachable, gone, or not answering for a snapshot) for longer than
 * {@code tasklane.dashboard.health.cut-off-after}, since until then it still shows fresh data.
 * The failure detector's own pause (6 s) comes before the dashboard hears of it.
 */
public final class DashboardReadiness implements Extension {
  private final long cutOffAfterNanos;
  private final LongSupplier nanoTime;
  private volatile boolean following;
  /** System.nanoTime() when it stopped following; meaningful only while !following. */
  private volatile long lostAt;
  private volatile boolean everFollowed;
  private volatile String lostWhy = "no snapshot from the scheduler yet";

  /** The extension's id: {@code DashboardReadiness.ID.get(system)} or {@link #get}. */
  public static final Id ID = new Id();

  /** Looks the extension up (creating it once per actor system). */
  public static final class Id extends AbstractExtensionId<DashboardReadiness> implements ExtensionIdProvider {
    private Id() {}

    @Override
    public DashboardReadiness createExtension(ExtendedActorSystem system) {
      return new DashboardReadiness(
          system.settings().config().getDuration("tasklane.dashboard.health.cut-off-after"), System::nanoTime);
    }

    @Override
    public Id lookup() {
      return ID;
    }
  }

  public static DashboardReadiness get(ClassicActorSystemProvider system) {
    return ID.get(system);
  }

  /** @param nanoTime the clock (tests pass their own) */
  public DashboardReadiness(Duration cutOffAfter, LongSupplier nanoTime) {
    this.cutOffAfterNanos = cutOffAfter.toNanos();
    this.nanoTime = nanoTime;
  }

  /** A snapshot came from the reachable scheduler. */
  public void following() {
    everFollowed = true;
    following = true;
  }

  /** Cut off from the scheduler, for this reason. */
  public void cutOff(String why) {
    if (following) {
      lostAt = nanoTime.getAsLong();
    }
    following = false;
    lostWhy = why;
  }

  /** Why the dashboard is not ready, or null if it is. */
  public String notReadyBecause() {
    if (following) {
      return null;
    }
    if (!everFollowed) {
      return lostWhy;
    }
    long cutOffFor = nanoTime.getAsLong() - lostAt;
    return cutOffFor <= cutOffAfterNanos ? null
        : lostWhy + " (for " + Duration.ofNanos(cutOffFor).toSeconds() + " s)";
  }
}
