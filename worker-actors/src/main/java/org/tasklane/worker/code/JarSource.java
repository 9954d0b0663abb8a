package org.tasklane.worker.code;

import java.nio.file.Path;
import java.util.concurrent.CompletionStage;

/** Where a worker gets the jars tasks name: the scheduler's code server (or a test's fake). */
@FunctionalInterface
public interface JarSource {

  /**
   * Writes the bytes of jar {@code sha256} into {@code target} (an empty file), without blocking
   * the caller for the transfer; the stage completes when they are all there, or fails with a
   * one-line message. The bytes are checked against the digest afterwards, by the caller.
   */
  CompletionStage<Void> download(String sha256, Path target);
}
