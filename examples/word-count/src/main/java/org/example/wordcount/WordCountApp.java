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
 * Counts the words of every text file (UTF-8) under a folder on a Tasklane cluster: one task per
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
    List<Path> candidates;
    try (Stream<Path> walk = Files.walk(folder)) {
      candidates = walk.filter(Files::isRegularFile).sorted().toList();
    }
    List<Path> files = new ArrayList<>();
    List<FileText> texts = new ArrayList<>();
    for (Path f : candidates) {
      try {
        texts.add(WordCount.read(f));
        files.add(f);
      } catch (java.nio.charset.CharacterCodingException e) {
        System.err.println("skipping " + f + ": not UTF-8 text");
      }
    }
    if (files.isEmpty()) {
      System.err.println("no text files under " + folder);
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
      for (FileText text : texts) {
        level.add(g.call(WordCount::count, text));
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
