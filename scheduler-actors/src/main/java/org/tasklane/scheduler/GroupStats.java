package org.tasklane.scheduler;

import org.tasklane.protocol.TaskState;
import org.tasklane.protocol.api.GroupProgress;

/**
 * Task counts of one group, in the dashboard's colours: of one graph, or (the parent) of every
 * live graph with a group of that name. A change to a graph's group is applied to its parent too;
 * both remember that they changed until the dashboard feed has published them (the cluster-wide
 * counts in the batch's {@code groups}, a graph's in its {@code GraphEvent}).
 */
final class GroupStats {
  final String name;
  /** The cluster-wide counts this graph's group adds to; null for the cluster-wide counts themselves. */
  final GroupStats parent;
  int total;
  int memory;
  int released;
  int erred;
  int processing;
  int waiting;
  /** Changed since the dashboard feed last published it. */
  boolean dirty;

  GroupStats(String name) {
    this(name, null);
  }

  GroupStats(String name, GroupStats parent) {
    this.name = name;
    this.parent = parent;
  }

  /** A new task of this group, not yet completed. */
  void addNew() {
    total++;
    waiting++;
    dirty = true;
    if (parent != null) {
      parent.addNew();
    }
  }

  /** Move one task from the bucket of (from, wasCompleted) to that of (to, isCompleted). */
  void move(TaskState from, boolean wasCompleted, TaskState to, boolean isCompleted) {
    add(from, wasCompleted, -1);
    add(to, isCompleted, +1);
    dirty = true;
    if (parent != null) {
      parent.move(from, wasCompleted, to, isCompleted);
    }
  }

  private void add(TaskState s, boolean completed, int delta) {
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

  /** This graph's group is forgotten: its tasks leave the cluster-wide total. */
  void forget() {
    if (parent != null) {
      parent.total -= total;
      parent.dirty = true;
    }
  }

  GroupProgress toProgress() {
    return new GroupProgress(name, total, memory, released, erred, processing, waiting);
  }
}
