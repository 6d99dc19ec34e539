package dev.splitter.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SplitterValidatorTest {
  private static final SplitterValidator VALIDATOR =
      SplitterValidator.builder().knownApis(Set.of("a", "b", "c", "deployed")).build();

  private static List<String> violationsOf(String yaml) {
    return violationsOf(VALIDATOR, yaml);
  }

  private static List<String> violationsOf(SplitterValidator validator, String yaml) {
    return validator.validate(SplitterConfig.parse(yaml, "cortex.yaml")).violations().stream()
        .map(Violation::toString)
        .toList();
  }

  private static String splitterWith(String apis) {
    return "- name: ts\n  kind: TrafficSplitter\n  apis:\n" + apis;
  }

  @Test
  void theReferenceExampleIsValid() {
    SplitterConfig config =
        SplitterConfig.load(Path.of("../examples/traffic-splitter/cortex.yaml"));

    assertThat(SplitterValidator.create().validate(config).valid()).isTrue();
  }

  @Test
  void namesMustBeDnsLabels() {
    assertThat(
            violationsOf(
                "- {name: My_Api, kind: RealtimeAPI}\n- {name: 1api, kind: RealtimeAPI}\n"
                    + "- {name: api-, kind: RealtimeAPI}\n- {name: modèle, kind: RealtimeAPI}\n"
                    + "- {name: ok-api-2, kind: RealtimeAPI}\n"))
        .containsExactly(
            "cortex.yaml:1:10: My_Api: name: must contain only lower case letters, numbers, and"
                + " dashes, start with a letter, and cannot end with a dash, found \"My_Api\"",
            "cortex.yaml:2:10: 1api: name: must contain only lower case letters, numbers, and"
                + " dashes, start with a letter, and cannot end with a dash, found \"1api\"",
            "cortex.yaml:3:10: api-: name: must contain only lower case letters, numbers, and"
                + " dashes, start with a letter, and cannot end with a dash, found \"api-\"",
            "cortex.yaml:4:10: modèle: name: must contain only lower case letters, numbers, and"
                + " dashes, start with a letter, and cannot end with a dash, found \"modèle\"");
  }

  @Test
  void namesAreAtMostFortyTwoCharacters() {
    String longest = "a".repeat(42);
    String tooLong = "a".repeat(43);

    assertThat(violationsOf("- {name: " + longest + ", kind: RealtimeAPI}\n")).isEmpty();
    assertThat(violationsOf("- {name: " + tooLong + ", kind: RealtimeAPI}\n"))
        .containsExactly(
            "cortex.yaml:1:10: "
                + tooLong
                + ": name: must be at most 42 characters long (Kubernetes adds suffixes to it up"
                + " to 63), found \""
                + tooLong
                + "\"");
  }

  @Test
  void apisMustListAtLeastOneTarget() {
    assertThat(violationsOf("- {name: ts, kind: TrafficSplitter, apis: []}\n"))
        .containsExactly("cortex.yaml:1:43: ts: apis: must list at least one Realtime API");
  }

  @Test
  void targetNamesAreRequired() {
    assertThat(violationsOf(splitterWith("    - {name: '', weight: 100}\n")))
        .containsExactly("cortex.yaml:4:14: ts: apis[0].name: is required");
  }

  @Test
  void weightsRangeFromZeroToOneHundred() {
    assertThat(
            violationsOf(
                splitterWith("    - {name: a, weight: 0}\n    - {name: b, weight: 100}\n")))
        .isEmpty();
    assertThat(
            violationsOf(
                splitterWith("    - {name: a, weight: 101}\n    - {name: b, weight: -1}\n")))
        .containsExactly(
            "cortex.yaml:4:25: ts: apis[0].weight: must be between 0 and 100, found 101",
            "cortex.yaml:5:25: ts: apis[1].weight: must be between 0 and 100, found -1");
  }

  @Test
  void weightsMustSumToOneHundred() {
    assertThat(
            violationsOf(
                splitterWith("    - {name: a, weight: 30}\n    - {name: b, weight: 60}\n")))
        .containsExactly(
            "cortex.yaml:4:5: ts: apis: expected weights of all non-shadow apis to sum to 100 but"
                + " found 90");
  }

  @Test
  void shadowWeightsDoNotCountTowardTheSum() {
    assertThat(
            violationsOf(
                splitterWith(
                    "    - {name: a, weight: 100}\n    - {name: b, weight: 50, shadow: true}\n")))
        .isEmpty();
    assertThat(violationsOf(splitterWith("    - {name: a, weight: 100, shadow: true}\n")))
        .containsExactly(
            "cortex.yaml:4:5: ts: apis: expected weights of all non-shadow apis to sum to 100 but"
                + " found 0");
  }

  @Test
  void targetsMustBeUnique() {
    assertThat(
            violationsOf(
                splitterWith("    - {name: a, weight: 50}\n    - {name: a, weight: 50}\n")))
        .containsExactly(
            "cortex.yaml:5:14: ts: apis[1].name: api a is listed twice (also at apis[0]); apis"
                + " must be unique");
  }

  @Test
  void atMostOneTargetIsAShadow() {
    assertThat(
            violationsOf(
                splitterWith(
                    "    - {name: a, weight: 100}\n"
                        + "    - {name: b, weight: 10, shadow: true}\n"
                        + "    - {name: c, weight: 10, shadow: true}\n")))
        .containsExactly(
            "cortex.yaml:6:37: ts: apis[2].shadow: multiple shadow apis detected (apis[1] and"
                + " apis[2]); only one api may be marked as a shadow");
  }

  @Test
  void targetsMustBeRealtimeApisInTheFileOrKnown() {
    SplitterValidator knowsNothing = SplitterValidator.create();
    String yaml =
        "- {name: in-file, kind: RealtimeAPI}\n"
            + "- name: ts\n  kind: TrafficSplitter\n  apis:\n"
            + "    - {name: in-file, weight: 50}\n    - {name: deployed, weight: 50}\n";

    assertThat(violationsOf(yaml)).isEmpty();
    assertThat(violationsOf(knowsNothing, yaml))
        .containsExactly(
            "cortex.yaml:6:14: ts: apis[1].name: api deployed was either not found or is not a"
                + " RealtimeAPI; define it in this file or deploy it first");
  }

  @Test
  void anUnknownTargetNearAKnownOneSuggestsIt() {
    assertThat(violationsOf(splitterWith("    - {name: deployd, weight: 100}\n")))
        .containsExactly(
            "cortex.yaml:4:14: ts: apis[0].name: api deployd was either not found or is not a"
                + " RealtimeAPI (did you mean deployed?); define it in this file or deploy it"
                + " first");
  }

  @Test
  void aSplitterCannotTargetASplitter() {
    assertThat(
            violationsOf(
                splitterWith("    - {name: other, weight: 100}\n")
                    + "- {name: other, kind: TrafficSplitter, apis: [{name: a, weight: 100}]}\n"))
        .containsExactly(
            "cortex.yaml:4:14: ts: apis[0].name: api other is a TrafficSplitter; a splitter can"
                + " only route to RealtimeAPIs");
  }

  @Test
  void endpointsUseOnlyPathCharacters() {
    assertThat(violationsOf("- {name: x, kind: RealtimeAPI, networking: {endpoint: 'a b?c'}}\n"))
        .containsExactly(
            "cortex.yaml:1:55: x: networking.endpoint: must consist of letters, digits and the"
                + " characters _ - . /, found \"/a b?c\"");
  }

  @Test
  void endpointsCannotHaveAdjacentSlashes() {
    assertThat(violationsOf("- {name: x, kind: RealtimeAPI, networking: {endpoint: /a//b}}\n"))
        .containsExactly(
            "cortex.yaml:1:55: x: networking.endpoint: cannot contain adjacent slashes, found"
                + " \"/a//b\"");
  }

  @Test
  void endpointsCannotBeTheRootAlone() {
    assertThat(violationsOf("- {name: x, kind: RealtimeAPI, networking: {endpoint: /}}\n"))
        .containsExactly(
            "cortex.yaml:1:55: x: networking.endpoint: / is not allowed (a path must be"
                + " specified), found \"/\"");
  }

  @Test
  void namesAreUniqueAcrossTheFile() {
    assertThat(
            violationsOf(
                "- {name: x, kind: RealtimeAPI}\n- {name: x, kind: RealtimeAPI, networking: {endpoint: /y}}\n"))
        .containsExactly(
            "cortex.yaml:2:10: x: name: name x must be unique across apis (also used by"
                + " resources[0])");
  }

  @Test
  void endpointsAreUniqueAcrossTheFile() {
    assertThat(
            violationsOf(
                "- {name: x, kind: RealtimeAPI, networking: {endpoint: /shared}}\n"
                    + "- {name: y, kind: RealtimeAPI, networking: {endpoint: shared/}}\n"))
        .containsExactly(
            "cortex.yaml:2:55: y: networking.endpoint: endpoint /shared must be unique across apis"
                + " (also used by x)");
  }

  @Test
  void aPublicEndpointNeedsAnApiGateway() {
    SplitterValidator noGateway =
        SplitterValidator.builder().knownApis(Set.of("a")).apiGatewayEnabled(false).build();

    assertThat(
            violationsOf(
                noGateway,
                "- {name: x, kind: RealtimeAPI, networking: {api_gateway: none}}\n"
                    + "- {name: y, kind: RealtimeAPI}\n"))
        .containsExactly(
            "cortex.yaml:2:3: y: networking.api_gateway: is public (the default), but this"
                + " environment has no API Gateway; set networking.api_gateway: none");
  }

  @Test
  void apisOnlyInTheFileMustBeDeployableToBeTargeted() {
    SplitterValidator nothingDeploysApis =
        SplitterValidator.builder().knownApis(Set.of("deployed")).fileApisDeployable(false).build();
    String yaml =
        "- {name: in-file, kind: RealtimeAPI}\n"
            + "- name: ts\n  kind: TrafficSplitter\n  apis:\n"
            + "    - {name: in-file, weight: 50}\n    - {name: deployed, weight: 50}\n";

    assertThat(violationsOf(nothingDeploysApis, yaml))
        .containsExactly(
            "cortex.yaml:5:14: ts: apis[0].name: api in-file is defined in this file but not"
                + " deployed, and nothing here deploys RealtimeAPIs; deploy it first");
  }

  @Test
  void everyViolationIsReportedNotJustTheFirst() {
    ValidationReport report =
        VALIDATOR.validate(
            SplitterConfig.parse(
                "- name: Bad\n  kind: TrafficSplitter\n  networking: {endpoint: /}\n  apis:\n"
                    + "    - {name: a, weight: 101}\n",
                "cortex.yaml"));

    assertThat(report.violations())
        .extracting(Violation::code)
        .containsExactly("name.pattern", "endpoint.root", "apis.weight-sum", "weight.range");
  }

  @Test
  void throwIfInvalidListsEveryViolationUnderASummary() {
    ValidationReport report =
        VALIDATOR.validate(
            SplitterConfig.parse(splitterWith("    - {name: a, weight: 101}\n"), "cortex.yaml"));

    assertThatThrownBy(report::throwIfInvalid)
        .isInstanceOf(InvalidConfigException.class)
        .hasMessage(
            "cortex.yaml: 2 problems\n"
                + "cortex.yaml:4:5: ts: apis: expected weights of all non-shadow apis to sum to"
                + " 100 but found 101\n"
                + "cortex.yaml:4:25: ts: apis[0].weight: must be between 0 and 100, found 101");
  }

  @Test
  void configurationsBuiltInCodeAreValidatedWithoutPositions() {
    SplitterConfig config =
        SplitterConfig.of(
            RealtimeApi.of("a"),
            TrafficSplitter.builder()
                .name("ts")
                .target("a", 90)
                .apiGateway(ApiGateway.NONE)
                .build());

    assertThat(SplitterValidator.create().validate(config).violations())
        .extracting(Violation::toString)
        .containsExactly(
            "<config>: ts: apis: expected weights of all non-shadow apis to sum to 100 but found"
                + " 90");
  }
}
