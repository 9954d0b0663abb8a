package org.example.wordcount;

import static java.util.concurrent.TimeUnit.MINUTES;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.tasklane.client.Graph;
import org.tasklane.client.Ref;
import org.tasklane.client.Tasklane;

/**
 * Counts the words of every {@code .txt} file under a folder on a Tasklane cluster: one task per
 * file, then a tree of merges (at most {@value #FAN_IN} counts per merge), then prints the top
 * words.
 *
 * <pre>
 * java -cp target/classes:$(cat target/classpath.txt) org.example.wordcount.WordCountApp \
 *     http://localhost:8786 FOLDER [TOP]
 * </pre>
 *
 * Set {@code TASKLANE_AUTH_FILE} to the scheduler's auth file if it has one.
 */
public final class WordCountApp {
  static final int FAN_IN = 8;

  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      System.err.println("usage: WordCountApp SCHEDULER_URL FOLDER [TOP]");
      System.exit(2);
    }
    Path folder = Path.of(args[1]);
    int top = args.length > 2 ? Integer.parseInt(args[2]) : 10;
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
    }
    if (files.isEmpty()) {
      System.err.println("no .txt files under " + folder);
      System.exit(1);
    }
    Tasklane.Builder builder = Tasklane.builder(args[0]);
    String authFile = System.getenv("TASKLANE_AUTH_FILE");
    if (authFile != null && !authFile.isBlank()) {
      builder.authFile(Path.of(authFile));
    }
    try (Tasklane tl = builder.build()) {
      Graph g = Graph.named("word-count");
      List<Ref<Map<String, Long>>> level = new ArrayList<>();
      for (Path f : files) {
        level.add(g.call(WordCount::count, WordCount.read(f)));
      }
      while (level.size() > 1) { // a tree of merges, so no one task reads every count
        List<Ref<Map<String, Long>>> next = new ArrayList<>();
        for (int i = 0; i < level.size(); i += FAN_IN) {
          next.add(g.call(WordCount::merge, level.subList(i, Math.min(level.size(), i + FAN_IN))));
        }
        level = next;
      }
      Map<String, Long> total = tl.run(g, level.get(0)).get(5, MINUTES);
      System.out.println("words: " + total.values().stream().mapToLong(Long::longValue).sum()
          + ", distinct: " + total.size() + ", files: " + files.size());
      total.entrySet().stream()
          .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
          .limit(top)
          .forEach(e -> System.out.println(e.getValue() + "\t" + e.getKey()));
    }
  }
}
