package dev.splitter.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code splitter diff NAME}: where the shadow disagreed with the live targets. */
@Command(
    name = "diff",
    mixinStandardHelpOptions = true,
    description = {
      "Shows the latest requests whose shadow answer disagreed with the live one, newest first:"
          + " the request (cut short), both answers and their statuses and times, and the JSON"
          + " paths where they differ. Only the local gateway (`splitter serve`) sees both"
          + " answers; `get` shows the agreement rate and the paths that differ most."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:shown (whether or not there were any)", "1:failed", "2:wrong usage"})
final class DiffCommand implements Callable<Integer> {
  private final Cli cli;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The deployed splitter.")
  String name;

  @Mixin EnvOption env;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "20",
      description = "The most pairs to show, 1 to 100 (default: ${DEFAULT-VALUE}).")
  int limit;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  GetCommand.Format format;

  DiffCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    if (limit < 1 || limit > 100) {
      throw new ParameterException(
          spec.commandLine(), "--limit must be 1 to 100 (the gateway keeps 100), got " + limit);
    }
    try (Backend target = cli.open(env.name)) {
      GetCommand.print(cli, format, target.diff(name, limit));
    }
    return 0;
  }
}
