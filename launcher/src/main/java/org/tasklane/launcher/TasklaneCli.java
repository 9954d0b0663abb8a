package org.tasklane.launcher;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code bin/tasklane}: one command with a subcommand per kind of process. Every bad option is
 * one line on stderr and exit code 2; every failure to start is one line and exit code 1.
 */
@Command(
    name = "tasklane",
    mixinStandardHelpOptions = true,
    versionProvider = TasklaneCli.Version.class,
    description = "Run and watch task graphs on a cluster of JVMs.",
    subcommands = {
      LocalCommand.class,
      SchedulerCommand.class,
      WorkerCommand.class,
      DashboardCommand.class,
      HistoryCommand.class,
      SubmitCommand.class,
      ClusterCommand.class,
      CertsCommand.class,
      CommandLine.HelpCommand.class
    })
public final class TasklaneCli implements Runnable {
  static final int EXIT_FAILURE = 1;
  static final int EXIT_USAGE = 2;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    int code = run(args);
    if (NannyOptions.isChild(args)) {
      code = ChildExit.forChild(code); // tells the nanny not to start it again (see ChildExit)
    }
    if (code != 0 || !Boolean.getBoolean("tasklane.keepAlive")) {
      System.exit(code);
    }
  }

  /** Runs the command line and returns the exit code (tests call this). */
  public static int run(String... args) {
    CommandLine cl = new CommandLine(new TasklaneCli());
    cl.setParameterExceptionHandler(TasklaneCli::onBadParameter);
    cl.setExecutionExceptionHandler((e, line, parsed) -> {
      PrintWriter err = line.getErr();
      if (e instanceof UserError || e instanceof IllegalArgumentException || e instanceof IllegalStateException) {
        err.println(line.getCommandName() + ": " + e.getMessage());
      } else {
        err.println(line.getCommandName() + ": " + e.getClass().getSimpleName() + ": " + e.getMessage());
      }
      err.flush();
      return EXIT_FAILURE;
    });
    return cl.execute(args);
  }

  private static int onBadParameter(CommandLine.ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    PrintWriter err = cmd.getErr();
    String message = e.getMessage().replace('\n', ' ');
    // picocli checks required options before it reports an unknown one: name the unknown one first
    java.util.List<String> unmatched = cmd.getUnmatchedArguments();
    if (!(e instanceof CommandLine.UnmatchedArgumentException) && !unmatched.isEmpty()) {
      message = "Unknown option: '" + unmatched.get(0) + "'";
    }
    err.println(name + ": " + message + " (see '" + name + " --help')");
    err.flush();
    return EXIT_USAGE;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** A failure the user can fix, said in one line. */
  static class UserError extends RuntimeException {
    UserError(String message) {
      super(message);
    }
  }

  /** The version from the jar's manifest, or "development". */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = TasklaneCli.class.getPackage().getImplementationVersion();
      return new String[] {"tasklane " + (v == null ? "development" : v)};
    }
  }
}
