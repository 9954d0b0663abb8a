package org.example.wordcount;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The functions that run on the workers: plain static methods with typed arguments and results. */
public final class WordCount {
  private WordCount() {}

  /** The words of one file and how often each occurs (lower case, letters and digits). */
  public static Map<String, Long> count(FileText file) {
    Map<String, Long> counts = new HashMap<>();
    for (String word : file.text().toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        counts.merge(word, 1L, Long::sum);
      }
    }
    return counts;
  }

  /** Several counts added up. */
  public static Map<String, Long> merge(List<Map<String, Long>> parts) {
    Map<String, Long> total = new HashMap<>();
    for (Map<String, Long> part : parts) {
      part.forEach((w, n) -> total.merge(w, n, Long::sum));
    }
    return total;
  }

  /** Reads a file on the client (the workers need not share its disk). */
  public static FileText read(Path file) throws IOException {
    return new FileText(file.getFileName().toString(), Files.readString(file, StandardCharsets.UTF_8));
  }
}
