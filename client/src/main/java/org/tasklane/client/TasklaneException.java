package org.tasklane.client;

/** The client API said no (status 4xx/5xx, with its one-line error), or could not be reached (status 0). */
public final class TasklaneException extends RuntimeException {
  private final int status;

  public TasklaneException(int status, String message) {
    super(message);
    this.status = status;
  }

  public TasklaneException(String message, Throwable cause) {
    super(message, cause);
    this.status = 0;
  }

  /** The HTTP status, or 0 if the scheduler could not be reached. */
  public int status() {
    return status;
  }
}
