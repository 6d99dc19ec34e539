package dev.splitter.cli.internal;

import dev.splitter.core.Plan;
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

  @Option(
      names = "--dry-run",
      description =
          "Print what a deploy would do (would create / would update / up to date, with the"
              + " differences) and write nothing; with no environment to ask, plan against the"
              + " file alone.")
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
      defaultValue = "5m",
      description = "How long to wait: 30s, 5m, 1h30m (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  DeployCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    String text = SplitterConfig.readText(file);
    // Told here and now, every problem at once.
    SplitterConfig config = OfflineChecks.parse(text, file.toString(), List.of());
    if (dryRun && env.name == null && ServeInfo.read(cli.home()).isEmpty()) {
      Plan plan = OfflinePlan.of(config);
      cli.err()
          .println(
              "note: no splitter serve is running and no --env was given: planned against the"
                  + " file alone, as if nothing were deployed");
      plan.warnings().forEach(warning -> cli.err().println("warning: " + warning));
      cli.out().print(plan);
      cli.out().flush();
      return 0;
    }
    try (Backend target = cli.open(env.name)) {
      Views.Deployed result = target.deploy(config, text, dryRun);
      if (dryRun) {
        result.warnings().forEach(warning -> cli.err().println("warning: " + warning));
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
