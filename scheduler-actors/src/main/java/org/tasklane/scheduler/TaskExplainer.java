package org.tasklane.scheduler;

import static org.tasklane.protocol.TaskState.*;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.tasklane.protocol.DashboardProtocol;
import org.tasklane.protocol.Transfer;
import org.tasklane.protocol.api.TaskExplanation;

/**
 * Explains one task from the {@link TaskTable}: its state and why, where it ran or why it is not
 * running yet, its inputs and its attempts. Reads the table and changes nothing; its work is
 * bounded by the task's inputs and the worker list, and it runs on request only (never in the
 * table's event handling).
 */
final class TaskExplainer {
  private TaskExplainer() {}

  /**
   * @param trace the stack trace the scheduler kept for it, or null
   * @param lastRun its most recent run record, or null
   */
  static TaskExplanation explain(TaskTable table, TaskRecord t, String trace, DashboardProtocol.TaskEvent lastRun) {
    List<String> reasons = new ArrayList<>();
    String summary = switch (t.state) {
      case RELEASED -> t.completed
          ? "Computed, and its result released: no dependent or client needs it any more."
          : "Not needed now: no dependent or client wants it, so it is not computed.";
      case WAITING -> waiting(table, t, reasons);
      case QUEUED -> queued(table, t, reasons);
      case PROCESSING -> processing(table, t, reasons);
      case MEMORY -> "Done: its result (" + t.nbytes + " bytes) is held by " + names(t.holders) + ".";
      case ERRED -> t.rootFailure ? "Erred: " + firstLine(t.error) : "Erred because " + t.error + ".";
      case FORGOTTEN -> "Forgotten: its graph is gone.";
    };
    attempts(table, t, reasons);
    String moves = lastMoves(table, t);
    int room = TaskExplanation.MAX_REASONS - (moves == null ? 0 : 1);
    if (reasons.size() > room) {
      int more = reasons.size() - room + 1;
      reasons.subList(room - 1, reasons.size()).clear();
      reasons.add("… and " + more + " more");
    }
    if (moves != null) {
      reasons.add(moves);
    }
    List<TaskExplanation.Input> inputs = new ArrayList<>();
    long inputBytes = 0;
    // those not in memory first: they are what it waits for
    for (int pass = 0; pass < 2; pass++) {
      for (TaskRecord d : t.deps) {
        if ((d.state == MEMORY) == (pass == 0)) {
          continue;
        }
        if (pass == 1) {
          inputBytes += d.nbytes;
        }
        if (inputs.size() < TaskExplanation.MAX_INPUTS) {
          inputs.add(new TaskExplanation.Input(d.key, d.state.jsonName(), d.state == MEMORY ? d.nbytes : 0,
              holderNames(d.holders), d.processingOn == null ? null : d.processingOn.name));
        }
      }
    }
    return new TaskExplanation(t.graph.id, t.key, t.group.name, t.fn, t.state.jsonName(), summary, reasons,
        t.processingOn == null ? null : t.processingOn.name, holderNames(t.holders), t.state == MEMORY ? t.nbytes : 0,
        inputs, t.deps.length - inputs.size(), inputBytes, t.dependents.length, t.runs, t.failedAttempts, t.retries,
        t.deaths, table.policy().allowedFailures(), t.timeoutMillis, t.graph.submittedMillis, t.error,
        t.state == ERRED ? trace : null, run(lastRun));
  }

  private static String waiting(TaskTable table, TaskRecord t, List<String> reasons) {
    List<TaskRecord> missing = new ArrayList<>();
    for (TaskRecord d : t.deps) {
      if (d.state != MEMORY) {
        missing.add(d);
      }
    }
    for (TaskRecord d : missing) {
      reasons.add("input " + d.key + " is " + d.state.jsonName() + describeWhere(d));
    }
    whoCanRun(table, t, reasons);
    if (missing.isEmpty()) {
      return "Waiting: about to be queued (every input is in memory).";
    }
    return "Waiting on " + missing.size() + " of " + t.deps.length + (t.deps.length == 1 ? " input: " : " inputs: ")
        + listKeys(missing) + ".";
  }

  private static String describeWhere(TaskRecord d) {
    if (d.state == PROCESSING && d.processingOn != null) {
      return " on " + d.processingOn.name;
    }
    if (d.state == ERRED) {
      return ": " + firstLine(d.error);
    }
    return "";
  }

  private static String queued(TaskTable table, TaskRecord t, List<String> reasons) {
    String blocked = whoCanRun(table, t, reasons);
    if (blocked != null) {
      return "Ready, but not running: " + blocked + ".";
    }
    int threads = 0;
    int assigned = 0;
    int capacity = 0;
    int paused = 0;
    int rootSlots = 0;
    for (WorkerRecord w : table.workers()) {
      if (w.retirement == null) {
        paused += w.paused ? 1 : 0;
        threads += w.nthreads;
        assigned += w.processing.size();
        capacity += table.capacity(w);
        rootSlots += table.rootSlots(w);
      }
    }
    if (paused > 0) {
      reasons.add(paused + (paused == 1 ? " worker is" : " workers are")
          + " paused (memory past the pause line) and take no new tasks");
    }
    if (table.heldBack(t)) {
      reasons.add("root queuing (tasklane.scheduler.root-queuing): a root task goes to a worker only while it has "
          + "fewer than ceil(threads x " + table.policy().workerSaturation() + ") tasks processing; " + assigned
          + " tasks are assigned, the workers' root slots are " + rootSlots + "; " + table.queuedCount()
          + " ready tasks wait on the scheduler");
      return "Queued: root tasks wait for a free thread.";
    }
    reasons.add(assigned + " tasks are assigned to the workers, whose " + threads + " threads take at most "
        + capacity + " at a time; " + table.queuedCount() + " ready tasks wait on the scheduler");
    return "Ready (every input is in memory), queued on the scheduler: no worker has a free slot.";
  }

  /**
   * Why no worker can take the task, or null if some can: none registered, all retiring, or none
   * that knows its function. Adds the details to {@code reasons}.
   */
  private static String whoCanRun(TaskTable table, TaskRecord t, List<String> reasons) {
    if (table.workers().isEmpty()) {
      reasons.add("no worker is registered: the task waits for one to join");
      return "no worker is registered";
    }
    boolean anyActive = false;
    for (WorkerRecord w : table.workers()) {
      anyActive |= w.retirement == null;
    }
    if (!anyActive) {
      reasons.add("every worker is retiring (stopping gracefully) and takes no new tasks");
      return "every worker is retiring";
    }
    boolean anyRunning = false;
    for (WorkerRecord w : table.workers()) {
      anyRunning |= w.retirement == null && !w.paused;
    }
    if (!anyRunning) {
      reasons.add("every worker that is not retiring is paused: its memory is past the pause line, and it takes "
          + "no new tasks until its memory falls");
      return "every worker is paused (memory)";
    }
    if (!knownBySome(table, t.fn)) {
      reasons.add("no worker knows function '" + t.fn + "'; the workers know: " + knownFunctions(table));
      return "no worker knows its function '" + t.fn + "'";
    }
    return null;
  }

  private static String processing(TaskTable table, TaskRecord t, List<String> reasons) {
    WorkerRecord w = t.processingOn;
    int position = 0;
    for (TaskRecord other : w.processing) {
      if (other == t) {
        break;
      }
      position++;
    }
    if (!w.functions.contains(t.fn) && !t.fn.startsWith("java:")) {
      reasons.add("worker " + w.name + " does not know function '" + t.fn + "': it will report an error");
      if (!knownBySome(table, t.fn)) {
        reasons.add("no worker knows function '" + t.fn + "'; the workers know: " + knownFunctions(table));
      }
    }
    if (w.retirement != null) {
      reasons.add("worker " + w.name + " is retiring: it finishes this task, then leaves");
    }
    if (w.paused) {
      reasons.add("its worker is paused: " + w.name + "'s memory is past the pause line; it starts no task until "
          + "its memory falls, and gets no new ones");
      return "Assigned to " + w.name + ", which is paused (memory): if it had started it goes on, else it waits there.";
    }
    // a worker runs its tasks in the order they were assigned, nthreads at a time
    if (position < w.nthreads) {
      return "Running on " + w.name + " (one of its " + w.nthreads + " threads' tasks).";
    }
    int ahead = position - w.nthreads + 1;
    return "Assigned to " + w.name + ", queued there behind " + ahead + (ahead == 1 ? " task" : " tasks")
        + " (its " + w.nthreads + (w.nthreads == 1 ? " thread is" : " threads are") + " busy).";
  }

  private static void attempts(TaskTable table, TaskRecord t, List<String> reasons) {
    if (t.failedAttempts > 0) {
      reasons.add(t.failedAttempts + " of its " + (t.retries + 1) + " allowed attempts failed"
          + (t.state == ERRED ? "" : "; it is retried"));
    }
    if (t.deaths > 0) {
      reasons.add("its worker died " + t.deaths + (t.deaths == 1 ? " time" : " times") + " while it was assigned ("
          + "it errs at " + table.policy().allowedFailures() + ")");
    }
    if (t.runs > t.failedAttempts + (t.completed ? 1 : 0)) {
      reasons.add("it was computed again after its result was lost (" + t.runs + " runs)");
    }
  }

  /** How many of a task's latest transitions the explanation lists. */
  static final int MOVES_SHOWN = 4;

  /** Its latest moves as the table's transition log kept them, or null if it kept none. */
  private static String lastMoves(TaskTable table, TaskRecord t) {
    List<TransitionLog.Entry> moves = table.transitions(t.id, MOVES_SHOWN);
    if (moves.isEmpty()) {
      return null;
    }
    StringBuilder b = new StringBuilder("its last moves: ");
    for (int i = 0; i < moves.size(); i++) {
      TransitionLog.Entry e = moves.get(i);
      b.append(i == 0 ? "" : "; ").append(e.from().jsonName()).append(" -> ").append(e.to().jsonName())
          .append(" (").append(e.cause()).append(')');
    }
    return b.toString();
  }

  private static boolean knownBySome(TaskTable table, String fn) {
    if (fn.startsWith("java:")) {
      return true; // every worker runs java: calls from the graph's jars
    }
    for (WorkerRecord w : table.workers()) {
      if (w.functions.contains(fn)) {
        return true;
      }
    }
    return false;
  }

  private static String knownFunctions(TaskTable table) {
    Set<String> known = new TreeSet<>();
    for (WorkerRecord w : table.workers()) {
      known.addAll(w.functions);
    }
    List<String> shown = new ArrayList<>();
    Iterator<String> it = known.iterator();
    while (it.hasNext() && shown.size() < 30) {
      shown.add(it.next());
    }
    return String.join(", ", shown) + (known.size() > shown.size() ? " and " + (known.size() - shown.size()) + " more" : "");
  }

  private static String listKeys(List<TaskRecord> tasks) {
    StringBuilder s = new StringBuilder();
    for (int i = 0; i < Math.min(5, tasks.size()); i++) {
      s.append(i == 0 ? "" : ", ").append(tasks.get(i).key).append(" (").append(tasks.get(i).state.jsonName())
          .append(')');
    }
    return tasks.size() > 5 ? s + " and " + (tasks.size() - 5) + " more" : s.toString();
  }

  private static String names(List<WorkerRecord> workers) {
    List<String> n = holderNames(workers);
    return n.isEmpty() ? "no worker" : String.join(", ", n)
        + (workers.size() > n.size() ? " and " + (workers.size() - n.size()) + " more" : "");
  }

  private static List<String> holderNames(List<WorkerRecord> workers) {
    List<String> out = new ArrayList<>(Math.min(workers.size(), TaskExplanation.MAX_HOLDERS));
    for (int i = 0; i < Math.min(workers.size(), TaskExplanation.MAX_HOLDERS); i++) {
      out.add(workers.get(i).name);
    }
    return out;
  }

  /** The error's first line, without the frames a worker's error text ends with ({@code " | at ..."}). */
  private static String firstLine(String text) {
    if (text == null) {
      return "(no message)";
    }
    int nl = text.indexOf('\n');
    String line = nl < 0 ? text : text.substring(0, nl);
    int frames = line.indexOf(" | at ");
    return frames < 0 ? line : line.substring(0, frames);
  }

  private static TaskExplanation.Run run(DashboardProtocol.TaskEvent e) {
    if (e == null) {
      return null;
    }
    long bytes = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (Transfer x : e.transfers()) {
      bytes += x.bytes();
      first = Math.min(first, x.startMicros());
      last = Math.max(last, x.stopMicros());
    }
    return new TaskExplanation.Run(e.worker(), e.thread(), e.startMicros() / 1000.0, e.stopMicros() / 1000.0,
        e.status(), e.transfers().size(), bytes, e.transfers().isEmpty() ? 0 : (last - first) / 1000.0);
  }
}
