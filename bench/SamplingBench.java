import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import org.tasklane.worker.metrics.HostSample;
import org.tasklane.worker.metrics.HostSampler;

/**
 * bench/sampling: the CPU a worker spends on its host metrics (OSHI: process CPU and memory, the
 * host's network and disk counters), per sample and as a share of one core at the worker's rate
 * of two samples a second. Target: under 1% of a core.
 *
 * Run: bench/sampling [--samples 400]
 */
public class SamplingBench {
  public static void main(String[] args) {
    int samples = args.length == 2 && args[0].equals("--samples") ? Integer.parseInt(args[1]) : 400;
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (HostSampler sampler = new HostSampler(0)) {
      for (int i = 0; i < 50; i++) {
        sampler.sample(); // warm-up: class loading, JIT, OSHI's caches
      }
      long cpu0 = threads.getCurrentThreadCpuTime();
      long wall0 = System.nanoTime();
      HostSample last = null;
      for (int i = 0; i < samples; i++) {
        last = sampler.sample();
      }
      double cpuMs = (threads.getCurrentThreadCpuTime() - cpu0) / 1e6 / samples;
      double wallMs = (System.nanoTime() - wall0) / 1e6 / samples;
      System.out.printf(Locale.ROOT, "host metrics sampling, %d samples:%n", samples);
      System.out.printf(Locale.ROOT, "  CPU per sample   %.3f ms (wall %.3f ms)%n", cpuMs, wallMs);
      System.out.printf(Locale.ROOT, "  at 2 samples/s   %.3f%% of one core%n", cpuMs * 2 / 1000 * 100);
      System.out.printf(Locale.ROOT, "  last sample      %s%n", last);
    }
  }
}
