package org.tasklane.system;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What the report and trace system tests share: a tree graph with transfers, and finding its recorded run. */
public final class RunExports {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private RunExports() {}

  /**
   * A binary tree over {@code leaves} leaves (a power of two): each leaf {@code slowinc} for
   * {@code leafSeconds}, each inner node the {@code add} of its two children, so that on two workers
   * some inputs move between them. {@code leaves * 2 - 1} tasks.
   */
  public static String treeGraph(String name, int leaves, double leafSeconds) throws Exception {
    List<Map<String, Object>> tasks = new ArrayList<>();
    List<String> level = new ArrayList<>();
    for (int i = 0; i < leaves; i++) {
      tasks.add(Map.of("key", "load-" + i, "fn", "slowinc", "args", List.of(i, leafSeconds)));
      level.add("load-" + i);
    }
    int depth = 1;
    while (level.size() > 1) {
      List<String> next = new ArrayList<>();
      for (int i = 0; i < level.size(); i += 2) {
        String key = "merge-" + depth + "-" + i / 2;
        tasks.add(Map.of("key", key, "fn", "add", "args",
            List.of(Map.of("ref", level.get(i)), Map.of("ref", level.get(i + 1)))));
        next.add(key);
      }
      level = next;
      depth++;
    }
    return JSON.writeValueAsString(Map.of("name", name, "tasks", tasks, "want", level));
  }

  public static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** The dashboard's listing entry of graph {@code graphId}'s run once its end is recorded (a RunInfo). */
  public static JsonNode awaitRecordedRun(String dashboardUrl, String graphId, Duration timeout) {
    JsonNode[] found = {null};
    LocalCluster.await(timeout, "the dashboard lists the finished run of " + graphId, () -> {
      try {
        HttpResponse<String> r = get(dashboardUrl + "api/v1/runs.json");
        if (r.statusCode() != 200) {
          return false;
        }
        for (JsonNode run : JSON.readTree(r.body())) {
          if (graphId.equals(run.path("graphId").asText()) && !"running".equals(run.path("state").asText())) {
            found[0] = run;
            return true;
          }
        }
        return false;
      } catch (Exception e) {
        return false;
      }
    });
    return found[0];
  }

  /** The dashboard's live record of the graph's tasks ({@code api/v1/tasks.json}): an independent count of tasks and transfers. */
  public static long[] liveTasksAndTransfers(String dashboardUrl, String graphId) throws Exception {
    long tasks = 0;
    long transfers = 0;
    for (JsonNode t : JSON.readTree(get(dashboardUrl + "api/v1/tasks.json").body())) {
      if (graphId.equals(t.path("graph").asText())) {
        tasks++;
        transfers += t.path("transfers").size();
      }
    }
    return new long[] {tasks, transfers};
  }
}
