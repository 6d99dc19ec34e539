package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.Deployer;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * Pinning on ALB, by the rules written to moto_server: one rule per target matching the path and
 * {@code x-splitter-api}, at a priority before the weighted rule, which ALB obeys first.
 */
class AlbPinningTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private AwsWorld aws;

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(), moto.apiGateway());
    aws.realtimeApi("my-api");
    aws.realtimeApi("another-my-api");
    aws.realtimeApi("third-api");
  }

  @Test
  void eachTargetGetsAHeaderRuleBeforeTheWeightedOne() {
    Deployer deployer = deployer(true);
    String plan =
        deployer.plan(split(target("my-api", 20), target("another-my-api", 80))).toString();

    deployer.deploy(split(target("my-api", 20), target("another-my-api", 80)));

    assertThat(plan).contains("pinned routes (x-splitter-api: NAME): my-api, another-my-api");
    List<Rule> rules = aws.rules();
    assertThat(rules).hasSize(3);
    assertThat(pinnedByPriority(rules))
        .containsExactly(
            Map.entry(1, "my-api -> tg-my-api"),
            Map.entry(2, "another-my-api -> tg-another-my-api"));
    Rule weighted = rules.get(2);
    assertThat(weighted.conditions())
        .extracting(RuleCondition::field)
        .containsExactly("path-pattern");
    assertThat(weighted.priority()).isEqualTo("3");
    assertThat(deployer.describe("traffic-splitter").spec().apis())
        .extracting(api -> api.name() + " " + api.weight())
        .containsExactly("my-api 20", "another-my-api 80");
  }

  @Test
  void aNewTargetWithNoRoomBeforeTheWeightedRuleMovesItUp() {
    Deployer deployer = deployer(true);
    deployer.deploy(split(target("my-api", 20), target("another-my-api", 80)));

    deployer.deploy(
        split(target("my-api", 20), target("another-my-api", 70), target("third-api", 10)));

    List<Rule> rules = aws.rules();
    assertThat(pinnedByPriority(rules)).hasSize(3);
    Rule weighted = rules.get(rules.size() - 1);
    assertThat(weighted.conditions()).hasSize(1);
    assertThat(pinnedByPriority(rules).keySet())
        .allSatisfy(
            priority -> assertThat(priority).isLessThan(Integer.parseInt(weighted.priority())));
    assertThat(deployer.describe("traffic-splitter").spec().apis()).hasSize(3);
  }

  @Test
  void turningPinningOffOrDeletingRemovesThePinnedRules() {
    deployer(true).deploy(split(target("my-api", 20), target("another-my-api", 80)));

    deployer(false).deploy(split(target("my-api", 30), target("another-my-api", 70)));
    assertThat(aws.rules()).hasSize(1);

    // The spec is unchanged; turning pinning back on still counts as a change, and says so.
    assertThat(deployer(true).plan(split(target("my-api", 30), target("another-my-api", 70))))
        .hasToString(
            "would update traffic-splitter (TrafficSplitter)\n"
                + "  pinned routes: none -> my-api, another-my-api\n");
    deployer(true).deploy(split(target("my-api", 30), target("another-my-api", 70)));
    assertThat(aws.rules()).hasSize(3);
    deployer(true).delete("traffic-splitter");
    assertThat(aws.rules()).isEmpty();
  }

  private Deployer deployer(boolean pinning) {
    return Deployer.builder()
        .routing(
            AlbRouting.builder()
                .client(aws.elb)
                .listenerArn(aws.listenerArn)
                .pinning(pinning)
                .build())
        .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
        .build();
  }

  /** The pinned rules, by priority: the header's value and the target group's name. */
  private Map<Integer, String> pinnedByPriority(List<Rule> rules) {
    Map<Integer, String> pinned = new TreeMap<>();
    for (Rule rule : rules) {
      rule.conditions().stream()
          .filter(condition -> condition.field().equals("http-header"))
          .findFirst()
          .ifPresent(
              header ->
                  pinned.put(
                      Integer.parseInt(rule.priority()),
                      header.httpHeaderConfig().values().get(0)
                          + " -> "
                          + groupName(
                              rule.actions()
                                  .get(0)
                                  .forwardConfig()
                                  .targetGroups()
                                  .get(0)
                                  .targetGroupArn())));
    }
    return pinned;
  }

  private static String groupName(String arn) {
    String[] parts = arn.split("/");
    return parts[parts.length - 2];
  }

  private static SplitterConfig split(TargetApi... targets) {
    return SplitterConfig.of(
        new TrafficSplitter(
            "traffic-splitter",
            new Networking("/traffic-splitter", ApiGateway.NONE),
            List.of(targets)));
  }

  private static TargetApi target(String name, int weight) {
    return new TargetApi(name, weight, false);
  }
}
