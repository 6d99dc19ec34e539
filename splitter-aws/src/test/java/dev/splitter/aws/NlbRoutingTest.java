package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.core.BackendException;
import dev.splitter.core.Deployer;
import dev.splitter.core.SplitterStatus;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.Guard;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * The NLB backend on moto: a listener per splitter at the first free port, weights in its default
 * forward action read back, state in its tags, what a TCP listener cannot do refused before any
 * call, and the guarded writes a rollout makes.
 */
class NlbRoutingTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private static final Instant T0 = Instant.parse("2026-12-04T12:00:00Z");

  private final CallLog calls = new CallLog();
  private AwsWorld aws;
  private String nlb;
  private NlbRouting routing;
  private Deployer deployer;

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(calls), moto.apiGateway(calls));
    nlb = aws.networkLoadBalancer();
    aws.tcpApi("my-api");
    aws.tcpApi("another-my-api");
    routing =
        NlbRouting.builder()
            .client(aws.elb)
            .loadBalancerArn(nlb)
            .ports(10000, 10009)
            .clock(Clock.fixed(T0, ZoneOffset.UTC))
            .guardSettle(Duration.ofMillis(10))
            .build();
    deployer =
        Deployer.builder()
            .routing(routing)
            .endpoints(routing.endpoints())
            .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
            .build();
    calls.take();
  }

  private static SplitterConfig split(String name, int myApiWeight) {
    return SplitterConfig.parse(
        """
        - name: %s
          kind: TrafficSplitter
          networking: {endpoint: /%s, api_gateway: none}
          apis:
            - {name: my-api, weight: %d}
            - {name: another-my-api, weight: %d}
        """
            .formatted(name, name, myApiWeight, 100 - myApiWeight),
        "cortex.yaml");
  }

  private List<Listener> listeners() {
    return aws.elb.describeListeners(request -> request.loadBalancerArn(nlb)).listeners().stream()
        .sorted(Comparator.comparingInt(Listener::port))
        .toList();
  }

  private static List<Integer> weights(Listener listener) {
    return listener.defaultActions().get(0).forwardConfig().targetGroups().stream()
        .map(TargetGroupTuple::weight)
        .toList();
  }

  @Test
  void aSplitterGetsAListenerOfItsOwnWhoseForwardActionCarriesTheWeights() {
    assertThat(deployer.deploy(split("traffic-splitter", 20)).messages())
        .containsExactly("created traffic-splitter (TrafficSplitter)");
    Listener listener = listeners().get(0);
    assertThat(listener.port()).isEqualTo(10000);
    assertThat(listener.protocol()).isEqualTo(ProtocolEnum.TCP);
    assertThat(weights(listener)).containsExactly(20, 80);

    assertThat(deployer.deploy(split("traffic-splitter", 30)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(listeners()).hasSize(1);
    assertThat(weights(listeners().get(0))).containsExactly(30, 70);

    calls.take();
    assertThat(deployer.deploy(split("traffic-splitter", 30)).messages())
        .containsExactly("traffic-splitter (TrafficSplitter) is up to date");
    assertThat(calls.take()).isNotEmpty().noneMatch(CallLog::writes);

    SplitterStatus status = deployer.get("traffic-splitter");
    assertThat(status.targets())
        .extracting(target -> target.api().weight())
        .containsExactly(30, 70);
    assertThat(status.endpoint().toString()).matches("tcp://[^:/]+:10000");
    assertThat(status.lastUpdated()).isEqualTo(T0);

    assertThat(deployer.delete("traffic-splitter").messages())
        .containsExactly("deleted traffic-splitter");
    assertThat(listeners()).isEmpty();
    assertThat(aws.elb.describeTargetGroups(request -> {}).targetGroups()).hasSize(2);
  }

  @Test
  void aWeightChangedInTheConsoleShowsAndTheNextDeployPutsItBack() {
    deployer.deploy(split("traffic-splitter", 20));
    Listener listener = listeners().get(0);
    aws.elb.modifyListener(
        request ->
            request
                .listenerArn(listener.listenerArn())
                .defaultActions(
                    action ->
                        action
                            .type("forward")
                            .forwardConfig(
                                forward ->
                                    forward.targetGroups(
                                        group ->
                                            group
                                                .targetGroupArn(aws.targetGroups.get("my-api"))
                                                .weight(90),
                                        group ->
                                            group
                                                .targetGroupArn(
                                                    aws.targetGroups.get("another-my-api"))
                                                .weight(10)))));

    assertThat(deployer.get("traffic-splitter").targets())
        .extracting(target -> target.api().weight())
        .containsExactly(90, 10);
    assertThat(deployer.deploy(split("traffic-splitter", 20)).messages())
        .containsExactly("updated traffic-splitter (TrafficSplitter)");
    assertThat(weights(listeners().get(0))).containsExactly(20, 80);
  }

  @Test
  void eachSplitterTakesTheLowestFreePortAndAListenerSomeoneElseMadeIsNeverTouched() {
    String theirs =
        aws.elb
            .createListener(
                request ->
                    request
                        .loadBalancerArn(nlb)
                        .protocol(ProtocolEnum.TCP)
                        .port(10000)
                        .defaultActions(
                            action ->
                                action
                                    .type("forward")
                                    .targetGroupArn(aws.targetGroups.get("my-api"))))
            .listeners()
            .get(0)
            .listenerArn();

    deployer.deploy(split("a", 50));
    deployer.deploy(split("b", 50));
    assertThat(listeners()).extracting(Listener::port).containsExactly(10000, 10001, 10002);
    assertThat(routing.port("a")).contains(10001);
    assertThat(routing.port("b")).contains(10002);
    assertThat(deployer.list())
        .extracting(summary -> summary.splitter().name())
        .containsExactly("a", "b");

    deployer.delete("a");
    deployer.delete("b");
    assertThat(listeners()).extracting(Listener::listenerArn).containsExactly(theirs);
  }

  @Test
  void whatATcpListenerCannotDoFailsValidationBeforeAnyCall() {
    for (String api : List.of("c", "d", "e", "f")) {
      aws.tcpApi(api);
    }
    calls.take();
    String yaml =
        """
        - name: wide
          kind: TrafficSplitter
          networking: {endpoint: /wide, api_gateway: public}
          apis:
            - {name: my-api, weight: 20}
            - {name: another-my-api, weight: 20}
            - {name: c, weight: 20}
            - {name: d, weight: 20}
            - {name: e, weight: 20}
            - {name: f, weight: 10, shadow: true}
        """;

    assertThatThrownBy(() -> deployer.deploy(SplitterConfig.parse(yaml, "cortex.yaml")))
        .isInstanceOf(InvalidConfigException.class)
        .extracting(e -> ((InvalidConfigException) e).violations())
        .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.list(Violation.class))
        .extracting(Violation::code)
        .contains("backend.max-targets", "backend.no-shadow");
    assertThat(calls.take()).noneMatch(CallLog::writes);
    assertThat(listeners()).isEmpty();
    assertThat(routing.capabilities().pinning()).isFalse();
    assertThat(routing.capabilities().assignment().kind().name()).isEqualTo("RANDOM");
  }

  @Test
  void usedAloneTheBackendRefusesWhatItCannotRouteOrFind() {
    assertThatThrownBy(
            () -> routing.apply(TrafficSplitter.builder().name("ts").target("ghost", 100).build()))
        .isInstanceOf(BackendException.class)
        .hasMessage(
            "nlb: check listener for ts: no target group found for [ghost] (target groups tagged"
                + " splitter.dev/api)");
    NlbRouting full =
        NlbRouting.builder().client(aws.elb).loadBalancerArn(nlb).ports(10000, 10000).build();
    full.apply(TrafficSplitter.builder().name("one").target("my-api", 100).build());
    assertThatThrownBy(
            () -> full.apply(TrafficSplitter.builder().name("two").target("my-api", 100).build()))
        .isInstanceOf(BackendException.class)
        .hasMessageContaining("no free port in 10000..10000");
  }

  @Test
  void guardedWritesKeepARolloutsStateOnTheListener() {
    deployer.deploy(split("traffic-splitter", 20));

    assertThat(routing.annotateIf("traffic-splitter", Guard.of("rollout", null, "step-1")))
        .isTrue();
    assertThat(routing.annotations("traffic-splitter")).containsEntry("rollout", "step-1");
    assertThat(routing.annotateIf("traffic-splitter", Guard.of("rollout", null, "other")))
        .as("the guard expected no state, and there is one")
        .isFalse();

    TrafficSplitter next =
        TrafficSplitter.builder()
            .name("traffic-splitter")
            .endpoint("/traffic-splitter")
            .target("my-api", 60)
            .target("another-my-api", 40)
            .build();
    assertThat(routing.applyIf(next, Guard.of("rollout", "step-1", "step-2"))).isTrue();
    assertThat(weights(listeners().get(0))).containsExactly(60, 40);
    assertThat(routing.annotations("traffic-splitter")).containsEntry("rollout", "step-2");
  }
}
