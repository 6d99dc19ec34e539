package dev.splitter.cli.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.ApiResource;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.validation.SplitterValidator;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code splitter validate FILE}: every violation with its position, writing nothing. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a configuration file against every rule, writing nothing.",
      "Exit 0 when valid; 1 with each violation on stderr as file:line:column: resource: path:"
          + " message.",
      "Without --env or --known-api, targets the file does not define are not checked (a"
          + " warning); with either, an unknown target is an error."
    })
final class ValidateCommand implements Callable<Integer> {
  private final Cli cli;

  @Parameters(paramLabel = "FILE", description = "The Cortex configuration file.")
  Path file;

  @Mixin EnvOption env;

  @Option(
      names = "--known-api",
      paramLabel = "NAME",
      description = "A Realtime API known to be deployed (repeatable; for offline CI checks).")
  List<String> knownApis = List.of();

  ValidateCommand(Cli cli) {
    this.cli = cli;
  }

  @Override
  public Integer call() throws Exception {
    String text = SplitterConfig.readText(file);
    SplitterConfig config = SplitterConfig.parse(text, file.toString());
    if (env.name != null) {
      try (Target target = cli.open(env.name)) {
        Views.Deployed plan = target.deploy(config, text, true);
        plan.warnings().forEach(warning -> cli.err().println("warning: " + warning));
      }
    } else {
      // Names the file defines are checked by the file's own rules (a splitter is never a target).
      Set<String> fileApis =
          config.resources().stream().map(ApiResource::name).collect(Collectors.toSet());
      Set<String> unchecked = new TreeSet<>();
      config.trafficSplitters().stream()
          .flatMap(splitter -> splitter.apis().stream())
          .map(TargetApi::name)
          .filter(name -> !fileApis.contains(name))
          .forEach(unchecked::add);
      Set<String> known = knownApis.isEmpty() ? unchecked : Set.copyOf(knownApis);
      List<Violation> violations =
          SplitterValidator.builder().knownApis(known).build().validate(config).violations();
      if (!violations.isEmpty()) {
        throw new InvalidConfigException(violations);
      }
      if (knownApis.isEmpty() && !unchecked.isEmpty()) {
        cli.err()
            .println(
                "warning: "
                    + file
                    + ": not checked, not defined in the file: "
                    + String.join(", ", unchecked)
                    + " (use --env or --known-api to check them)");
      }
    }
    cli.out().println(file + " is valid (" + describe(config) + ")");
    return 0;
  }

  private static String describe(SplitterConfig config) {
    int splitters = config.trafficSplitters().size();
    int apis = config.realtimeApis().size();
    return plural(splitters, "TrafficSplitter") + ", " + plural(apis, "RealtimeAPI");
  }

  private static String plural(int count, String kind) {
    return count + " " + kind + (count == 1 ? "" : "s");
  }
}
