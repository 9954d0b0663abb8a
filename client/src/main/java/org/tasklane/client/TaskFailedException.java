package org.tasklane.client;

/**
 * A task failed on the cluster: its function threw (after its retries), it timed out, a task it
 * depends on failed, or the workers running it died too often. Futures of the task complete
 * exceptionally with this (wrapped in {@link java.util.concurrent.ExecutionException} by
 * {@code get()}).
 *
 * <p>{@link #remoteType()}, {@link #remoteMessage()} and {@link #remoteStackTrace()} describe the
 * exception on the worker, when there was one; {@code printStackTrace()} prints the remote trace
 * after this exception's own.
 */
public final class TaskFailedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String error;
  private final String remoteType;
  private final String remoteMessage;
  private final String remoteStackTrace;

  TaskFailedException(String key, String error, String remoteStackTrace) {
    super("task " + key + " failed: " + firstLine(remoteStackTrace != null ? remoteStackTrace : error));
    this.key = key;
    this.error = error;
    this.remoteStackTrace = remoteStackTrace;
    String head = remoteStackTrace != null ? firstLine(remoteStackTrace) : null;
    if (head != null && head.matches("[\\w$.]+(: .*)?")) {
      int colon = head.indexOf(": ");
      this.remoteType = colon < 0 ? head : head.substring(0, colon);
      this.remoteMessage = colon < 0 ? null : head.substring(colon + 2);
    } else {
      this.remoteType = null;
      this.remoteMessage = null;
    }
  }

  private static String firstLine(String s) {
    if (s == null) {
      return "";
    }
    int nl = s.indexOf('\n');
    return (nl < 0 ? s : s.substring(0, nl)).strip();
  }

  /** The failed task's key. */
  public String key() {
    return key;
  }

  /** The scheduler's one-line error for the task, e.g. {@code IllegalStateException: bad input | at ...}. */
  public String error() {
    return error;
  }

  /** The class name of the exception the function threw on the worker, or null (a dependency failed, a timeout). */
  public String remoteType() {
    return remoteType;
  }

  /** Its message, or null. */
  public String remoteMessage() {
    return remoteMessage;
  }

  /** Its full stack trace as the worker printed it (with {@code Caused by:}), or null. */
  public String remoteStackTrace() {
    return remoteStackTrace;
  }

  @Override
  public void printStackTrace(java.io.PrintStream s) {
    super.printStackTrace(s);
    if (remoteStackTrace != null) {
      s.println("Remote stack trace (on the worker):");
      s.print(remoteStackTrace);
    }
  }

  @Override
  public void printStackTrace(java.io.PrintWriter s) {
    super.printStackTrace(s);
    if (remoteStackTrace != null) {
      s.println("Remote stack trace (on the worker):");
      s.print(remoteStackTrace);
    }
  }
}
