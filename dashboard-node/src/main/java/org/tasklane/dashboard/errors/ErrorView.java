package org.tasklane.dashboard.errors;

import java.util.List;

/** What {@code api/v1/errors.json} answers, as JSON. Messages, keys and traces are user input: text only. */
public interface ErrorView {

  /**
   * Every group, the most recently erred first.
   *
   * @param erred erred tasks seen since the dashboard started
   * @param droppedGroups groups dropped (the least recently erred) to keep at most {@code maxGroups}
   */
  record Errors(long erred, long droppedGroups, int maxGroups, int maxExamples, List<Group> groups) {
    public Errors {
      groups = List.copyOf(groups);
    }
  }

  /**
   * The erred tasks of one kind (exception type and normalised message).
   *
   * @param id a stable id of the group (a hash of its type and pattern)
   * @param type the exception's class name, "" if the error is no exception
   * @param message the message of its first task
   * @param pattern the message with numbers and the task's key taken out
   * @param count its erred tasks
   * @param first when the first erred (epoch ms, when its task stopped)
   * @param last when the last erred
   * @param workers the workers they ran on, at most {@link ErrorLog#MAX_NAMES}; {@code moreWorkers} more
   * @param graphs their graphs, likewise
   * @param taskGroups their task groups, likewise
   * @param traces the distinct stack traces that came with its tasks, at most {@link ErrorLog#MAX_TRACES}
   * @param examples its most recent tasks, at most {@link ErrorLog#MAX_EXAMPLES}, newest first
   */
  record Group(
      String id, String type, String message, String pattern, long count, Number first, Number last,
      List<String> workers, int moreWorkers, List<String> graphs, int moreGraphs, List<String> taskGroups,
      int moreTaskGroups, List<String> traces, List<Example> examples) {}

  /**
   * One erred task.
   *
   * @param trace the index of its stack trace in its group's {@code traces}, or -1 if it came without one (the
   *     scheduler sends a trace with the first few tasks of each kind) or its trace was not kept
   */
  record Example(
      long id, String key, String graph, String group, String worker, String thread, Number start, Number stop,
      String error, int trace) {}

  /**
   * One task's error ({@code errors.json?graph=&key=}).
   *
   * @param trace its stack trace, or its group's first when it came without one ({@code ownTrace} false), or null
   */
  record TaskError(Example task, String trace, boolean ownTrace, Group group) {}
}
