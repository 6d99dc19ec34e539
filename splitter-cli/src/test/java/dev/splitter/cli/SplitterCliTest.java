package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commands in this process: usage, exit codes, validate, and errors without a backend. */
class SplitterCliTest {
  private static final String EXAMPLE = "../examples/traffic-splitter/cortex.yaml";

  @TempDir Path home;

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }

  private Path file(String name, String yaml) throws IOException {
    Path file = home.resolve(name);
    Files.writeString(file, yaml);
    return file;
  }

  @Test
  void versionAndHelp() {
    CliRun version = run("--version");
    assertThat(version.code()).isZero();
    assertThat(version.out()).startsWith("splitter 0.1.0-SNAPSHOT");

    CliRun help = run("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out())
        .contains("validate", "deploy", "get", "delete", "serve", "demo", "schema");
    for (String command :
        new String[] {"validate", "deploy", "get", "delete", "serve", "demo", "schema"}) {
      assertThat(run(command, "--help").out()).as(command).contains("Usage: splitter " + command);
    }
  }

  @Test
  void schemaPrintsTheJsonSchemaOfConfigurationFiles() {
    CliRun result = run("schema");

    assertThat(result.code()).isZero();
    assertThat(result.out())
        .isEqualTo(dev.splitter.model.SplitterConfig.jsonSchema())
        .contains("\"$schema\": \"https://json-schema.org/draft/2020-12/schema\"");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void wrongUsageExitsWithTwo() {
    assertThat(run().code()).isEqualTo(2);
    assertThat(run("deploy", "--bogus").code()).isEqualTo(2);
    assertThat(run("get", "-o", "xml").err()).contains("Invalid value for option '--output'");
    assertThat(run("frobnicate").code()).isEqualTo(2);
  }

  @Test
  void aValidFileIsSaidToBeValid() {
    CliRun result = run("validate", EXAMPLE);

    assertThat(result.code()).isZero();
    assertThat(result.out()).isEqualTo(EXAMPLE + " is valid (1 TrafficSplitter, 2 RealtimeAPIs)\n");
    assertThat(result.err()).isEmpty();
  }

  @Test
  void everyViolationIsPrintedWithItsPosition() throws IOException {
    Path bad =
        file(
            "bad.yaml",
            """
            - name: Traffic_Splitter
              kind: TrafficSplitter
              apis:
                - name: a
                  weight: 101
                - name: b
                  weight: -1
            """);

    CliRun result = run("validate", bad.toString(), "--known-api", "a", "--known-api", "b");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.out()).isEmpty();
    assertThat(result.err().lines())
        .hasSizeGreaterThanOrEqualTo(3)
        .allMatch(line -> line.startsWith(bad + ":"))
        .anyMatch(line -> line.contains(":1:9: ") && line.contains("name"))
        .anyMatch(line -> line.contains(":5:15: ") && line.contains("apis[0].weight"))
        .anyMatch(line -> line.contains(":7:15: ") && line.contains("apis[1].weight"));
  }

  @Test
  void targetsOutsideTheFileAreUncheckedWithoutACatalog() throws IOException {
    Path file =
        file(
            "ts.yaml",
            """
            - name: ts
              kind: TrafficSplitter
              apis:
                - {name: deployed-api, weight: 100}
            """);

    CliRun unchecked = run("validate", file.toString());
    CliRun checked = run("validate", file.toString(), "--known-api", "other");

    assertThat(unchecked.code()).isZero();
    assertThat(unchecked.err())
        .contains("warning: " + file + ": not checked, not defined in the file: deployed-api");
    assertThat(checked.code()).isEqualTo(1);
    assertThat(checked.err()).contains("apis[0].name", "deployed-api");
  }

  @Test
  void aStructuralProblemIsReportedBeforeAnyBackendIsAsked() throws IOException {
    Path file = file("dup.yaml", "- name: ts\n  name: again\n  kind: TrafficSplitter\n");

    CliRun result = run("deploy", file.toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            file
                + ":1:3: ts: apis: is required: list the Realtime APIs to route to\n"
                + file
                + ":2:3: ts: name: duplicate key 'name' (first at line 1); keep only one\n");
  }

  @Test
  void withoutARunningServeTheLocalCommandsSayHowToStartOne() {
    for (String[] args :
        new String[][] {{"deploy", EXAMPLE}, {"get"}, {"get", "x"}, {"delete", "x"}}) {
      CliRun result = run(args);
      assertThat(result.code()).as(String.join(" ", args)).isEqualTo(1);
      assertThat(result.err())
          .isEqualTo(
              "error: no splitter serve is running: start one with `splitter serve"
                  + " cortex.yaml`\n");
    }
  }

  @Test
  void environmentsFileProblemsAreOneClearLine() throws IOException {
    assertThat(run("get", "--env", "prod").err())
        .startsWith("error: no environments file at " + home.resolve("environments.yaml"));

    file("environments.yaml", "environments:\n  prod: {backend: istio, namespce: x}\n");
    CliRun typo = run("get", "--env", "prod");
    assertThat(typo.code()).isEqualTo(1);
    assertThat(typo.err()).contains("namespce").doesNotContain("\tat ");

    file("environments.yaml", "environments:\n  prod: {backend: nomad}\n");
    assertThat(run("get", "--env", "prod").err())
        .contains("backend must be one of [local, istio, gateway-api, alb], got nomad");
    assertThat(run("get", "--env", "staging").err()).contains("no environment staging");
  }

  @Test
  void verboseAddsTheStackTrace() {
    assertThat(run("get", "--verbose").err()).contains("\tat dev.splitter.cli");
  }

  @Test
  void theDemoRunsTheReferencePage() {
    CliRun demo = run("demo", "--predictions", "200");

    assertThat(demo.code()).isZero();
    assertThat(demo.out())
        .contains(
            "created traffic-splitter (TrafficSplitter)",
            "200 predictions",
            "another-my-api",
            "traffic-splitter (TrafficSplitter) is up to date",
            "deleted traffic-splitter");
  }
}
