package dev.splitter.cli.internal;

import dev.splitter.core.Comparison;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code splitter compare NAME}: is a target better than the baseline? */
@Command(
    name = "compare",
    mixinStandardHelpOptions = true,
    description = {
      "Compares each live target of a splitter with a baseline on the same traffic: requests,"
          + " 5XX rate and its difference from the baseline's, p50 and p95 latency over the"
          + " baseline's, each with an always-valid interval (counted since the weights were"
          + " last written, it may be read at any time, as often as you like), and a verdict:"
          + " better, worse, no difference or not enough data yet."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:compared (whatever the verdicts)", "1:failed", "2:wrong usage"})
final class CompareCommand implements Callable<Integer> {
  private final Cli cli;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "NAME", description = "The deployed splitter.")
  String name;

  @Mixin EnvOption env;

  @Option(
      names = "--baseline",
      paramLabel = "API",
      description = "The target to compare with. Default: the one with the most weight.")
  @Nullable String baseline;

  @Option(
      names = "--since",
      paramLabel = "DURATION",
      description =
          "The traffic to compare: the last 30m, 1h, 1d (a sliding window: each reading holds on"
              + " its own). Default: since the weights were last written.")
  @Nullable Duration since;

  @Option(
      names = "--confidence",
      paramLabel = "PERCENT",
      converter = RolloutCommand.Share.class,
      defaultValue = "95%",
      description = "How sure, over the whole comparison (default: ${DEFAULT-VALUE}).")
  double confidence;

  @Option(
      names = "--error-margin",
      paramLabel = "RATE",
      converter = RolloutCommand.Share.class,
      defaultValue = "0.5%",
      description =
          "A 5XX rate difference within this is no difference (default: ${DEFAULT-VALUE}).")
  double errorMargin;

  @Option(
      names = "--latency-margin",
      paramLabel = "PERCENT",
      converter = RolloutCommand.Share.class,
      defaultValue = "10%",
      description =
          "A latency ratio within this of 1 is no difference (default: ${DEFAULT-VALUE}).")
  double latencyMargin;

  @Option(
      names = {"-o", "--output"},
      defaultValue = "table",
      description = "table, json or yaml (default: ${DEFAULT-VALUE}).")
  GetCommand.Format format;

  CompareCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    Comparison.Options options;
    try {
      options = new Comparison.Options(baseline, since, confidence, errorMargin, 1 + latencyMargin);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), String.valueOf(e.getMessage()));
    }
    try (Backend target = cli.open(env.name)) {
      GetCommand.print(cli, format, target.compare(name, options));
    }
    return 0;
  }
}
