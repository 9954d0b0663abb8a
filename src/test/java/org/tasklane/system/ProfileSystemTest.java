package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.tasklane.client.TaskFuture;
import org.tasklane.client.Tasklane;

/**
 * The profiler on a real cluster (separate JVMs): a graph whose function spins in a method with a
 * distinctive name (user code shipped by the typed client); the dashboard's merged profile of that
 * task group has that frame holding most of its samples, in the user-frames view (which starts at
 * the function) and in the whole stacks (which start at the thread's root).
 */
class ProfileSystemTest {

  /** The samples in frames named {@code name} anywhere in the tree (outermost ones only, not double-counted). */
  static long samplesIn(JsonNode frame, String name) {
    if (frame.get("name").asText().equals(name)) {
      return frame.get("value").asLong();
    }
    long n = 0;
    for (JsonNode c : frame.get("children")) {
      n += samplesIn(c, name);
    }
    return n;
  }

  /** The group of the spinning tasks as the profile lists it, or null before it has any sample. */
  static String spinGroup(String dashboard) {
    JsonNode all = LocalCluster.getJson(dashboard + "api/v1/profile.json?minutes=5");
    if (all == null) {
      return null;
    }
    for (JsonNode g : all.get("groups")) {
      if (g.asText().contains("spin")) {
        return g.asText();
      }
    }
    return null;
  }

  /** Runs eight 1.5 s spins on the cluster's workers (in the background) and returns their futures. */
  static List<TaskFuture<Long>> spin(Tasklane tl) {
    return tl.map(ProfiledFunctions::spin, Collections.nCopies(8, 1500));
  }

  @Test
  void theSpinningFrameHoldsMostSamplesOfItsGroup() throws Exception {
    try (LocalCluster cluster = LocalCluster.start("profile", 1, 2, "--allow-code-upload");
        Tasklane tl = Tasklane.connect("http://127.0.0.1:" + cluster.apiPort())) {
      cluster.awaitWorkers(1);
      List<TaskFuture<Long>> spins = spin(tl);
      String dashboard = cluster.dashboardUrl();
      List<String> seen = new ArrayList<>();
      LocalCluster.await(Duration.ofSeconds(60), "a profile of the spin group in which " + ProfiledFunctions.SPIN_FRAME
          + " holds most samples (seen: " + seen + ")", () -> {
            String group = spinGroup(dashboard);
            if (group == null) {
              return false;
            }
            String q = "api/v1/profile.json?minutes=5&group=" + URLEncoder.encode(group, StandardCharsets.UTF_8);
            JsonNode user = LocalCluster.getJson(dashboard + q);
            JsonNode whole = LocalCluster.getJson(dashboard + q + "&all=true");
            if (user == null || whole == null) {
              return false;
            }
            long samples = user.get("samples").asLong();
            long spinning = samplesIn(user.get("root"), ProfiledFunctions.SPIN_FRAME);
            long spinningWhole = samplesIn(whole.get("root"), ProfiledFunctions.SPIN_FRAME);
            seen.add(group + ": " + spinning + " of " + samples + " (whole: " + spinningWhole + ")");
            // the user view starts at the function: its outermost frame is spin itself
            boolean rootedAtFunction = user.get("root").get("children").size() >= 1
                && samplesIn(user.get("root"), ProfiledFunctions.class.getName() + ".spin") >= spinning;
            return samples >= 20 && spinning * 2 > samples && spinningWhole == spinning && rootedAtFunction;
          });
      for (TaskFuture<Long> f : spins) {
        f.get(2, TimeUnit.MINUTES);
      }
      // the whole stacks start at the thread's root, far above the function
      String group = spinGroup(dashboard);
      JsonNode whole = LocalCluster.getJson(dashboard + "api/v1/profile.json?minutes=5&all=true&group="
          + URLEncoder.encode(group, StandardCharsets.UTF_8));
      assertTrue(samplesIn(whole.get("root"), "java.lang.Thread.run") > 0, whole.toString());
      assertTrue(whole.get("workers").toString().contains("worker-1"), whole.toString());
    }
  }
}
