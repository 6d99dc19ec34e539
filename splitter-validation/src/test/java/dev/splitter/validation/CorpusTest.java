package dev.splitter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.SplitterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every file under {@code corpus/bad} fails with exactly the lines in its {@code .expected}
 * sibling; every file under {@code corpus/valid} passes. Both load from disk as a user's would.
 */
class CorpusTest {
  private static final Path CORPUS = Path.of("src/test/resources/corpus");
  private static final SplitterValidator VALIDATOR =
      SplitterValidator.builder().knownApis(Set.of("deployed-api")).build();

  @ParameterizedTest(name = "{0}")
  @MethodSource("badFiles")
  void badFilesFailWithTheExpectedViolations(String name) throws IOException {
    Path file = CORPUS.resolve("bad").resolve(name);
    List<String> expected =
        Files.readAllLines(
            CORPUS.resolve("bad").resolve(name.replaceAll("\\.[a-z]+$", ".expected")));

    assertThat(violationsLoading(file)).containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void validFilesPass(String name) {
    assertThat(violationsLoading(CORPUS.resolve("valid").resolve(name))).isEmpty();
  }

  /** Violations of loading and validating, with the file named as the corpus names it. */
  private static List<String> violationsLoading(Path file) {
    List<Violation> violations;
    try {
      violations = VALIDATOR.validate(SplitterConfig.load(file)).violations();
    } catch (InvalidConfigException e) {
      violations = e.violations();
    }
    String prefix = file.getParent() + "/";
    return violations.stream().map(v -> v.toString().replace(prefix, "")).toList();
  }

  static Stream<String> badFiles() throws IOException {
    return configFilesIn(CORPUS.resolve("bad"));
  }

  static Stream<String> validFiles() throws IOException {
    return configFilesIn(CORPUS.resolve("valid"));
  }

  private static Stream<String> configFilesIn(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .map(path -> path.getFileName().toString())
          .filter(name -> name.endsWith(".yaml") || name.endsWith(".json"))
          .sorted()
          .toList()
          .stream();
    }
  }
}
