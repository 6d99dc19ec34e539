package dev.splitter.model;

import static dev.splitter.model.ConfigProblems.problemsReading;
import static dev.splitter.model.ConfigProblems.violationsReading;
import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.Violation;
import org.junit.jupiter.api.Test;

class StrictInputTest {

  @Test
  void unknownKeyNearAKnownOneSuggestsIt() {
    assertThat(
            problemsReading(
                """
                - name: ts
                  kind: TrafficSplitter
                  apis:
                    - name: a
                      weight: 100
                      wieght: 100
                """))
        .containsExactly(
            "cortex.yaml:6:7: ts: apis[0].wieght: unknown key 'wieght'; did you mean 'weight'?");
  }

  @Test
  void unknownKeyFarFromAnyListsTheKnownOnes() {
    assertThat(
            problemsReading(
                """
                - name: ts
                  kind: TrafficSplitter
                  color: blue
                  apis: [{name: a, weight: 100}]
                """))
        .containsExactly(
            "cortex.yaml:3:3: ts: color: unknown key 'color'; expected one of name, kind,"
                + " networking, apis");
  }

  @Test
  void unknownNetworkingKeyIsRejectedInRealtimeApisToo() {
    assertThat(
            problemsReading(
                """
                - name: api
                  kind: RealtimeAPI
                  networking:
                    endpiont: /x
                """))
        .containsExactly(
            "cortex.yaml:4:5: api: networking.endpiont: unknown key 'endpiont'; did you mean"
                + " 'endpoint'?");
  }

  @Test
  void duplicateKeysAreReportedAtTheSecondOne() {
    assertThat(
            problemsReading(
                """
                - name: ts
                  kind: TrafficSplitter
                  apis:
                    - name: a
                      weight: 20
                      weight: 100
                """))
        .containsExactly(
            "cortex.yaml:6:7: ts: apis[0].weight: duplicate key 'weight' (first at line 5); keep"
                + " only one");
  }

  @Test
  void duplicateKeysAreReportedInJsonToo() {
    assertThat(
            problemsReading(
                "[{\"name\": \"a\", \"kind\": \"RealtimeAPI\", \"kind\": \"RealtimeAPI\"}]",
                "cortex.json"))
        .containsExactly(
            "cortex.json:1:39: a: kind: duplicate key 'kind' (first at line 1); keep only one");
  }

  @Test
  void wrongTypesNameWhatWasFound() {
    assertThat(
            problemsReading(
                """
                - name: 42
                  kind: TrafficSplitter
                  networking: [/x]
                  apis:
                    - name: a
                      weight: "eighty"
                    - name: b
                      weight: 20.5
                    - name: c
                      weight: 20
                      shadow: maybe
                - name: ts2
                  kind: TrafficSplitter
                  apis:
                    a: 100
                """))
        .containsExactly(
            "cortex.yaml:1:9: resources[0]: name: must be a string, found the integer 42",
            "cortex.yaml:3:15: resources[0]: networking: must be a mapping, found a list",
            "cortex.yaml:6:15: resources[0]: apis[0].weight: must be an integer from 0 to 100,"
                + " found the string \"eighty\"",
            "cortex.yaml:8:15: resources[0]: apis[1].weight: must be an integer from 0 to 100,"
                + " found the number 20.5",
            "cortex.yaml:11:15: resources[0]: apis[2].shadow: must be true or false, found the"
                + " string \"maybe\"",
            "cortex.yaml:15:5: ts2: apis: must be a list of apis, found a mapping");
  }

  @Test
  void weightTooLargeForAnIntegerIsOutOfRange() {
    assertThat(
            problemsReading(
                """
                - name: ts
                  kind: TrafficSplitter
                  apis: [{name: a, weight: 100000000000000000000}]
                """))
        .containsExactly(
            "cortex.yaml:3:28: ts: apis[0].weight: must be between 0 and 100, found"
                + " 100000000000000000000");
  }

  @Test
  void apiGatewayTakesOnlyPublicOrNone() {
    assertThat(
            problemsReading(
                """
                - name: ts
                  kind: TrafficSplitter
                  networking: {api_gateway: private}
                  apis: [{name: a, weight: 100}]
                """))
        .containsExactly(
            "cortex.yaml:3:29: ts: networking.api_gateway: must be public or none, found"
                + " the string \"private\"");
  }

  @Test
  void missingRequiredKeysAreEachReported() {
    assertThat(
            problemsReading(
                """
                - kind: TrafficSplitter
                  apis:
                    - weight: 100
                    - name: b
                - name: ts
                  kind: TrafficSplitter
                - name: x
                """))
        .containsExactly(
            "cortex.yaml:1:3: resources[0]: name: is required",
            "cortex.yaml:3:7: resources[0]: apis[0].name: is required",
            "cortex.yaml:4:7: resources[0]: apis[1].weight: is required: an integer from 0 to"
                + " 100",
            "cortex.yaml:5:3: ts: apis: is required: list the Realtime APIs to route to",
            "cortex.yaml:7:3: x: kind: is required");
  }

  @Test
  void aFileThatIsNotAListSaysWhatItFound() {
    assertThat(problemsReading("name: ts\nkind: TrafficSplitter\n"))
        .containsExactly(
            "cortex.yaml:1:1: expected a list of resources (each starting with '- name:'), found"
                + " a mapping");
  }

  @Test
  void anEmptyFileIsRejected() {
    assertThat(problemsReading(""))
        .containsExactly(
            "cortex.yaml: the file is empty; expected a list of resources, each with a name and a"
                + " kind");
    assertThat(problemsReading("# only a comment\n"))
        .containsExactly(
            "cortex.yaml: the file is empty; expected a list of resources, each with a name and a"
                + " kind");
  }

  @Test
  void aResourceThatIsNotAMappingIsRejected() {
    assertThat(problemsReading("- just a string\n"))
        .containsExactly(
            "cortex.yaml:1:3: resources[0]: expected a resource with a name and a kind, found the"
                + " string \"just a string\"");
  }

  @Test
  void kindsOtherThanTrafficSplitterAndRealtimeApiAreRejected() {
    assertThat(
            problemsReading(
                """
                - name: batch
                  kind: BatchAPI
                - name: typo
                  kind: TraficSplitter
                - name: other
                  kind: Deployment
                """))
        .containsExactly(
            "cortex.yaml:2:9: batch: kind: kind BatchAPI is not supported: splitter deploys"
                + " TrafficSplitter resources and reads RealtimeAPI resources as their targets",
            "cortex.yaml:4:9: typo: kind: unknown kind \"TraficSplitter\"; did you mean"
                + " TrafficSplitter?",
            "cortex.yaml:6:9: other: kind: unknown kind \"Deployment\"; expected TrafficSplitter"
                + " or RealtimeAPI");
  }

  @Test
  void syntaxErrorsCarryTheirPosition() {
    assertThat(problemsReading("- name: ts\n  kind: [TrafficSplitter\n"))
        .containsExactly(
            "cortex.yaml:3:1: expected ',' or ']', but got <stream end> (while parsing a flow"
                + " sequence)");
  }

  @Test
  void moreThanOneYamlDocumentIsRejected() {
    assertThat(
            problemsReading(
                """
                - name: a
                  kind: RealtimeAPI
                ---
                - name: b
                  kind: RealtimeAPI
                """))
        .containsExactly(
            "cortex.yaml:4:1: the file holds more than one YAML document; put every resource in"
                + " one list");
  }

  @Test
  void yamlTagsNeverCreateTypes() {
    assertThat(
            problemsReading(
                """
                - name: !!java.net.URL http://example.com
                  kind: RealtimeAPI
                  predictor: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[]]]
                """))
        .containsExactly(
            "cortex.yaml:1:9: http://example.com: name: YAML tag 'tag:yaml.org,2002:java.net.URL' is"
                + " not supported; remove it (values are plain data)",
            "cortex.yaml:3:14: http://example.com: predictor: YAML tag"
                + " 'tag:yaml.org,2002:javax.script.ScriptEngineManager' is not supported; remove"
                + " it (values are plain data)",
            "cortex.yaml:3:50: http://example.com: predictor[0]: YAML tag"
                + " 'tag:yaml.org,2002:java.net.URLClassLoader' is not supported; remove it"
                + " (values are plain data)");
  }

  @Test
  void coreYamlTagsAreAccepted() {
    SplitterConfig config =
        SplitterConfig.parse(
            """
            - name: !!str ts
              kind: TrafficSplitter
              apis: [{name: a, weight: !!int 100}]
            """,
            "cortex.yaml");

    assertThat(config.trafficSplitters().get(0).apis().get(0).weight()).isEqualTo(100);
  }

  @Test
  void everyViolationHasAStableCode() {
    assertThat(
            violationsReading(
                    """
                    - name: ts
                      kind: TrafficSplitter
                      apis: [{name: a, weight: x, wieght: 1}]
                    """,
                    "cortex.yaml")
                .stream()
                .map(Violation::code))
        .containsExactly("type", "key.unknown");
  }
}
