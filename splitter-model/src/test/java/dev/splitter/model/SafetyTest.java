package dev.splitter.model;

import static dev.splitter.model.ConfigProblems.problemsReading;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetyTest {

  @Test
  void billionLaughsFailsFastWithAClearError() {
    StringBuilder bomb = new StringBuilder("- name: lol\n  kind: RealtimeAPI\n");
    bomb.append("  lol0: &lol0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int level = 1; level < 10; level++) {
      String alias = "*lol" + (level - 1);
      bomb.append("  lol" + level + ": &lol" + level + " [")
          .append(String.join(", ", java.util.Collections.nCopies(9, alias)))
          .append("]\n");
    }

    assertThat(problemsReading(bomb.toString()))
        .containsExactly(
            "cortex.yaml:8:16: aliases expand to more than 100000 nodes; refusing to read further"
                + " (a file like this is an attack, not a configuration)");
  }

  @Test
  void aliasesWithinTheBudgetAreExpanded() {
    SplitterConfig config =
        SplitterConfig.parse(
            """
            - name: a
              kind: RealtimeAPI
              predictor: &predictor {type: python, path: predictor.py}
            - name: b
              kind: RealtimeAPI
              predictor: *predictor
            """,
            "cortex.yaml");

    assertThat(config.realtimeApis().get(1).extra())
        .isEqualTo(Map.of("predictor", Map.of("type", "python", "path", "predictor.py")));
  }

  @Test
  void mergeKeysApplyWithExplicitKeysWinning() {
    SplitterConfig config =
        SplitterConfig.parse(
            """
            - &base
              name: base-api
              kind: RealtimeAPI
              networking: {api_gateway: none}
            - <<: *base
              name: derived-api
            """,
            "cortex.yaml");

    assertThat(config.realtimeApis().get(1))
        .isEqualTo(
            new RealtimeApi(
                "derived-api", new Networking("/derived-api", ApiGateway.NONE), Map.of()));
  }

  @Test
  void anAliasToNoAnchorIsRejected() {
    assertThat(problemsReading("- name: a\n  kind: RealtimeAPI\n  x: *nowhere\n"))
        .containsExactly("cortex.yaml:3:6: alias *nowhere refers to no anchor defined before it");
  }

  @Test
  void deepNestingIsRejected() {
    String deep = "- name: a\n  kind: RealtimeAPI\n  x: " + "[".repeat(100) + "]".repeat(100);

    assertThat(problemsReading(deep))
        .singleElement()
        .asString()
        .startsWith("cortex.yaml:3:")
        .endsWith("the file nests deeper than 64 levels");
  }

  @Test
  void hugeTextIsRejectedBeforeParsing() {
    String huge = "#".repeat(8 * 1024 * 1024 + 1);

    assertThat(problemsReading(huge))
        .containsExactly("cortex.yaml: the file is 8388609 bytes; the limit is 8388608 (8 MiB)");
  }

  @Test
  void hugeFilesAreRejectedWithoutBeingRead(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("huge.yaml");
    try (var channel =
        Files.newByteChannel(
            file,
            java.nio.file.StandardOpenOption.CREATE_NEW,
            java.nio.file.StandardOpenOption.WRITE)) {
      channel.position(1L << 32).write(java.nio.ByteBuffer.wrap(new byte[] {'\n'}));
    }

    assertThatThrownBy(() -> SplitterConfig.load(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageEndingWith(
            "huge.yaml: the file is 4294967297 bytes; the limit is 8388608 (8 MiB)");
  }

  @Test
  void aMissingFileIsAClearError(@TempDir Path dir) {
    assertThatThrownBy(() -> SplitterConfig.load(dir.resolve("nope.yaml")))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageEndingWith("nope.yaml: no such file");
  }

  @Test
  void aFileThatIsNotUtf8IsAClearError(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, new byte[] {'-', ' ', 'n', 'a', 'm', 'e', ':', ' ', (byte) 0xE9});

    assertThatThrownBy(() -> SplitterConfig.load(file))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageEndingWith("latin1.yaml:1:9: the file is not valid UTF-8 (byte 0xE9)");
  }

  @Test
  void unicodeNamesAreReadAsWritten() {
    SplitterConfig config =
        SplitterConfig.parse(
            "- name: modèle-\u00e9t\u00e9\n  kind: RealtimeAPI\n- name: 模型\n  kind: RealtimeAPI\n",
            "cortex.yaml");

    assertThat(config.resources())
        .extracting(ApiResource::name)
        .containsExactly("modèle-été", "模型");
  }

  @Test
  void tenThousandResourcesAreRead() {
    StringBuilder yaml = new StringBuilder();
    for (int i = 0; i < 10_000; i++) {
      yaml.append("- name: api-").append(i).append("\n  kind: RealtimeAPI\n");
    }

    List<ApiResource> resources = SplitterConfig.parse(yaml.toString(), "big.yaml").resources();

    assertThat(resources).hasSize(10_000);
  }
}
