package org.tasklane.worker.profile;

import java.util.List;

/**
 * Where a task thread's stack enters the task's function: the frame the runner calls (a built-in's
 * or a plugin's {@code TaskFunction.call}), or for a {@code java:} function the user's method that
 * the invoker calls through reflection. Everything from the thread's root down to that call is
 * Tasklane's plumbing; the "user frames" view cuts it off.
 */
public final class StackCut {
  private StackCut() {}

  static final String RUNNER = "org.tasklane.worker.TaskRunner";
  static final String INVOKER = "org.tasklane.worker.code.JavaInvoker";
  static final String WORKER_PACKAGE = "org.tasklane.worker.";
  static final String BUILTIN_PACKAGE = "org.tasklane.worker.builtin.";

  /**
   * @param classes the frames' class names, outermost first
   * @param methods the frames' method names, outermost first
   * @return the index of the function's first frame, or -1 if the stack is not inside a function
   *     (outside the runner, or in the runner's own work: arguments, results)
   */
  public static int entryIndex(List<String> classes, List<String> methods) {
    int runner = innermost(classes, RUNNER, 0);
    if (runner < 0 || runner + 1 >= classes.size()) {
      return -1;
    }
    int invoker = innermost(classes, INVOKER, runner + 1);
    if (invoker >= 0) {
      int k = invoker + 1;
      while (k < classes.size() && isReflection(classes.get(k))) {
        k++;
      }
      return k < classes.size() && !classes.get(k).startsWith(WORKER_PACKAGE) ? k : -1;
    }
    String called = classes.get(runner + 1);
    boolean plumbing = called.startsWith(WORKER_PACKAGE) && !called.startsWith(BUILTIN_PACKAGE);
    return !plumbing && methods.get(runner + 1).equals("call") ? runner + 1 : -1;
  }

  private static int innermost(List<String> classes, String name, int from) {
    int found = -1;
    for (int i = from; i < classes.size(); i++) {
      if (classes.get(i).equals(name)) {
        found = i;
      }
    }
    return found;
  }

  private static boolean isReflection(String c) {
    return c.startsWith("java.lang.reflect.") || c.startsWith("jdk.internal.reflect.")
        || c.startsWith("java.lang.invoke.") || c.startsWith("jdk.internal.invoke.");
  }
}
