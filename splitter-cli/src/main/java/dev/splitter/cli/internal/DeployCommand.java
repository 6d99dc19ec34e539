package dev.splitter.cli.internal;

import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code splitter deploy [FILE]}: created / updated / up to date per resource, then live targets.
 */
@Command(
    name = "deploy",
    mixinStandardHelpOptions = true,
    description = {
      "Deploys a configuration file: one line per resource, created, updated or up to date.",
      "The whole file is validated first; nothing is written if anything is wrong."
    })
final class DeployCommand implements Callable<Integer> {
  private final Cli cli;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..1",
      defaultValue = "cortex.yaml",
      description = "The Cortex configuration file (default: ${DEFAULT-VALUE}).")
  Path file;

  @Mixin EnvOption env;

  @Option(names = "--dry-run", description = "Print the plan and its diff; write nothing.")
  boolean dryRun;

  @Option(
      names = "--wait",
      arity = "0..1",
      defaultValue = "true",
      fallbackValue = "true",
      description =
          "Wait until every target that takes traffic is live (default: ${DEFAULT-VALUE}).")
  boolean await;

  @Option(
      names = "--timeout",
      defaultValue = "PT5M",
      description = "How long to wait, ISO-8601 (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  DeployCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    String text = SplitterConfig.readText(file);
    SplitterConfig config = SplitterConfig.parse(text, file.toString()); // told here and now
    try (Target target = cli.open(env.name)) {
      Views.Deployed result = target.deploy(config, text, dryRun);
      if (dryRun) {
        cli.out().print(result.plan());
        cli.out().flush();
        return 0;
      }
      result.messages().forEach(cli.out()::println);
      result.warnings().forEach(warning -> cli.err().println("warning: " + warning));
      cli.out().flush();
      if (await) {
        List<String> names = config.trafficSplitters().stream().map(TrafficSplitter::name).toList();
        new LiveWaiter(cli, target).await(names, timeout);
      }
    }
    return 0;
  }
}
