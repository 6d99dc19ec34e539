package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.core.BackendException;
import dev.splitter.core.Deployer;
import dev.splitter.core.Display;
import dev.splitter.core.SplitterStatus;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.CreateRuleRequest;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * ALB routing and API Gateway endpoints through the Deployer, against moto_server on loopback; with
 * pinning off, so that each splitter is one rule (AlbPinningTest has the pinned rules).
 */
class AlbRoutingTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private static final Path EXAMPLE = Path.of("../examples/traffic-splitter/cortex.yaml");
  private static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");

  private final CallLog calls = new CallLog();
  private AwsWorld aws;
  private Deployer deployer;

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(calls), moto.apiGateway(calls));
    aws.realtimeApi("my-api");
    aws.realtimeApi("another-my-api");
    deployer = deployer(aws.elb);
    calls.take();
  }

  private Deployer deployer(ElasticLoadBalancingV2Client elb) {
    return Deployer.builder()
        .routing(
            AlbRouting.builder()
                .client(elb)
                .listenerArn(aws.listenerArn)
                .clock(Clock.fixed(T0, ZoneOffset.UTC))
                .pinning(false) // one rule per splitter here; AlbPinningTest has the pinned ones
                .build())
        .endpoints(
            ApiGatewayEndpoints.builder()
                .client(aws.apiGateway)
                .apiId(aws.apiId)
                .vpcLink(aws.vpcLinkId, aws.listenerArn)
                .build())
        .catalog(AlbTargetCatalog.builder().client(elb).build())
        .build();
  }

  private static SplitterConfig split(String endpoint, String gateway, int myApiWeight) {
    return SplitterConfig.parse(
        """
        - name: traffic-splitter
          kind: TrafficSplitter
          networking:
            endpoint: %s
            api_gateway: %s
          apis:
            - name: my-api
              weight: %d
            - name: another-my-api
              weight: %d
        """
            .formatted(endpoint, gateway, myApiWeight, 100 - myApiWeight),
        "cortex.yaml");
  }

  private List<Integer> weights() {
    Rule rule = aws.rules().get(0);
    return rule.actions().get(0).forwardConfig().targetGroups().stream()
        .map(TargetGroupTuple::weight)
        .toList();
  }

  @Test
  void seedFlowEndToEnd() {
    assertThat(deployer.deploy(EXAMPLE.resolveSibling("cortex.yaml")).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");
    assertThat(weights()).containsExactly(20, 80);
    assertThat(aws.routeKeys()).containsExactly("ANY /traffic-splitter");

    assertThat(deployer.deploy(split("/traffic-splitter", "public", 30)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(weights()).containsExactly(30, 70);

    calls.take();
    assertThat(deployer.deploy(split("/traffic-splitter", "public", 30)).messages())
        .containsExactly("traffic-splitter (TrafficSplitter) is up to date");
    assertThat(calls.take()).isNotEmpty().noneMatch(CallLog::writes);

    SplitterStatus status = deployer.get("traffic-splitter");
    assertThat(status.targets())
        .extracting(
            target -> Display.state(target.status().state()), target -> target.status().requested())
        .containsOnly(org.assertj.core.groups.Tuple.tuple("live", 1));
    assertThat(status.endpoint()).hasToString(aws.apiEndpoint + "/traffic-splitter");
    assertThat(status.lastUpdated()).isEqualTo(T0);

    assertThat(deployer.delete("traffic-splitter").messages())
        .containsExactly("deleted traffic-splitter");
    assertThat(aws.rules()).isEmpty();
    assertThat(aws.routeKeys()).isEmpty();
    assertThat(aws.elb.describeTargetGroups(request -> {}).targetGroups()).hasSize(2);
  }

  @Test
  void theRuleIsMadeInOneCallWithItsTagsAndKeepsItsPriority() {
    aws.userRule(1, "/users");
    aws.userRule(2, "/admin");
    calls.take();

    deployer.deploy(split("/traffic-splitter", "none", 20));
    List<CreateRuleRequest> creates = calls.requests(CreateRuleRequest.class);
    deployer.deploy(split("/traffic-splitter", "none", 40));

    assertThat(creates)
        .singleElement()
        .satisfies(
            create -> {
              assertThat(create.priority()).isEqualTo(3);
              assertThat(create.tags())
                  .extracting(tag -> tag.key())
                  .contains(
                      "splitter.dev/managed-by", "splitter.dev/name", "splitter.dev/spec-hash");
              assertThat(create.actions().get(0).forwardConfig().targetGroups())
                  .extracting(TargetGroupTuple::targetGroupArn, TargetGroupTuple::weight)
                  .containsExactly(
                      org.assertj.core.groups.Tuple.tuple(aws.targetGroups.get("my-api"), 20),
                      org.assertj.core.groups.Tuple.tuple(
                          aws.targetGroups.get("another-my-api"), 80));
            });
    assertThat(aws.rules()).extracting(Rule::priority).containsExactly("1", "2", "3");
    assertThat(aws.rules().get(2).actions().get(0).forwardConfig().targetGroups())
        .extracting(TargetGroupTuple::weight)
        .containsExactly(40, 60);
  }

  @Test
  void aDuplicateRuleLeftByALostAnswerIsRemovedByTheNextDeploy() {
    deployer.deploy(split("/traffic-splitter", "none", 20));
    Rule ours = aws.rules().get(0);
    List<software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag> tags =
        aws.elb
            .describeTags(request -> request.resourceArns(ours.ruleArn()))
            .tagDescriptions()
            .get(0)
            .tags();
    aws.elb.createRule(
        request ->
            request
                .listenerArn(aws.listenerArn)
                .priority(9)
                .conditions(ours.conditions())
                .actions(ours.actions())
                .tags(tags));

    assertThat(deployer.deploy(split("/traffic-splitter", "none", 30)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");

    assertThat(aws.rules()).extracting(Rule::ruleArn).containsExactly(ours.ruleArn());
    assertThat(weights()).containsExactly(30, 70);
  }

  @Test
  void aRuleSomeoneElseMadeIsNeverTouched() {
    String theirs = aws.userRule(7, "/traffic-*");
    calls.take();

    assertThatThrownBy(() -> deployer.deploy(split("/traffic-splitter", "none", 20)))
        .isInstanceOf(InvalidConfigException.class)
        .extracting(e -> ((InvalidConfigException) e).violations().get(0))
        .extracting(Violation::message)
        .isEqualTo(
            "endpoint /traffic-splitter is already being used by the listener rule at priority 7");
    assertThat(calls.take()).noneMatch(CallLog::writes);

    deployer.deploy(split("/elsewhere", "none", 20));
    deployer.delete("traffic-splitter");

    assertThat(aws.rules()).extracting(Rule::ruleArn).containsExactly(theirs);
  }

  @Test
  void aNewEndpointGetsItsRouteBeforeTheOldOneGoes() {
    deployer.deploy(split("/v1", "public", 20));
    calls.take();

    deployer.deploy(split("/v2", "public", 20));

    assertThat(aws.routeKeys()).containsExactly("ANY /v2");
    List<String> writes = calls.take().stream().filter(CallLog::writes).toList();
    assertThat(writes).containsSubsequence("CreateRoute", "DeleteRoute");
    assertThat(aws.rules().get(0).conditions().get(0).pathPatternConfig().values())
        .containsExactly("/v2");
  }

  @Test
  void publicToNoneRemovesTheRoute() {
    deployer.deploy(split("/traffic-splitter", "public", 20));

    deployer.deploy(split("/traffic-splitter", "none", 20));

    assertThat(aws.routeKeys()).isEmpty();
    assertThat(aws.rules()).hasSize(1);
  }

  @Test
  void aRouteSomeoneElseMadeIsNotTakenOver() {
    String other =
        aws.apiGateway
            .createIntegration(
                request ->
                    request
                        .apiId(aws.apiId)
                        .integrationType("HTTP_PROXY")
                        .integrationMethod("ANY")
                        .integrationUri("https://example.com")
                        .payloadFormatVersion("1.0"))
            .integrationId();
    aws.apiGateway.createRoute(
        request ->
            request
                .apiId(aws.apiId)
                .routeKey("ANY /traffic-splitter")
                .target("integrations/" + other));

    assertThatThrownBy(() -> deployer.deploy(split("/traffic-splitter", "public", 20)))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            "apigateway: CreateRoute ANY /traffic-splitter: the route exists and targets"
                + " integrations/"
                + other
                + ", which splitter did not make; it is left as it is");
    assertThat(aws.rules()).as("the create was rolled back").isEmpty();
    assertThat(aws.routeKeys()).containsExactly("ANY /traffic-splitter");
  }

  @Test
  void anUnhealthyTargetIsReportedAndCanGateTheDeploy() {
    aws.stop("another-my-api");

    assertThat(deployer.deploy(split("/traffic-splitter", "none", 20)).warnings())
        .containsExactly(
            "traffic-splitter: api another-my-api is error, not live, and would receive 80% of"
                + " requests");
    assertThat(deployer.get("traffic-splitter").targets())
        .extracting(target -> Display.state(target.status().state()))
        .containsExactly("live", "error");

    deployer.delete("traffic-splitter");
    Deployer strict =
        Deployer.builder()
            .routing(
                AlbRouting.builder()
                    .client(aws.elb)
                    .listenerArn(aws.listenerArn)
                    .pinning(false)
                    .build())
            .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
            .requireLiveTargets(true)
            .build();
    calls.take();
    assertThatThrownBy(() -> strict.deploy(split("/traffic-splitter", "none", 20)))
        .isInstanceOf(InvalidConfigException.class)
        .hasMessageContaining("another-my-api is error, not live");
    assertThat(calls.take()).noneMatch(CallLog::writes);
  }

  @Test
  void whatAlbCannotDoFailsBeforeAnyCall() {
    aws.realtimeApi("c");
    aws.realtimeApi("d");
    aws.realtimeApi("e");
    aws.realtimeApi("f");
    calls.take();
    String yaml =
        """
        - name: wide
          kind: TrafficSplitter
          networking: {endpoint: /%s, api_gateway: none}
          apis:
            - {name: my-api, weight: 20}
            - {name: another-my-api, weight: 20}
            - {name: c, weight: 20}
            - {name: d, weight: 20}
            - {name: e, weight: 20}
            - {name: f, weight: 10, shadow: true}
        """
            .formatted("x".repeat(128));

    assertThatThrownBy(() -> deployer.deploy(SplitterConfig.parse(yaml, "cortex.yaml")))
        .isInstanceOf(InvalidConfigException.class)
        .extracting(e -> ((InvalidConfigException) e).violations())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(Violation.class))
        .extracting(Violation::code)
        .containsExactlyInAnyOrder(
            "backend.max-targets", "backend.no-shadow", "backend.endpoint-too-long");
    assertThat(calls.take()).noneMatch(CallLog::writes);
  }

  @Test
  void usedAloneTheBackendStillRefusesWhatAlbCannotRouteOrFind() {
    AlbRouting alb = AlbRouting.builder().client(aws.elb).listenerArn(aws.listenerArn).build();
    TrafficSplitter.Builder wide = TrafficSplitter.builder().name("wide");
    for (int i = 0; i < 6; i++) {
      wide.target("api-" + i, i == 0 ? 50 : 10);
    }
    wide.shadow("copy", 5);

    assertThatThrownBy(() -> alb.apply(wide.build()))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            "alb: check rule for wide: apis: the alb backend routes to at most 5 apis, found 7;"
                + " apis[6].shadow: the alb backend cannot mirror traffic to a shadow api");
    assertThatThrownBy(
            () -> alb.apply(TrafficSplitter.builder().name("ts").target("ghost", 100).build()))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            "alb: check rule for ts: no target group found for [ghost] (target groups tagged"
                + " splitter.dev/api)");
    assertThat(aws.rules()).isEmpty();
  }

  @Test
  void aServerThatStopsAnsweringMidDeployGivesAClearErrorAndTheNextDeployConverges() {
    SplitterConfig two =
        SplitterConfig.parse(
            """
            - name: first
              kind: TrafficSplitter
              networking: {api_gateway: none}
              apis: [{name: my-api, weight: 50}, {name: another-my-api, weight: 50}]
            - name: second
              kind: TrafficSplitter
              networking: {api_gateway: none}
              apis: [{name: my-api, weight: 10}, {name: another-my-api, weight: 90}]
            """,
            "cortex.yaml");
    CallLog freezer = new CallLog();
    freezer.before(
        (operation, count) -> {
          if (operation.equals("CreateRule") && count == 2) {
            moto.pause(); // the second splitter's create never gets an answer
          }
        });
    // Generous enough that only the frozen call times out, even on a slow machine.
    Deployer impatient = deployer(moto.elbWithTimeout(Duration.ofSeconds(3), freezer));

    assertThatThrownBy(() -> impatient.deploy(two))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> {
              assertThat(e.backend()).isEqualTo("alb");
              assertThat(e.operation()).isEqualTo("CreateRule");
              assertThat(e.object()).isEqualTo("rule for second");
              assertThat(e.retryable()).isTrue();
            });

    moto.resume();
    List<String> again = deployer.deploy(two).messages();

    assertThat(again.get(0)).isEqualTo("first (TrafficSplitter) is up to date");
    assertThat(again.get(1)).startsWith("second (TrafficSplitter)");
    assertThat(aws.rules()).hasSize(2);
    assertThat(deployer.list())
        .extracting(summary -> summary.splitter().liveTargets().get(0).weight())
        .containsExactly(50, 10);
  }
}
