package dev.splitter.cli.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.ApiResource;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.validation.SplitterValidator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * The checks the command makes of a file on its own, with no environment: reading it, then every
 * rule. A file that cannot be read whole is still checked by the rules where it could be read, so
 * one run reports every problem.
 */
final class OfflineChecks {
  private OfflineChecks() {}

  /**
   * Reads the text.
   *
   * @throws InvalidConfigException with the reading problems and, where the rest could be read, the
   *     rule violations in it
   */
  static SplitterConfig parse(String text, String source, List<String> knownApis) {
    try {
      return SplitterConfig.parse(text, source);
    } catch (InvalidConfigException problems) {
      throw problems
          .partial()
          .map(partial -> SplitterValidator.combine(problems, offline(partial, knownApis)))
          .orElse(problems);
    }
  }

  /**
   * Every rule, offline: a target the file does not define is taken as deployed unless {@code
   * knownApis} names the deployed ones.
   */
  static List<Violation> offline(SplitterConfig config, List<String> knownApis) {
    Set<String> known = knownApis.isEmpty() ? undefinedTargets(config) : Set.copyOf(knownApis);
    return SplitterValidator.builder().knownApis(known).build().validate(config).violations();
  }

  /** The targets the file names but does not define (a splitter is never one). */
  static Set<String> undefinedTargets(SplitterConfig config) {
    Set<String> defined =
        config.resources().stream().map(ApiResource::name).collect(Collectors.toSet());
    return config.trafficSplitters().stream()
        .flatMap(splitter -> splitter.apis().stream())
        .map(TargetApi::name)
        .filter(name -> !defined.contains(name))
        .collect(Collectors.toCollection(TreeSet::new));
  }
}
