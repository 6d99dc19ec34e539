package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
    // Answered without picocli alone; with another option, by picocli: the same lines.
    assertThat(run("-V").out()).isEqualTo(version.out());
    CliRun throughPicocli = run("--verbose", "--version");
    assertThat(throughPicocli.code()).isZero();
    assertThat(throughPicocli.out()).isEqualTo(version.out());

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
  void anUnknownCommandIsWrongUsageEvenWithHelp() {
    CliRun unknown = run("nosuch", "--help");

    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).contains("Unmatched argument at index 0: 'nosuch'");
    assertThat(unknown.out()).isEmpty();
    assertThat(run("rollout", "nosuch", "extra", "--help").code()).isEqualTo(2);
  }

  @Test
  void everyCommandsHelpRendersWithoutAWarning() {
    PrintStream standardErr = System.err;
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    List<String> commands = new ArrayList<>();
    System.setErr(new PrintStream(warnings, true, StandardCharsets.UTF_8));
    try {
      CliRun root = run("--help");
      assertThat(root.code()).isZero();
      String listed = root.out().substring(root.out().indexOf("Commands:"));
      for (String line : listed.lines().toList()) {
        Matcher command = Pattern.compile("^  ([a-z]+)\\s").matcher(line);
        String name = command.find() ? command.group(1) : "help";
        if (!name.equals("help")) {
          commands.add(name);
          CliRun help = run(name, "--help");
          assertThat(help.code()).as(name).isZero();
          assertThat(help.out()).as(name).startsWith("Usage: splitter " + name);
          assertThat(help.err()).as(name).isEmpty();
        }
      }
    } finally {
      System.setErr(standardErr);
    }

    assertThat(commands)
        .contains(
            "validate",
            "deploy",
            "get",
            "compare",
            "diff",
            "delete",
            "rollout",
            "serve",
            "demo",
            "schema");
    assertThat(warnings.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void validateAndDeployReadTheSameFileByDefault() {
    CliRun validate = run("validate");
    CliRun deploy = run("deploy");

    assertThat(validate.code()).isEqualTo(1);
    assertThat(validate.err()).startsWith("cortex.yaml: ");
    assertThat(deploy.err()).startsWith("cortex.yaml: ");
  }

  @Test
  void validateSaysItRunsOfflineAndReportsJsonForCi() throws Exception {
    assertThat(run("validate", "--help").out().replaceAll("\\s+", " "))
        .contains("Default: none; the check is offline.")
        .doesNotContain("splitter serve");
    Path bad =
        file(
            "bad.yaml",
            "- name: ts\n  kind: TrafficSplitter\n  apis:\n"
                + "    - {name: a, weight: 101}\n    - {name: b, weight: -1}\n");

    CliRun json = run("validate", bad.toString(), "-o", "json", "--known-api", "a");

    assertThat(json.code()).isEqualTo(1);
    assertThat(json.err()).isEmpty();
    com.fasterxml.jackson.databind.JsonNode report =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
    assertThat(report.path("valid").asBoolean(true)).isFalse();
    assertThat(report.path("file").asText()).isEqualTo(bad.toString());
    com.fasterxml.jackson.databind.JsonNode first = report.path("violations").get(0);
    assertThat(first.path("file").asText()).isEqualTo(bad.toString());
    assertThat(first.path("line").asInt()).isEqualTo(4);
    assertThat(first.path("column").asInt()).isPositive();
    assertThat(first.path("resource").asText()).isEqualTo("ts");
    assertThat(first.path("path").asText()).isEqualTo("apis[0].weight");
    assertThat(first.path("code").asText()).isEqualTo("weight.range");
    assertThat(report.path("violations").size()).isGreaterThanOrEqualTo(3);

    CliRun valid = run("validate", EXAMPLE, "-o", "json");
    assertThat(valid.code()).isZero();
    assertThat(
            new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(valid.out())
                .path("valid")
                .asBoolean())
        .isTrue();
  }

  @Test
  void wholeFileProblemsAreSaidInPlainWordsInTheSameFormat() throws IOException {
    Path empty = file("empty.yaml", "");
    Path notUtf8 = home.resolve("latin1.yaml");
    Files.write(notUtf8, "- name: caf\u00e9\n  kind: TrafficSplitter\n".getBytes("ISO-8859-1"));
    Path unreadable = file("secret.yaml", "- name: ts\n");
    unreadable.toFile().setReadable(false, false);

    assertThat(run("validate", empty.toString()).err())
        .isEqualTo(
            empty
                + ": the file is empty; expected a list of resources, each with a name and a"
                + " kind\n");
    assertThat(run("validate", home.toString()).err())
        .isEqualTo(home + ": is a directory, not a configuration file\n");
    assertThat(run("validate", home.resolve("nope.yaml").toString()).err())
        .isEqualTo(home.resolve("nope.yaml") + ": no such file\n");
    assertThat(run("validate", notUtf8.toString()).err())
        .isEqualTo(notUtf8 + ":1:12: the file is not valid UTF-8 (byte 0xE9)\n");
    if (!Files.isReadable(unreadable)) { // root reads anything
      assertThat(run("validate", unreadable.toString()).err())
          .isEqualTo(unreadable + ": permission denied: this user cannot read it\n");
    }
  }

  @Test
  void aDryRunWithNothingToAskPlansAgainstTheFileAloneAndSaysSo() {
    CliRun plan = run("deploy", "--dry-run", EXAMPLE);

    assertThat(plan.code()).isZero();
    assertThat(plan.out())
        .isEqualTo(
            """
            would create my-api (RealtimeAPI)
            would create another-my-api (RealtimeAPI)
            would create traffic-splitter (TrafficSplitter)
              networking.endpoint: /traffic-splitter
              networking.api_gateway: public
              apis[my-api]: weight 20
              apis[another-my-api]: weight 80
            """);
    assertThat(plan.err())
        .isEqualTo(
            "note: no splitter serve is running and no --env was given: planned against the file"
                + " alone, as if nothing were deployed\n");
  }

  @Test
  void aTypeErrorDoesNotHideTheRuleViolationsOfTheRest() throws IOException {
    Path file =
        file(
            "both.yaml",
            """
            - name: ts
              kind: TrafficSplitter
              apis:
                - {name: a, weight: 50.5}
                - {name: b, weight: -1}
            - name: other
              kind: TrafficSplitter
              apis:
                - {name: a, weight: 90}
            """);

    CliRun result = run("validate", file.toString(), "--known-api", "a", "--known-api", "b");

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err())
        .isEqualTo(
            file
                + ":4:25: ts: apis[0].weight: must be an integer from 0 to 100, found the number"
                + " 50.5\n"
                + file
                + ":5:25: ts: apis[1].weight: must be between 0 and 100, found -1\n"
                + file
                + ":9:5: other: apis: expected weights of all non-shadow apis to sum to 100 but"
                + " found 90\n");
    assertThat(run("deploy", file.toString()).err()).contains("50.5", "found -1", "found 90");
  }

  @Test
  void aDurationThatIsNotOneIsAUsageErrorWithExamples() {
    CliRun soon = run("deploy", EXAMPLE, "--timeout=soon");

    assertThat(soon.code()).isEqualTo(2);
    assertThat(soon.err())
        .contains("'soon' is not a duration: write it as 30s, 5m, 1h30m, 500ms or PT5M")
        .doesNotContain("DateTimeParseException");
    assertThat(run("serve", "--help").out()).contains("(default: 500ms)");
    assertThat(run("deploy", "--help").out()).contains("(default: 5m)");
  }

  @Test
  void aKeyHeaderThatIsNoHeaderNameIsOneClearLine() {
    CliRun bad = run("serve", EXAMPLE, "--sample-apis", "--key-header", "User Id");

    assertThat(bad.code()).isEqualTo(1);
    assertThat(bad.err())
        .isEqualTo(
            "error: --key-header: a header name is 1 to 64 lower-case letters, digits or hyphens,"
                + " got User Id\n");
    assertThat(home.resolve("serve.json")).doesNotExist();
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
        .contains("backend must be one of [local, istio, gateway-api, alb, nlb], got nomad");
    assertThat(run("get", "--env", "staging").err()).contains("no environment staging");
  }

  @Test
  void verboseAddsTheStackTrace() {
    assertThat(run("get", "--verbose").err()).contains("\tat dev.splitter.cli");
  }

  @Test
  void theRolloutDemoPromotesOneCandidateAndRollsBackTheOther() {
    CliRun demo = run("demo", "--rollout");

    assertThat(demo.code()).as(demo.err()).isZero();
    assertThat(demo.out())
        .contains(
            "step 3/3: my-api-v2 at 100% (my-api 0, my-api-v2 100)",
            "traffic-splitter: promoted: my-api-v2 promoted at 100% after 3 steps",
            "{\"api\": \"my-api\", \"prediction\": \"ok\"",
            "traffic-splitter: rolled back: max-error-rate",
            "weights restored (my-api 0, my-api-v2 100)",
            "deleted traffic-splitter");
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
            "$ splitter compare traffic-splitter",
            "baseline: another-my-api; traffic since the weights were last written",
            "traffic-splitter (TrafficSplitter) is up to date",
            "deleted traffic-splitter");
  }
}
