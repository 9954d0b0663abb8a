package org.tasklane.system;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example user project ({@code examples/word-count}, its own Maven build on the client
 * artifact) built as a user would, then run against a scheduler and two workers that have never
 * seen its classes: its jar is shipped by the client. Its counts must equal a plain
 * single-threaded count of the same files.
 */
class WordCountExampleSystemTest {
  private static final String[] WORDS = {"tasklane", "graph", "worker", "scheduler", "the", "a", "of", "and",
      "données", "straße", "42", "pekko", "jvm", "future", "ref", "merge", "count", "jar"};

  @TempDir Path dir;

  @Test
  void theExampleCountsTheSameWordsAsAPlainCount() throws Exception {
    Path example = Path.of(LocalCluster.home(), "examples", "word-count").toAbsolutePath().normalize();
    Path texts = Files.createDirectories(dir.resolve("texts"));
    writeTexts(texts, 40);

    run(dir.resolve("build.log"), example.toFile(), "mvn", "-B", "-q", "-f", example.resolve("pom.xml").toString(),
        "package");
    String classpath = example.resolve("target/classes") + java.io.File.pathSeparator
        + Files.readString(example.resolve("target/classpath.txt")).strip();

    try (LocalCluster cluster = LocalCluster.start("wordcount-example", 2, 2, "--allow-code-upload")) {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      Path out = dir.resolve("example.out");
      run(out, example.toFile(), java, "-cp", classpath, "org.example.wordcount.WordCountApp",
          "http://127.0.0.1:" + cluster.apiPort(), texts.toString(), "15");
      List<String> lines = Files.readAllLines(out, StandardCharsets.UTF_8);

      Map<String, Long> expected = plainCount(texts);
      long total = expected.values().stream().mapToLong(Long::longValue).sum();
      assertTrue(lines.get(0).startsWith("words: " + total + ", distinct: " + expected.size() + ", files: 40"),
          String.join("\n", lines));
      List<String> top = expected.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(15).map(e -> e.getValue() + "\t" + e.getKey()).toList();
      assertEquals(top, lines.subList(1, lines.size()));

      // the client forgot the graph as it closed, so the live groups are gone: the dashboard's run
      // of it keeps them, grouped by the user's functions
      JsonNode[] run = new JsonNode[1];
      LocalCluster.await(Duration.ofSeconds(30), "the dashboard's history lists the finished word-count run", () -> {
        JsonNode runs = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/runs.json");
        for (JsonNode r : runs == null ? List.<JsonNode>of() : runs) {
          if (r.get("name").asText().equals("word-count") && r.get("state").asText().equals("done")) {
            run[0] = r;
          }
        }
        return run[0] != null;
      });
      String groups = String.valueOf(LocalCluster.getJson(cluster.dashboardUrl() + "runs/" + run[0].get("id").asText()
          + "/api/v1/groups.json"));
      assertTrue(groups.contains("\"WordCount.count\"") && groups.contains("\"WordCount.merge\""), groups);
      LocalCluster.await(Duration.ofSeconds(30), "the scheduler forgets the graph the client closed on", () -> {
        JsonNode live = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/groups.json");
        return live != null && live.isEmpty();
      });
      JsonNode tasks = LocalCluster.getJson(cluster.dashboardUrl() + "api/v1/tasks.json?limit=1000");
      assertTrue(tasks.toString().contains("\"group\":\"WordCount.count\""), "task records name the function");
    }
  }

  private static void writeTexts(Path texts, int files) throws IOException {
    Random random = new Random(7);
    for (int f = 0; f < files; f++) {
      StringBuilder text = new StringBuilder();
      int n = 200 + random.nextInt(800);
      for (int i = 0; i < n; i++) {
        String w = WORDS[(int) Math.floor(Math.pow(random.nextDouble(), 2) * WORDS.length)];
        text.append(random.nextInt(10) == 0 ? w.toUpperCase(Locale.ROOT) : w).append(i % 12 == 11 ? ".\n" : " ");
      }
      Files.writeString(texts.resolve("part-" + f + ".txt"), text, StandardCharsets.UTF_8);
    }
  }

  /** The reference: one thread, the same rule for what a word is. */
  private static Map<String, Long> plainCount(Path texts) throws IOException {
    Map<String, Long> counts = new HashMap<>();
    try (Stream<Path> walk = Files.walk(texts)) {
      for (Path p : walk.filter(x -> x.toString().endsWith(".txt")).toList()) {
        for (String w : Files.readString(p).toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
          if (!w.isEmpty()) {
            counts.merge(w, 1L, Long::sum);
          }
        }
      }
    }
    return counts;
  }

  private static void run(Path output, java.io.File workDir, String... command) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(command));
    Process p = new ProcessBuilder(cmd).directory(workDir).redirectErrorStream(true).redirectOutput(output.toFile())
        .start();
    try {
      assertTrue(p.waitFor(5, TimeUnit.MINUTES), String.join(" ", cmd) + " did not finish in 5 minutes");
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), String.join(" ", cmd) + " failed:\n" + Files.readString(output));
  }
}
