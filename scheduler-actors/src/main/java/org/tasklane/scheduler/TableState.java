package org.tasklane.scheduler;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.tasklane.protocol.WorkerProtocol;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Everything one {@link TaskTable} holds, shared by the parts that act on it ({@link TaskMoves},
 * {@link ReportIntake}, {@link RetirementPlanner}) and read by {@link TableValidator}. It decides
 * nothing itself.
 */
final class TableState {
  final TablePolicy policy;
  final TableSettings settings;
  final Map<String, GraphRecord> graphs = new LinkedHashMap<>();
  /** The held tasks by id. */
  final TaskIndex tasks = new TaskIndex();
  final Map<String, WorkerRecord> workers = new LinkedHashMap<>();
  /** The workers that came with a contact, by their actor (for the actor's look-ups). */
  final Map<ActorRef<WorkerProtocol.Command>, WorkerRecord> workersByRef = new HashMap<>();
  /** Ready tasks waiting for a worker slot; entries whose task is no longer QUEUED are skipped. */
  final ArrayDeque<TaskRecord> ready = new ArrayDeque<>();
  /** Root tasks held back by root queuing until a worker has a root slot ({@link Placement#heldBack}). */
  final ArrayDeque<TaskRecord> rootQueue = new ArrayDeque<>();
  /** Workers retiring and not yet finished, in join order: the only ones the end of an event looks at. */
  final Set<WorkerRecord> retiring = new java.util.TreeSet<>(java.util.Comparator.comparingLong(w -> w.joinOrder));
  /** Changes when a worker's figures change (processing, held results, latency): dashboards read it. */
  long workerFiguresVersion;
  /** Changes when a worker joins, leaves, retires, pauses or resumes. */
  long workerSetVersion;
  /** Tasks whose need for computation or memory must be looked at again (see {@code settle}). */
  final ArrayDeque<TaskRecord> recheck = new ArrayDeque<>();
  /** Dependents to err because a dependency failed. */
  final ArrayDeque<TaskRecord> toErr = new ArrayDeque<>();
  final GroupBoard groups = new GroupBoard();
  final TransitionLog log;
  final Placement placement;
  TaskObserver observer = TaskObserver.NONE;
  /** What the event being handled brought about (for the transition log). */
  String cause = "";
  private List<Instruction> out = new ArrayList<>();

  TableState(TablePolicy policy, TableSettings settings) {
    this.policy = policy;
    this.settings = settings;
    this.log = new TransitionLog(settings.transitionLog());
    this.placement = new Placement(policy);
  }

  void emit(Instruction i) {
    out.add(i);
  }

  /** The instructions of the event just handled; starts the next event's list. */
  List<Instruction> drain() {
    List<Instruction> result = out;
    out = new ArrayList<>();
    return result;
  }

  /** Workers that take tasks and copies: registered and not retiring. */
  List<WorkerRecord> activeWorkers() {
    List<WorkerRecord> active = new ArrayList<>(workers.size());
    for (WorkerRecord w : workers.values()) {
      if (w.retirement == null) {
        active.add(w);
      }
    }
    return active;
  }

  static boolean needed(TaskRecord t) {
    return t.wanted || t.pendingDependents > 0;
  }
}
