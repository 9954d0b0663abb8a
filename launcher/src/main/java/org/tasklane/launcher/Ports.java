package org.tasklane.launcher;

/** Checks of port options, for one-line errors. */
final class Ports {
  private Ports() {}

  static void checkPort(int port, String option) {
    if (port < 0 || port > 65535) {
      throw new TasklaneCli.UserError(option + " must be between 0 and 65535, got " + port);
    }
  }
}
