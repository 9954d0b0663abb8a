package org.tasklane.dashboard.http;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.tasklane.protocol.WorkerProtocol;

/**
 * A stand-in for a worker up close: registers as a worker and answers the dashboard's questions
 * with fixed data (HTML-like text included); its second and later dumps are refused as a worker's
 * rate limit refuses them. Counts the log requests it got.
 */
final class FakeWorker {
  final AtomicInteger logRequests = new AtomicInteger();
  private final AtomicInteger dumps = new AtomicInteger();
  private final String name;

  FakeWorker(String name) {
    this.name = name;
  }

  Behavior<WorkerProtocol.Command> behavior() {
    return Behaviors.setup(context -> {
      context.getSystem().receptionist().tell(Receptionist.register(WorkerProtocol.SERVICE_KEY, context.getSelf()));
      return Behaviors.receive(WorkerProtocol.Command.class)
          .onMessage(WorkerProtocol.GetRunningTasks.class, m -> {
            m.replyTo().tell(new WorkerProtocol.RunningTasks(name, 1_700_000_002_000L, 3,
                List.of(new WorkerProtocol.RunningTask(12, "<b>nap-1</b>", "exec-0", 1_700_000_000_500_250L))));
            return Behaviors.same();
          })
          .onMessage(WorkerProtocol.GetLogs.class, m -> {
            logRequests.incrementAndGet();
            m.replyTo().tell(new WorkerProtocol.Logs(name, List.of(
                new WorkerProtocol.LogLine(8, 1_700_000_000_000L, "INFO", "org.tasklane.worker.Worker", "main", null,
                    "Worker started"),
                new WorkerProtocol.LogLine(9, 1_700_000_001_000L, "WARN", "user.Task", "exec-0", "nap-1",
                    "<img src=x onerror=alert(1)>")).stream().filter(l -> l.seq() > m.afterSeq()).limit(m.maxLines()).toList(),
                7, 9));
            return Behaviors.same();
          })
          .onMessage(WorkerProtocol.GetThreadDump.class, m -> {
            if (dumps.incrementAndGet() > 1) {
              m.replyTo().tell(new WorkerProtocol.Refused(
                  "worker " + name + " takes one thread dump per 5 s; try again in 4.2 s", 4200));
            } else {
              m.replyTo().tell(new WorkerProtocol.ThreadDump(name, 1_700_000_002_000L, List.of(
                  new WorkerProtocol.ThreadStack("exec-0", 31, "TIMED_WAITING", null, "nap-1", 1_700_000_000_000_000L,
                      List.of("java.base/java.lang.Thread.sleep(Native Method)",
                          "org.tasklane.worker.builtin.Sleep.call(Sleep.java:21)"), 9)), 40, false));
            }
            return Behaviors.same();
          })
          .build();
    });
  }
}
