package dev.splitter.model;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import java.util.List;

/** Reads text that must fail, and gives its violations as the lines a user would see. */
final class ConfigProblems {
  private ConfigProblems() {}

  static List<String> problemsReading(String text, String source) {
    return violationsReading(text, source).stream().map(Violation::toString).toList();
  }

  static List<String> problemsReading(String yaml) {
    return problemsReading(yaml, "cortex.yaml");
  }

  static List<Violation> violationsReading(String text, String source) {
    InvalidConfigException[] thrown = new InvalidConfigException[1];
    assertThatThrownBy(() -> SplitterConfig.parse(text, source))
        .isInstanceOfSatisfying(InvalidConfigException.class, e -> thrown[0] = e);
    return thrown[0].violations();
  }
}
