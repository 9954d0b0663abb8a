package org.tasklane.system.browser;

import static org.tasklane.system.browser.Dashboards.awaitOk;

import org.tasklane.system.LocalCluster;

/**
 * What every browser test class starts once: Debian's chromium (first, so that a machine without
 * it skips the class before any JVM starts) and a real cluster of a scheduler with its embedded
 * dashboard and two 2-thread workers. {@link #close} stops both.
 */
record BrowserCluster(LocalCluster cluster, HeadlessChromium chromium) implements AutoCloseable {

  static BrowserCluster start(String name) throws Exception {
    HeadlessChromium chromium = HeadlessChromium.launch();
    LocalCluster cluster = null;
    try {
      cluster = LocalCluster.start(name, 2, 2);
      awaitOk(cluster.dashboardUrl() + "health");
      return new BrowserCluster(cluster, chromium);
    } catch (Exception | AssertionError e) {
      chromium.close();
      if (cluster != null) {
        cluster.close();
      }
      throw e;
    }
  }

  /**
   * Waits for the graphs a test submitted and forgets them, so that the groups of one test do not
   * add up with the next one's on the progress bars.
   */
  void forgetAll(java.util.List<String> graphs) {
    for (String id : graphs) {
      try {
        cluster.client().awaitDone(id, java.time.Duration.ofMinutes(2));
        cluster.client().forget(id);
      } catch (RuntimeException e) {
        // the test already failed, or the graph is gone
      }
    }
    graphs.clear();
  }

  @Override
  public void close() {
    try {
      chromium.close();
    } finally {
      cluster.close();
    }
  }
}
