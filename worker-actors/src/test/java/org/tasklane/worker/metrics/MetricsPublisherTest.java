package org.tasklane.worker.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.tasklane.protocol.DashboardProtocol;

/** A JVM's workers' figures leave in one batch per interval, the latest of each, bounded per message. */
class MetricsPublisherTest {
  static final ActorTestKit testKit = ActorTestKit.create("MetricsPublisherTest",
      ConfigFactory.parseResources("application-test.conf").withFallback(ConfigFactory.load()).resolve());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  static DashboardProtocol.WorkerMetrics figures(String worker, long seq) {
    return new DashboardProtocol.WorkerMetrics(worker, "inc", seq, 0, "h", "h:1", 1,
        DashboardProtocol.WorkerFigures.NONE);
  }

  @Test
  void theLatestFiguresOfEachWorkerGoInOneBatchAndNothingGoesWhenNothingCame() {
    TestProbe<DashboardProtocol.WorkerMetricsBatch> out = testKit.createTestProbe();
    ActorRef<MetricsPublisher.Command> publisher =
        testKit.spawn(MetricsPublisher.create(out.ref()::tell, Duration.ofMillis(300)));
    publisher.tell(new MetricsPublisher.Figures(figures("w-1", 1)));
    publisher.tell(new MetricsPublisher.Figures(figures("w-2", 1)));
    publisher.tell(new MetricsPublisher.Figures(figures("w-1", 2))); // replaces w-1's first
    DashboardProtocol.WorkerMetricsBatch batch = out.expectMessageClass(DashboardProtocol.WorkerMetricsBatch.class,
        Duration.ofSeconds(5));
    assertEquals(List.of("w-1:2", "w-2:1"), batch.workers().stream().map(m -> m.worker() + ":" + m.seq()).toList());
    out.expectNoMessage(Duration.ofMillis(700)); // no new figures: no message
    testKit.stop(publisher);
  }

  @Test
  void twoHundredFiftyWorkersMakeThreeBatchesOfAtMostAHundred() {
    List<DashboardProtocol.WorkerMetrics> all = new ArrayList<>();
    for (int i = 1; i <= 250; i++) {
      all.add(figures("w-" + i, 1));
    }
    List<DashboardProtocol.WorkerMetricsBatch> batches = MetricsPublisher.batches(all);
    assertEquals(List.of(100, 100, 50), batches.stream().map(b -> b.workers().size()).toList());
    assertEquals(List.of(), MetricsPublisher.batches(List.of()));
  }
}
