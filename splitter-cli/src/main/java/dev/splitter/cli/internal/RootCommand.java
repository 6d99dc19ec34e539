package dev.splitter.cli.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import java.lang.reflect.Constructor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
      "Backends: the local gateway (`splitter serve`), Istio, the Gateway API, AWS ALB and NLB; see"
          + " --env."
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

  /**
   * The commands, in the order help lists them. Picocli reflects over a command's class when it is
   * added (tens of milliseconds for all of them, its classes being too old for a class-data
   * archive), so a command line gets only the command it runs.
   */
  private static final Map<String, Class<?>> COMMANDS = new LinkedHashMap<>();

  static {
    COMMANDS.put("validate", ValidateCommand.class);
    COMMANDS.put("deploy", DeployCommand.class);
    COMMANDS.put("get", GetCommand.class);
    COMMANDS.put("compare", CompareCommand.class);
    COMMANDS.put("diff", DiffCommand.class);
    COMMANDS.put("delete", DeleteCommand.class);
    COMMANDS.put("rollout", RolloutCommand.class);
    COMMANDS.put("assign", AssignCommand.class);
    COMMANDS.put("serve", ServeCommand.class);
    COMMANDS.put("dashboard", DashboardCommand.class);
    COMMANDS.put("demo", DemoCommand.class);
    COMMANDS.put("schema", SchemaCommand.class);
    COMMANDS.put("help", CommandLine.HelpCommand.class);
  }

  /**
   * The command line for {@code args}, run with {@code cli}: commands built with it, failures
   * printed as one line.
   */
  public static CommandLine commandLine(Cli cli, String... args) {
    CommandLine commandLine = new CommandLine(new RootCommand(cli), new Factory(cli));
    for (String name : commandsFor(args)) {
      commandLine.addSubcommand(name, COMMANDS.get(name));
    }
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
   * The commands a command line needs: the one it names; none for {@code --version} alone; all of
   * them for help, no command or one that does not exist (so that usage lists them and picocli can
   * suggest the nearest).
   */
  static List<String> commandsFor(String... args) {
    List<String> positional =
        Arrays.stream(args).filter(arg -> !arg.startsWith("-")).limit(1).toList();
    if (!positional.isEmpty()) {
      String named = positional.get(0);
      return COMMANDS.containsKey(named) && !named.equals("help")
          ? List.of(named)
          : List.copyOf(COMMANDS.keySet());
    }
    boolean versionOnly =
        args.length > 0
            && Arrays.stream(args)
                .allMatch(
                    arg -> arg.equals("-V") || arg.equals("--version") || arg.equals("--verbose"))
            && Arrays.stream(args).anyMatch(arg -> !arg.equals("--verbose"));
    return versionOnly ? List.of() : List.copyOf(COMMANDS.keySet());
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
