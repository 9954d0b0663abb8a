package org.tasklane.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * What one JVM process uses, read from outside: its heap (with {@code jstat}, which attaches to
 * the JVM), its open file descriptors and resident memory (from {@code /proc}). {@code bin/tasklane}
 * execs java, so the process a test started is the JVM itself.
 */
public final class ProcessProbe {
  private ProcessProbe() {}

  /** Heap in use now, in bytes (young and old generations), or -1 if the JVM did not answer. */
  public static long heapUsedBytes(long pid) {
    // jstat -gc prints a header line and a line of numbers in KiB: S0C S1C S0U S1U EC EU OC OU ...
    // jstat is a JVM of its own: start it the cheap way, so sampling does not starve the cluster
    String out = run("jstat", "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto", "-gc",
        Long.toString(pid));
    String[] lines = out == null ? new String[0] : out.strip().split("\n");
    if (lines.length < 2) {
      return -1;
    }
    String[] names = lines[0].trim().split("\\s+");
    String[] values = lines[1].trim().split("\\s+");
    double kib = 0;
    for (int i = 0; i < names.length && i < values.length; i++) {
      if (names[i].equals("S0U") || names[i].equals("S1U") || names[i].equals("EU") || names[i].equals("OU")) {
        kib += Double.parseDouble(values[i]);
      }
    }
    return (long) (kib * 1024);
  }

  /** Heap in use right after a full collection, in bytes, or -1 if the JVM did not answer. */
  public static long heapAfterGcBytes(long pid) {
    if (run("jcmd", Long.toString(pid), "GC.run") == null) {
      return -1;
    }
    return heapUsedBytes(pid);
  }

  /** How many file descriptors the process has open, or -1 if it is gone. */
  public static int openFileDescriptors(long pid) {
    try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) list.count();
    } catch (IOException e) {
      return -1;
    }
  }

  /** Peak resident memory (VmHWM) in bytes, or -1 if the process is gone. */
  public static long peakRssBytes(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      // gone
    }
    return -1;
  }

  /** Runs a JDK tool to its end (at most 30 s) and returns its output, or null if it failed. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return null;
      }
      return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8) : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
