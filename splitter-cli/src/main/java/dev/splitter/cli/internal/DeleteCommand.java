package dev.splitter.cli.internal;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code splitter delete NAME}: the splitter's endpoint and routing object go, its APIs stay. */
@Command(
    name = "delete",
    mixinStandardHelpOptions = true,
    description = "Removes a splitter's endpoint and routing object; its target APIs keep running.")
final class DeleteCommand implements Callable<Integer> {
  private final Cli cli;

  @Parameters(paramLabel = "NAME", description = "The splitter.")
  String name;

  @Mixin EnvOption env;

  DeleteCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() {
    try (Backend target = cli.open(env.name)) {
      target.delete(name).forEach(cli.out()::println);
    }
    cli.out().flush();
    return 0;
  }
}
