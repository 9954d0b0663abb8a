package org.tasklane.dashboard.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.serialization.jackson.JacksonObjectMapperProvider;
import org.apache.pekko.stream.Materializer;
import org.tasklane.dashboard.Dashboard;
import org.tasklane.dashboard.DashboardSettings;
import org.tasklane.dashboard.UpdateHub;
import org.tasklane.protocol.DashboardProtocol;

/**
 * A real dashboard for a test: its own hub, {@link Dashboard} actor and routes, bound on
 * 127.0.0.1 at a free port. The test feeds the actor protocol messages directly.
 */
final class TestingDashboard implements AutoCloseable {
  final DashboardSettings settings;
  final Materializer materializer;
  final UpdateHub hub;
  final ActorRef<DashboardProtocol.Command> dashboard;
  final SseStats stats = new SseStats();
  final ServerBinding binding;
  final ObjectMapper mapper;
  private final ActorTestKit testKit;

  private TestingDashboard(ActorTestKit testKit, DashboardSettings settings) throws Exception {
    this(testKit, settings, AccessControl.NONE);
  }

  private TestingDashboard(ActorTestKit testKit, DashboardSettings settings, AccessControl access) throws Exception {
    this.testKit = testKit;
    this.settings = settings;
    var system = testKit.system();
    this.mapper = JacksonObjectMapperProvider.get(system).getOrCreate("jackson-json", Optional.empty());
    this.materializer = Materializer.createMaterializer(system);
    this.hub = UpdateHub.start(materializer, 1024, 256);
    this.dashboard = testKit.spawn(Dashboard.create(settings, hub, mapper));
    this.binding = Http.get(system).newServerAt("127.0.0.1", 0)
        .bind(new DashboardRoutes(system, dashboard, hub, settings, mapper, stats, access).routes())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static TestingDashboard start(ActorTestKit testKit) throws Exception {
    return new TestingDashboard(testKit, DashboardSettings.fromConfig(testKit.system().settings().config()));
  }

  static TestingDashboard start(ActorTestKit testKit, DashboardSettings settings) throws Exception {
    return new TestingDashboard(testKit, settings);
  }

  /** With authentication and CORS as {@code access} says. */
  static TestingDashboard start(ActorTestKit testKit, AccessControl access) throws Exception {
    return new TestingDashboard(testKit, DashboardSettings.fromConfig(testKit.system().settings().config()), access);
  }

  int port() {
    return binding.localAddress().getPort();
  }

  /** http://127.0.0.1:PORT/PREFIX/path */
  URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port() + settings.prefixPath() + path);
  }

  @Override
  public void close() throws Exception {
    binding.terminate(java.time.Duration.ofSeconds(2)).toCompletableFuture().get(10, TimeUnit.SECONDS);
    testKit.stop(dashboard);
    materializer.shutdown();
  }
}
