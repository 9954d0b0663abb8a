package org.tasklane.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What {@code cluster up} started, where: saved so that {@code cluster down} and {@code status} find it. */
record ClusterState(String ssh, String remoteHome, List<Entry> processes) {

  /** One process on one host. */
  record Entry(String role, String host, long pid, String log) {}

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  void write(Path file) {
    try {
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      JSON.writeValue(file.toFile(), this);
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot write the cluster state " + file + ": " + e.getMessage());
    }
  }

  static ClusterState read(Path file) {
    if (!Files.exists(file)) {
      throw new TasklaneCli.UserError("no cluster state at " + file + "; start one with 'tasklane cluster up HOSTS' (or give --state)");
    }
    try {
      return JSON.readValue(file.toFile(), ClusterState.class);
    } catch (IOException e) {
      throw new TasklaneCli.UserError("cannot read the cluster state " + file + ": " + e.getMessage());
    }
  }
}
