package dev.splitter.examples;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.ApiResource;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.validation.SplitterValidator;
import dev.splitter.validation.ValidationReport;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Loads a Cortex configuration file, validates it, and prints what it holds or what is wrong.
 *
 * <p>Usage: {@code ValidateConfig FILE [KNOWN_API...]}, where each KNOWN_API is a Realtime API
 * already deployed. Exits 0 when the file is valid, 1 when it is not.
 */
public final class ValidateConfig {
  // Held so the setting outlives garbage collection: JUL keeps loggers weakly.
  private static final Logger HIBERNATE_VALIDATOR = Logger.getLogger("org.hibernate.validator");

  private ValidateConfig() {}

  public static void main(String[] args) {
    HIBERNATE_VALIDATOR.setLevel(Level.WARNING); // its version banner is noise in a terminal
    if (args.length == 0) {
      System.err.println("usage: ValidateConfig FILE [KNOWN_API...]");
      System.exit(2);
    }
    Path file = Path.of(args[0]);
    SplitterValidator validator =
        SplitterValidator.builder().knownApis(List.of(args).subList(1, args.length)).build();
    List<Violation> violations;
    SplitterConfig config = null;
    try {
      config = SplitterConfig.load(file);
      ValidationReport report = validator.validate(config);
      violations = report.violations();
    } catch (InvalidConfigException e) {
      violations = e.violations();
    }
    if (!violations.isEmpty()) {
      violations.forEach(System.err::println);
      System.err.println(violations.size() + (violations.size() == 1 ? " problem" : " problems"));
      System.exit(1);
    }
    System.out.println(file + ": " + config.resources().size() + " resources");
    config.resources().forEach(resource -> System.out.println("  " + describe(resource)));
    System.out.println("valid: every Cortex rule passes");
  }

  private static String describe(ApiResource resource) {
    String line =
        String.format(
            "%-16s %-18s endpoint %s, api_gateway %s",
            resource.kind().yamlName(),
            resource.name(),
            resource.networking().endpoint(),
            resource.networking().apiGateway().yamlName());
    if (resource instanceof TrafficSplitter splitter) {
      line +=
          splitter.apis().stream()
              .map(ValidateConfig::describe)
              .collect(Collectors.joining(" ", "\n    routes to ", ""));
    }
    return line;
  }

  private static String describe(TargetApi api) {
    return api.name() + ":" + api.weight() + (api.shadow() ? " (shadow)" : "");
  }
}
