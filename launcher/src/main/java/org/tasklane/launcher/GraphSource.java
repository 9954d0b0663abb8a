package org.tasklane.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.tasklane.client.DemoGraphs;

/** Reads the graph {@code submit} sends: a file, {@code -} for standard input, or {@code demo:NAME}. */
final class GraphSource {
  private GraphSource() {}

  static byte[] read(String source) {
    try {
      if (source.startsWith("demo:")) {
        return new ObjectMapper().writeValueAsBytes(DemoGraphs.byName(source.substring(5)));
      }
      if (source.equals("-")) {
        return System.in.readAllBytes();
      }
      return Files.readAllBytes(Path.of(source));
    } catch (NoSuchFileException e) {
      throw new TasklaneCli.UserError("no such file: " + source + " (give a graph JSON file, - for stdin, or demo:NAME with NAME one of "
          + DemoGraphs.NAMES + ")");
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot read " + source + ": " + e.getMessage());
    }
  }
}
