package org.tasklane.dashboard;

import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.tasklane.dashboard.profile.ProfileStore;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Topics;

/**
 * The profile page's data: subscribes to the workers' profiles ({@link Topics#WORKER_PROFILES}),
 * merges them into a {@link ProfileStore}, and answers the page's queries. A child of the
 * {@link Dashboard}, which forwards {@link GetProfile} to it; its own actor so that merging and
 * querying trees never delays the live pages' updates.
 */
public final class ProfileView extends AbstractBehavior<DashboardProtocol.Command> {

  /** Asked by the routes. */
  public record GetProfile(ProfileStore.Query query, ActorRef<ProfileReply> replyTo)
      implements DashboardProtocol.Command, NoSerializationVerificationNeeded {}

  public record ProfileReply(ProfileStore.Answer answer) implements NoSerializationVerificationNeeded {}

  private final ProfileStore store = new ProfileStore();
  private final org.apache.pekko.serialization.Serialization serialization;
  private long refusedLogged;

  public static Behavior<DashboardProtocol.Command> create() {
    return Behaviors.setup(ProfileView::new);
  }

  private ProfileView(ActorContext<DashboardProtocol.Command> context) {
    super(context);
    this.serialization = org.apache.pekko.serialization.SerializationExtension.get(context.getSystem().classicSystem());
    ActorRef<Topic.Command<DashboardProtocol.WorkerProfile>> topic = context.spawn(
        Topic.create(DashboardProtocol.WorkerProfile.class, Topics.WORKER_PROFILES), "worker-profiles");
    topic.tell(Topic.subscribe(context.getSelf().<DashboardProtocol.WorkerProfile>narrow()));
  }

  @Override
  public Receive<DashboardProtocol.Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(DashboardProtocol.WorkerProfile.class, this::onWorkerProfile)
        .onMessage(GetProfile.class, this::onGetProfile)
        .build();
  }

  private Behavior<DashboardProtocol.Command> onWorkerProfile(DashboardProtocol.WorkerProfile p) {
    store.add(p, System.currentTimeMillis());
    // its size as CBOR, as it crossed the wire (once per worker per ~2 s: cheap enough to measure)
    try {
      store.countReceived(serialization.serialize(p).get().length);
    } catch (RuntimeException e) {
      store.countReceived(0);
    }
    if (store.refused() > refusedLogged) {
      refusedLogged = store.refused();
      getContext().getLog().warn("A profile from worker {} had a malformed tree; dropped it ({} so far)",
          p.worker(), refusedLogged);
    }
    return this;
  }

  private Behavior<DashboardProtocol.Command> onGetProfile(GetProfile m) {
    m.replyTo().tell(new ProfileReply(store.query(m.query(), System.currentTimeMillis())));
    return this;
  }
}
