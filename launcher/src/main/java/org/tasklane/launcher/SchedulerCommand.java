package org.tasklane.launcher;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import java.io.File;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.scheduler.SchedulerMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code tasklane scheduler}: the seed node, with the scheduler singleton and the client API. */
@Command(
    name = "scheduler",
    mixinStandardHelpOptions = true,
    description = "Start the scheduler: the cluster's seed node, holding the task table, with the client API.")
final class SchedulerCommand implements Callable<Integer> {
  static final int DEFAULT_PORT = 17355;
  static final int DEFAULT_API_PORT = 8786;
  static final String DEFAULT_MAX_GRAPH_BYTES = "64MiB";

  @Option(names = "--host", description = "The address other hosts reach this one on (default: this host's address).")
  String host;

  @Option(names = "--port", defaultValue = "" + DEFAULT_PORT, description = "Cluster port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--bind-address", description = "Interface to bind the cluster port to, if not --host (NAT, containers).")
  String bindAddress;

  @Option(names = "--api-port", defaultValue = "" + DEFAULT_API_PORT,
      description = "Client API port (default: ${DEFAULT-VALUE}; 0 for any free port).")
  int apiPort;

  @Option(names = "--api-address", description = "Interface the client API binds to (default: --host).")
  String apiAddress;

  @Option(names = "--max-graph-bytes", paramLabel = "SIZE", converter = ByteSize.class,
      description = "The largest graph body the client API accepts, like 64MiB or 512KiB "
          + "(default: " + DEFAULT_MAX_GRAPH_BYTES + ", or tasklane.scheduler.api.max-graph-bytes from --config).")
  Long maxGraphBytes;

  @Option(names = "--config", paramLabel = "FILE", description = "A HOCON file whose settings lie under the command line's.")
  File config;

  @Override
  public Integer call() throws Exception {
    NodeLogging.start("scheduler");
    String h = host != null ? host : HostAddress.detect();
    String bind = bindAddress != null ? bindAddress : h;
    String apiHost = apiAddress != null ? apiAddress : h;
    Ports.checkPort(port, "--port");
    Ports.checkPort(apiPort, "--api-port");
    if (!HostAddress.portFree(bind, port)) {
      throw new TasklaneCli.UserError("port " + port + " on " + bind + " is in use (another scheduler?); choose another with --port");
    }
    if (!HostAddress.portFree(apiHost, apiPort)) {
      throw new TasklaneCli.UserError("port " + apiPort + " on " + apiHost + " is in use; choose another with --api-port");
    }
    NodeConfig nc = new NodeConfig("scheduler", h, port, bindAddress)
        .seed(h, port)
        .set("tasklane.scheduler.api.port", apiPort)
        .set("tasklane.scheduler.api.address", apiHost)
        .file(config);
    if (maxGraphBytes != null) {
      nc.set("tasklane.scheduler.api.max-graph-bytes", maxGraphBytes);
    }
    SchedulerMain.Started started = SchedulerMain.start(nc.build(), Duration.ofSeconds(30));
    String apiShown = "0.0.0.0".equals(apiHost) ? h : apiHost;
    org.slf4j.LoggerFactory.getLogger(SchedulerCommand.class).info(
        "Scheduler at {} ; client API at http://{}:{}/api/v1/", NodeConfig.seedAddress(h, port), apiShown,
        started.api().getPort());
    return NodeRunner.awaitTermination(started.system(), "scheduler");
  }

  /**
   * A size the way the configuration writes one ({@code 1024}, {@code 512KiB}, {@code 64MiB}), at
   * least 1 byte; a bad one is a usage error (one line, exit code 2) like any bad option value.
   */
  static final class ByteSize implements CommandLine.ITypeConverter<Long> {
    @Override
    public Long convert(String text) {
      long bytes;
      try {
        bytes = ConfigFactory.parseString("b = \"" + text.replace("\"", "").replace("\\", "") + "\"").getBytes("b");
      } catch (ConfigException e) {
        throw new CommandLine.TypeConversionException("expected a size like 1024, 512KiB or 64MiB, got '" + text + "'");
      }
      if (bytes < 1) {
        throw new CommandLine.TypeConversionException("expected a size of at least 1 byte, got '" + text + "'");
      }
      return bytes;
    }
  }
}
