package org.tasklane.launcher;

/**
 * What a worker's exit code tells its nanny. A worker under a nanny says "do not start me again"
 * with one of two codes of its own (sysexits' {@code EX_USAGE} and {@code EX_CONFIG}), so that a
 * task calling {@code System.exit(0)} or {@code System.exit(1)} still costs only a restart:
 *
 * <pre>
 *   code              kind     the nanny                     then exits with
 *   64 (CHILD_USAGE)  REFUSED  does not restart it           2 (a usage error)
 *   78 (CHILD_FAILED) REFUSED  does not restart it           1 (one-line failure: port in use,
 *                                                               no scheduler, could not join)
 *   129, 130, 143     ASKED    does not restart it           the same code (SIGHUP, SIGINT,
 *                                                               SIGTERM: a graceful stop)
 *   75 (MEMORY_RESTART) DIED   restarts it, with back-off    the code, when it gives up (its
 *                                                               memory passed the restart line)
 *   anything else     DIED     restarts it, with back-off    the code, when it gives up
 * </pre>
 */
final class ChildExit {
  private ChildExit() {}

  /** A worker under a nanny exits with this instead of {@link TasklaneCli#EXIT_USAGE}. */
  static final int CHILD_USAGE = 64;
  /** A worker under a nanny exits with this instead of {@link TasklaneCli#EXIT_FAILURE}. */
  static final int CHILD_FAILED = 78;
  /**
   * A worker whose memory passed its restart line exits with this (sysexits' {@code EX_TEMPFAIL}),
   * with or without a nanny; a nanny restarts it like any worker that died.
   */
  static final int MEMORY_RESTART = 75;

  enum Kind {
    /** It stopped on a signal that asks for a graceful stop. */
    ASKED,
    /** It said in one line why it cannot run; starting it again would say the same. */
    REFUSED,
    /** Anything else: killed, crashed, out of memory, or a task ended its JVM. */
    DIED
  }

  /** The code a worker under a nanny exits with, for the code its command returned. */
  static int forChild(int code) {
    if (code == TasklaneCli.EXIT_USAGE) {
      return CHILD_USAGE;
    }
    return code == 0 || code == MEMORY_RESTART ? code : CHILD_FAILED;
  }

  static Kind kind(int code) {
    return switch (code) {
      case CHILD_USAGE, CHILD_FAILED -> Kind.REFUSED;
      case 128 + 1, 128 + 2, 128 + 15 -> Kind.ASKED;
      default -> Kind.DIED;
    };
  }

  /** The code the nanny exits with when its worker exited with {@code code} and is not restarted. */
  static int userCode(int code) {
    return switch (code) {
      case CHILD_USAGE -> TasklaneCli.EXIT_USAGE;
      case CHILD_FAILED -> TasklaneCli.EXIT_FAILURE;
      default -> code;
    };
  }

  /** A few words on an exit code that means a signal, like {@code " (killed)"}; empty for others. */
  static String describe(int code) {
    if (code == MEMORY_RESTART) {
      return " (its memory passed the restart line: --memory-terminate-fraction)";
    }
    if (code <= 128 || code > 128 + 64) {
      return "";
    }
    return switch (code - 128) {
      case 1 -> " (SIGHUP)";
      case 2 -> " (SIGINT)";
      case 6 -> " (aborted: a JVM crash?)";
      case 9 -> " (killed)";
      case 11 -> " (segmentation fault)";
      case 15 -> " (SIGTERM)";
      default -> " (signal " + (code - 128) + ")";
    };
  }
}
