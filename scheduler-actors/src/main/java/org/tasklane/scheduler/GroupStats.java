package org.tasklane.scheduler;

import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.api.GroupProgress;

/** Task counts of one group of one graph, in the dashboard's colours. */
final class GroupStats {
  final String name;
  int total;
  int memory;
  int released;
  int erred;
  int processing;
  int waiting;

  GroupStats(String name) {
    this.name = name;
  }

  /** Move one task from the bucket of (from, wasCompleted) to that of (to, isCompleted). */
  void move(TaskState from, boolean wasCompleted, TaskState to, boolean isCompleted) {
    add(from, wasCompleted, -1);
    add(to, isCompleted, +1);
  }

  void add(TaskState s, boolean completed, int delta) {
    switch (s) {
      case MEMORY -> memory += delta;
      case ERRED -> erred += delta;
      case PROCESSING -> processing += delta;
      case RELEASED -> {
        if (completed) {
          released += delta;
        } else {
          waiting += delta;
        }
      }
      case WAITING, QUEUED -> waiting += delta;
      case FORGOTTEN -> { } // forgotten tasks leave the counts with their graph
    }
  }

  GroupProgress toProgress() {
    return new GroupProgress(name, total, memory, released, erred, processing, waiting);
  }
}
