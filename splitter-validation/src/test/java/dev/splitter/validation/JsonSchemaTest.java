package dev.splitter.validation;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.SplitterConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The published JSON Schema accepts what the reader and validator accept, and no more. */
class JsonSchemaTest {
  private static final Path CORPUS = Path.of("src/test/resources/corpus");

  /** Files the schema cannot judge: YAML that does not parse, or is refused before it is a tree. */
  private static final Set<String> NOT_A_TREE =
      Set.of("syntax.yaml", "billion-laughs.yaml", "duplicate-keys.yaml");

  private static final Schema SCHEMA =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(SplitterConfig.jsonSchema(), InputFormat.JSON);

  private static final SplitterValidator VALIDATOR =
      SplitterValidator.builder().knownApis(Set.of("a", "b")).build();

  static Stream<Path> validFiles() throws IOException {
    return Stream.concat(
        files(CORPUS.resolve("valid")),
        Stream.of(Path.of("../examples/traffic-splitter/cortex.yaml")));
  }

  static Stream<Path> structurallyBadFiles() throws IOException {
    return files(CORPUS.resolve("bad"))
        .filter(file -> !NOT_A_TREE.contains(file.getFileName().toString()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("validFiles")
  void everyValidFilePassesTheSchema(Path file) throws IOException {
    assertThat(errors(Files.readString(file), file)).isEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("structurallyBadFiles")
  void everyBadFileThatIsATreeFailsTheSchema(Path file) throws IOException {
    assertThat(errors(Files.readString(file), file)).isNotEmpty();
  }

  @ParameterizedTest(name = "name \"{0}\"")
  @ValueSource(
      strings = {
        "a",
        "ab",
        "a-b",
        "a1",
        "traffic-splitter",
        "abcdefghijabcdefghijabcdefghijabcdefghijab",
        "abcdefghijabcdefghijabcdefghijabcdefghijabc",
        "",
        "A",
        "1a",
        "a-",
        "-a",
        "a_b",
        "a.b",
        "ab ",
        "модель",
        "ts-é"
      })
  void theSchemaAndTheValidatorAgreeOnNames(String name) {
    String yaml =
        "- name: \"" + name + "\"\n  kind: TrafficSplitter\n  apis: [{name: a, weight: 100}]\n";
    assertThat(errors(yaml, Path.of("names.yaml")).isEmpty())
        .as("the schema accepts %s", name)
        .isEqualTo(validatorAccepts(yaml, "name"));
  }

  @ParameterizedTest(name = "endpoint \"{0}\"")
  @ValueSource(
      strings = {
        "/ts",
        "ts",
        "/ts/",
        "/a/b.c_d-e",
        "/A9",
        "",
        "/",
        "//",
        "///",
        "/a//b",
        "//a",
        "/a b",
        "/a?b",
        "/ünïcode",
        "/a%20"
      })
  void theSchemaAndTheValidatorAgreeOnEndpoints(String endpoint) {
    String yaml =
        "- name: ts\n  kind: TrafficSplitter\n  networking: {endpoint: \""
            + endpoint
            + "\"}\n  apis: [{name: a, weight: 100}]\n";
    assertThat(errors(yaml, Path.of("endpoints.yaml")).isEmpty())
        .as("the schema accepts %s", endpoint)
        .isEqualTo(validatorAccepts(yaml, "networking.endpoint"));
  }

  @Test
  void realtimeApisKeepTheirOwnKeysButSplittersDoNot() {
    assertThat(
            errors(
                "- {name: a, kind: RealtimeAPI, predictor: {type: python}, compute: {cpu: 1}}\n",
                Path.of("a.yaml")))
        .isEmpty();
    assertThat(
            errors(
                "- {name: ts, kind: TrafficSplitter, predictor: {}, apis: [{name: a, weight: 100}]}\n",
                Path.of("a.yaml")))
        .isNotEmpty();
  }

  private static boolean validatorAccepts(String yaml, String path) {
    try {
      List<Violation> violations =
          VALIDATOR.validate(SplitterConfig.parse(yaml, "test.yaml")).violations();
      return violations.stream().noneMatch(violation -> violation.path().equals(path));
    } catch (InvalidConfigException e) {
      return false;
    }
  }

  private static List<Error> errors(String text, Path file) {
    InputFormat format = file.toString().endsWith(".json") ? InputFormat.JSON : InputFormat.YAML;
    return SCHEMA.validate(text, format);
  }

  private static Stream<Path> files(Path directory) throws IOException {
    try (Stream<Path> listing = Files.list(directory)) {
      return listing
          .filter(file -> file.toString().endsWith(".yaml") || file.toString().endsWith(".json"))
          .sorted()
          .toList()
          .stream();
    }
  }
}
