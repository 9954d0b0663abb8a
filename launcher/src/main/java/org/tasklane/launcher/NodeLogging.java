package org.tasklane.launcher;

/** Names this process in every log line, and starts logging before any other thread logs. */
final class NodeLogging {
  private NodeLogging() {}

  static void start(String node) {
    System.setProperty("tasklane.node", node);
    // initialise logback now, on this thread: otherwise the first lines logged from Pekko's
    // threads during initialisation are replayed with a warning
    org.slf4j.LoggerFactory.getILoggerFactory();
  }
}
