package dev.splitter.cli.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import java.lang.reflect.Constructor;
import org.apiguardian.api.API;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/** {@code splitter}: the subcommands, the options every one takes, and how failures are printed. */
@Command(
    name = "splitter",
    mixinStandardHelpOptions = true,
    versionProvider = Version.class,
    description = {
      "Deploys and runs Traffic Splitters (the Cortex YAML): one endpoint that sends each request,"
          + " at random and by weight, to one of several Realtime APIs.",
      "Backends: the local gateway (`splitter serve`), Istio, the Gateway API, AWS ALB; see --env."
    },
    subcommands = {
      ValidateCommand.class,
      DeployCommand.class,
      GetCommand.class,
      DeleteCommand.class,
      RolloutCommand.class,
      ServeCommand.class,
      DemoCommand.class,
      SchemaCommand.class,
      CommandLine.HelpCommand.class
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:done", "1:an invalid configuration or a failed operation", "2:wrong usage"})
@API(status = API.Status.INTERNAL)
public final class RootCommand implements Runnable {
  private final Cli cli;

  @Spec CommandSpec spec;

  RootCommand(Cli cli) {
    this.cli = cli;
  }

  @Option(
      names = "--verbose",
      scope = ScopeType.INHERIT,
      description = "On failure, print the stack trace too.")
  void verbose(boolean verbose) {
    cli.verbose(verbose);
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "a command is required");
  }

  /** The command line for {@code cli}: commands built with it, failures printed as one line. */
  public static CommandLine commandLine(Cli cli) {
    CommandLine commandLine = new CommandLine(new RootCommand(cli), new Factory(cli));
    commandLine.setOut(cli.out());
    commandLine.setErr(cli.err());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.registerConverter(java.time.Duration.class, new Durations());
    commandLine.setExecutionStrategy(RootCommand::refuseUnmatchedThenRun);
    commandLine.setExecutionExceptionHandler(
        (e, line, parsed) -> {
          if (e instanceof InvalidConfigException invalid) {
            for (Violation violation : invalid.violations()) {
              cli.err().println(violation);
            }
          } else {
            cli.err().println("error: " + message(e));
          }
          if (cli.verbose()) {
            e.printStackTrace(cli.err());
          }
          cli.err().flush();
          return 1;
        });
    return commandLine;
  }

  /**
   * Runs the last command, unless an argument matched nothing: picocli lets {@code --help} print
   * the root's help for {@code splitter nosuch --help} and exit 0, where an unknown command is a
   * usage error (exit 2) that names it, with or without {@code --help}.
   */
  private static int refuseUnmatchedThenRun(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult level = parsed; level != null; level = level.subcommand()) {
      if (!level.unmatched().isEmpty()) {
        throw new CommandLine.UnmatchedArgumentException(
            level.commandSpec().commandLine(), level.unmatched());
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }

  private static String message(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }

  /** Builds each command with the shared {@link Cli}. */
  private record Factory(Cli cli) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> type) throws Exception {
      try {
        Constructor<K> withCli = type.getDeclaredConstructor(Cli.class);
        return withCli.newInstance(cli);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
    }
  }
}
