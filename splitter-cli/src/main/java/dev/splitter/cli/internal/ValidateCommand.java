package dev.splitter.cli.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.SplitterConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code splitter validate [FILE]}: every violation with its position, writing nothing. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Checks a configuration file against every rule, writing nothing. Offline unless --env is"
          + " given.",
      "Exit 0 when valid; 1 with each violation on stderr as file:line:column: resource: path:"
          + " message (with -o json, all of it as JSON on stdout).",
      "Without --env or --known-api, targets the file does not define are not checked (a"
          + " warning); with either, an unknown target is an error."
    })
final class ValidateCommand implements Callable<Integer> {
  /** Accepted in any case: {@code -o json}. */
  enum Format {
    TEXT,
    JSON
  }

  private final Cli cli;

  @Parameters(
      paramLabel = "FILE",
      arity = "0..1",
      defaultValue = "cortex.yaml",
      description = "The Cortex configuration file (default: ${DEFAULT-VALUE}).")
  Path file;

  @Option(
      names = "--env",
      paramLabel = "NAME",
      description =
          "Also check against this environment of ~/.splitter/environments.yaml (or"
              + " $SPLITTER_CONFIG): its Realtime APIs, its backend's limits and its endpoints,"
              + " as a dry-run deploy would. Default: none; the check is offline.")
  @Nullable String env;

  @Option(
      names = "--known-api",
      paramLabel = "NAME",
      description = "A Realtime API known to be deployed (repeatable; for offline CI checks).")
  List<String> knownApis = List.of();

  @Option(
      names = {"-o", "--output"},
      defaultValue = "text",
      description =
          "text, or json: {file, valid, violations: [{file, line, column, resource, path, code,"
              + " message}], warnings} on stdout, for CI annotations (default: ${DEFAULT-VALUE}).")
  Format format;

  ValidateCommand(Cli cli) {
    this.cli = cli;
  }

  /** What {@code -o json} prints. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  record Report(String file, boolean valid, List<Problem> violations, List<String> warnings) {
    static Report of(String file, List<Violation> violations, List<String> warnings) {
      return new Report(
          file, violations.isEmpty(), violations.stream().map(Problem::of).toList(), warnings);
    }
  }

  /** One violation as data; line and column 0 when unknown. */
  record Problem(
      String file,
      int line,
      int column,
      String resource,
      String path,
      String code,
      String message) {
    static Problem of(Violation v) {
      return new Problem(
          v.source(), v.line(), v.column(), v.resource(), v.path(), v.code(), v.message());
    }
  }

  @Override
  public Integer call() throws Exception {
    List<String> warnings = new ArrayList<>();
    SplitterConfig config;
    try {
      config = check(warnings);
    } catch (InvalidConfigException invalid) {
      if (format == Format.JSON) {
        print(Report.of(file.toString(), invalid.violations(), warnings));
        return 1;
      }
      warnings.forEach(warning -> cli.err().println("warning: " + warning));
      throw invalid;
    }
    if (format == Format.JSON) {
      print(Report.of(file.toString(), List.of(), warnings));
      return 0;
    }
    warnings.forEach(warning -> cli.err().println("warning: " + warning));
    cli.out().println(file + " is valid (" + describe(config) + ")");
    return 0;
  }

  /** Reads and checks the file; what is not wrong but deserves a look goes to {@code warnings}. */
  private SplitterConfig check(List<String> warnings) throws Exception {
    String text = SplitterConfig.readText(file);
    SplitterConfig config = OfflineChecks.parse(text, file.toString(), knownApis);
    if (env != null) {
      try (Backend target = cli.open(env)) {
        warnings.addAll(target.deploy(config, text, true).warnings());
      }
      return config;
    }
    List<Violation> violations = OfflineChecks.offline(config, knownApis);
    Set<String> unchecked = OfflineChecks.undefinedTargets(config);
    if (knownApis.isEmpty() && !unchecked.isEmpty()) {
      warnings.add(
          file
              + ": not checked, not defined in the file: "
              + String.join(", ", unchecked)
              + " (use --env or --known-api to check them)");
    }
    if (!violations.isEmpty()) {
      throw new InvalidConfigException(violations);
    }
    return config;
  }

  private void print(Report report) throws Exception {
    cli.out().println(Json.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(report));
    cli.out().flush();
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
