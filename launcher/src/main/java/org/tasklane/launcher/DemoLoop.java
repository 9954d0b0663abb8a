package org.tasklane.launcher;

import java.time.Duration;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.client.TasklaneException;
import org.tasklane.protocol.api.GraphStatus;

/** Submits the mixed demo graph again and again, so that a local cluster always has work. */
final class DemoLoop implements Runnable {
  private final TasklaneClient client;

  DemoLoop(TasklaneClient client) {
    this.client = client;
  }

  @Override
  public void run() {
    for (int round = 1; !Thread.currentThread().isInterrupted(); round++) {
      try {
        String id = client.submit(DemoGraphs.mixed(round));
        GraphStatus s = client.awaitDone(id, Duration.ofMinutes(5));
        System.err.printf("demo: round %d %s: %d tasks done, %d erred (on purpose)%n",
            round, s.state(), s.done(), s.erred());
        client.forget(id);
      } catch (TasklaneException e) {
        System.err.println("demo: " + e.getMessage() + "; trying again in 2 s");
        try {
          Thread.sleep(2000);
        } catch (InterruptedException ie) {
          return;
        }
      }
    }
  }
}
