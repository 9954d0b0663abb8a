package org.tasklane.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one JVM process uses, read from outside: its heap (with the JDK's {@code jstat} and
 * {@code jcmd}, which attach to the JVM), its open file descriptors and resident memory (from
 * {@code /proc}). {@code bin/tasklane} execs java, so the process a test started is the JVM itself.
 */
public final class ProcessProbe {
  private ProcessProbe() {}

  /** The live heap after a full GC, and the class histogram it was read from. */
  public record LiveHeap(long bytes, String histogram) {}

  private static final Pattern HISTOGRAM_TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)\\s*$");
  private static final Pattern HISTOGRAM_INT_ARRAYS = Pattern.compile("(?m)^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+\\[I\\b");

  /** Heap in use now, in bytes (young and old generations), or -1 if the JVM did not answer. */
  public static long heapUsedBytes(long pid) {
    // jstat -gc prints a header line and a line of numbers in KiB: S0C S1C S0U S1U EC EU OC OU ...
    // It is a JVM of its own: start it the cheap way, so sampling does not starve the cluster.
    String out = run(jdkTool("jstat"), "-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC", "-J-Xshare:auto", "-gc",
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

  /**
   * The bytes of the objects alive after a full GC: {@code jcmd GC.class_histogram} collects first
   * and then counts, so (unlike GC.run and GC.heap_info, between which a busy JVM allocates) the
   * figure is the live heap alone. Without {@code int[]}: on JDK 17 the heap walk also counts the
   * JVM's filler objects, unreferenced {@code int[]} that pad unused heap space (seen: up to 14 MiB
   * in a few arrays of 0.4 to 6 MiB that nothing refers to, in one run out of two), while a
   * Tasklane node's own {@code int[]} come to under 1 MiB.
   *
   * @throws IllegalStateException if jcmd failed or printed no total
   */
  public static LiveHeap liveHeap(long pid) {
    String histogram = run(jdkTool("jcmd"), Long.toString(pid), "GC.class_histogram");
    Matcher m = histogram == null ? null : HISTOGRAM_TOTAL.matcher(histogram);
    if (m == null || !m.find()) {
      throw new IllegalStateException("jcmd " + pid + " GC.class_histogram gave no total: " + histogram);
    }
    Matcher ints = HISTOGRAM_INT_ARRAYS.matcher(histogram);
    long fillers = ints.find() ? Long.parseLong(ints.group(1)) : 0;
    return new LiveHeap(Long.parseLong(m.group(1)) - fillers, histogram);
  }

  /**
   * How many file descriptors the process has open.
   *
   * @throws IllegalStateException if the process is gone
   */
  public static int openFileDescriptors(long pid) {
    try (var list = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
      return (int) list.count();
    } catch (IOException e) {
      throw new IllegalStateException("process " + pid + " is gone", e);
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

  /** A tool of the JDK running this test (jcmd, jstat), or of the PATH's if this one lacks it. */
  private static String jdkTool(String name) {
    Path tool = Path.of(System.getProperty("java.home"), "bin", name);
    return Files.isExecutable(tool) ? tool.toString() : name;
  }

  /** Runs a JDK tool to its end (at most 60 s) and returns its output, or null if it failed. */
  private static String run(String... command) {
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
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
