package org.tasklane.launcher;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.tasklane.client.DemoGraphs;
import org.tasklane.client.TasklaneClient;
import org.tasklane.client.TasklaneException;
import org.tasklane.protocol.GraphValidator;
import org.tasklane.protocol.api.GraphResults;
import org.tasklane.protocol.api.GraphStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code tasklane submit}: sends a graph to the scheduler's client API, and with --wait follows it. */
@Command(
    name = "submit",
    mixinStandardHelpOptions = true,
    description = "Send a graph to the scheduler. With --wait, show progress per task group and print the results.")
final class SubmitCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "GRAPH",
      description = "A graph JSON file, - for standard input, or demo:NAME (" + DemoGraphs.NAMES + ").")
  String graph;

  @Option(names = "--scheduler", defaultValue = "localhost", paramLabel = "HOST[:API_PORT]",
      description = "The scheduler's host and client API port (default: localhost:" + SchedulerCommand.DEFAULT_API_PORT + ").")
  String scheduler;

  @Option(names = "--wait", description = "Follow the graph until it is done, then print its results as JSON.")
  boolean await;

  @Option(names = "--keep", description = "With --wait: keep the results on the cluster (default: drop them once printed).")
  boolean keep;

  @Option(names = "--timeout", defaultValue = "1h", paramLabel = "DURATION",
      description = "With --wait: give up after this long (default: ${DEFAULT-VALUE}); the graph keeps running.")
  String timeout;

  @Option(names = "--report", paramLabel = "FILE",
      description = "Once the graph has finished (implies --wait), save its one-file HTML report from the dashboard's "
          + "run history to FILE.")
  java.io.File report;

  @Option(names = "--dashboard", paramLabel = "URL",
      description = "With --report: the dashboard's address (default: http://SCHEDULER_HOST:"
          + DashboardCommand.DEFAULT_DASHBOARD_PORT + "/).")
  String dashboard;

  @Option(names = "--report-timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "With --report: how long to wait for the dashboard to have the run (default: ${DEFAULT-VALUE}).")
  String reportTimeout;

  @Option(names = "--auth-file", paramLabel = "FILE",
      description = "The scheduler's auth file: its first line is the token the client API asks for "
          + "(default: $" + AuthFiles.ENV + " if set, else none).")
  java.io.File authFile;

  @Option(names = "--tls-dir", paramLabel = "DIR",
      description = "For a scheduler started with --tls-dir: a TLS folder with its CA (truststore.p12 and password, "
          + "e.g. a node's folder from 'tasklane certs'). The client API (and the dashboard, for --report) is then "
          + "reached over HTTPS, trusting only that CA.")
  java.io.File tlsDir;

  @Override
  public Integer call() throws Exception {
    String[] hp = HostAddress.hostAndPort(scheduler, SchedulerCommand.DEFAULT_API_PORT);
    javax.net.ssl.SSLContext tls = null;
    if (tlsDir != null) {
      try {
        tls = org.tasklane.protocol.api.TlsFolder.forClient(tlsDir.toPath()).clientContext();
      } catch (IllegalArgumentException e) {
        throw new TasklaneCli.UserError("--tls-dir: " + e.getMessage());
      }
    }
    String scheme = tls == null ? "http" : "https";
    Duration limit = Durations.parse(timeout, "--timeout");
    Duration reportLimit = Durations.parse(reportTimeout, "--report-timeout");
    URI dashboardUri = dashboardUri(hp[0], scheme);
    if (report != null) {
      await = true;
    }
    byte[] json = GraphSource.read(graph);
    GraphValidator.Result checked = new GraphValidator(new ObjectMapper(), GraphValidator.Limits.DEFAULTS).parseAndValidate(json);
    if (checked instanceof GraphValidator.Invalid bad) {
      throw new TasklaneCli.UserError(graph + ": " + bad.error());
    }
    URI base = URI.create(scheme + "://" + hp[0] + ":" + hp[1] + "/");
    java.io.File tokenFile = authFile;
    String source = "--auth-file";
    String env = System.getenv(AuthFiles.ENV);
    if (tokenFile == null && env != null && !env.isBlank()) {
      tokenFile = new java.io.File(env.strip());
      source = AuthFiles.ENV;
    }
    java.util.Optional<String> token = tokenFile == null
        ? java.util.Optional.empty()
        : java.util.Optional.of(AuthFiles.read(tokenFile, "submit", source).secret());
    TasklaneClient client = new TasklaneClient(base, token.orElse(null), tls);
    try {
      String id = client.submit(json);
      if (!await) {
        System.out.println(id);
        return 0;
      }
      System.err.println("submitted graph " + id + " to " + base);
      ProgressView view = new ProgressView(System.err, System.console() != null);
      long deadline = System.nanoTime() + limit.toNanos();
      // every status request goes through awaitDone: a scheduler lost while waiting is one clear line, never a hang
      GraphStatus status = client.awaitDone(id, Duration.ZERO);
      while (!status.isFinished() && System.nanoTime() - deadline < 0) {
        view.show(status);
        status = client.awaitDone(id, Duration.ofMillis(500));
      }
      view.show(status);
      if (!status.isFinished()) {
        throw new TasklaneCli.UserError("graph " + id + " is not done after " + timeout + "; it keeps running on the cluster");
      }
      if ("cancelled".equals(status.state())) {
        if (report != null) {
          saveReport(id, dashboardUri, token, tls, reportLimit);
        }
        throw new TasklaneCli.UserError("graph " + id + " was cancelled");
      }
      GraphResults results = client.results(id);
      ObjectMapper pretty = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      System.out.println(pretty.writeValueAsString(results));
      if (!keep) {
        client.forget(id);
      }
      if (report != null) {
        saveReport(id, dashboardUri, token, tls, reportLimit);
      }
      if (!results.errors().isEmpty()) {
        var first = results.errors().entrySet().iterator().next();
        System.err.println("submit: " + results.errors().size() + " wanted task(s) erred; first: " + first.getKey()
            + ": " + first.getValue());
        return TasklaneCli.EXIT_FAILURE;
      }
      return 0;
    } catch (TasklaneException e) {
      if (e.status() == 401) {
        throw new TasklaneCli.UserError(tokenFile == null
            ? "the scheduler API at " + base + " asks for a token: pass its auth file with --auth-file FILE "
                + "(or set " + AuthFiles.ENV + ")"
            : "the scheduler API at " + base + " did not accept the token in " + tokenFile
                + "; pass the scheduler's own auth file with --auth-file");
      }
      throw new TasklaneCli.UserError(e.getMessage());
    }
  }

  /** The --dashboard URL, or the scheduler's host at the dashboard's default port; always ending in "/". */
  private URI dashboardUri(String schedulerHost, String scheme) {
    String url = dashboard == null
        ? scheme + "://" + (schedulerHost.contains(":") ? "[" + schedulerHost + "]" : schedulerHost) + ":"
            + DashboardCommand.DEFAULT_DASHBOARD_PORT + "/"
        : dashboard.strip();
    try {
      URI uri = URI.create(url.endsWith("/") ? url : url + "/");
      if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
        throw new IllegalArgumentException("not an http(s) URL");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new TasklaneCli.UserError("--dashboard: '" + url + "' is not a URL like http://HOST:8787/");
    }
  }

  /** Saves the report, or says in one line why not; the graph's result and exit code stay as they are. */
  private void saveReport(String graphId, URI dashboardUri, java.util.Optional<String> token,
      javax.net.ssl.SSLContext tls, Duration limit) {
    var failure = new ReportDownload(dashboardUri, token, tls).save(graphId, report.toPath(), limit);
    if (failure.isPresent()) {
      System.err.println("submit: no report: " + failure.get());
    } else {
      System.err.println("submit: report saved to " + report);
    }
  }
}
