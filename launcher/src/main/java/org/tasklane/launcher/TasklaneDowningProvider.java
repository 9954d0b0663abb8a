package org.tasklane.launcher;

import com.typesafe.config.Config;
import java.time.Duration;
import org.apache.pekko.actor.ActorSystem;
import org.apache.pekko.actor.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.cluster.Cluster;
import org.apache.pekko.cluster.DowningProvider;
import scala.Option;
import scala.concurrent.duration.FiniteDuration;

/**
 * Tasklane's downing: the scheduler downs the members that stay unreachable, and nothing downs the
 * scheduler (see {@link DowningDecision}). Set on every node by {@code tasklane-node.conf}:
 * {@code pekko.cluster.downing-provider-class = "org.tasklane.launcher.TasklaneDowningProvider"},
 * with its settings in {@code tasklane.downing}.
 */
public final class TasklaneDowningProvider extends DowningProvider {
  private final ActorSystem system;

  /** Pekko makes it, with the node's actor system. */
  public TasklaneDowningProvider(ActorSystem system) {
    this.system = system;
  }

  /**
   * Pekko's own {@code down-removal-margin} (off by default): it only delays the hand-over of
   * singletons, and the one singleton lives on the scheduler, which nothing downs.
   */
  @Override
  public FiniteDuration downRemovalMargin() {
    return Cluster.get(system).settings().DownRemovalMargin();
  }

  @Override
  public Option<Props> downingActorProps() {
    Config c = system.settings().config().getConfig("tasklane.downing");
    Duration stableAfter = c.getDuration("stable-after");
    String schedulerRole = c.getString("scheduler-role");
    return Option.apply(Adapter.props(() -> Downing.create(stableAfter, schedulerRole)));
  }
}
