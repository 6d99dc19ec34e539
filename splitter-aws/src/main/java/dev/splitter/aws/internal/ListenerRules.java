package dev.splitter.aws.internal;

import dev.splitter.support.BackendCalls;
import dev.splitter.support.LiveRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Reads a listener's rules with their tags (every page of DescribeRules, tags twenty at a time).
 */
@API(status = API.Status.INTERNAL)
public final class ListenerRules {
  private static final int PAGE_SIZE = 100;

  private final ElasticLoadBalancingV2Client client;
  private final String listenerArn;
  private final BackendCalls aws;
  private final ElbTags tags;

  /**
   * One rule as it stands.
   *
   * @param priority its priority (default rules are left out)
   * @param paths the values of its path-pattern conditions
   * @param forwards the target groups it forwards to, with their weights
   */
  public record ListenerRule(
      String arn,
      int priority,
      List<String> paths,
      List<LiveRoute.WeightedRef> forwards,
      @Nullable Duration stickiness,
      Map<String, String> tags) {}

  public ListenerRules(ElasticLoadBalancingV2Client client, String listenerArn, BackendCalls aws) {
    this.client = client;
    this.listenerArn = listenerArn;
    this.aws = aws;
    this.tags = new ElbTags(client, aws);
  }

  /** Every rule but the default, with its tags. */
  public List<ListenerRule> all() {
    List<Rule> rules =
        aws.call(
            "DescribeRules",
            "listener " + listenerArn,
            () ->
                client
                    .describeRulesPaginator(
                        request -> request.listenerArn(listenerArn).pageSize(PAGE_SIZE))
                    .rules()
                    .stream()
                    .filter(rule -> !Boolean.TRUE.equals(rule.isDefault()))
                    .toList());
    Map<String, Map<String, String>> tags =
        this.tags.of(
            rules.stream().map(Rule::ruleArn).toList(), "rules of listener " + listenerArn);
    return rules.stream()
        .map(
            rule ->
                new ListenerRule(
                    rule.ruleArn(),
                    Integer.parseInt(rule.priority()),
                    paths(rule),
                    forwards(rule.actions()),
                    stickiness(rule),
                    tags.getOrDefault(rule.ruleArn(), Map.of())))
        .toList();
  }

  private static List<String> paths(Rule rule) {
    List<String> paths = new ArrayList<>();
    for (RuleCondition condition : rule.conditions()) {
      if (!"path-pattern".equals(condition.field())) {
        continue;
      }
      if (condition.pathPatternConfig() != null && condition.pathPatternConfig().hasValues()) {
        paths.addAll(condition.pathPatternConfig().values());
      } else if (condition.hasValues()) {
        paths.addAll(condition.values());
      }
    }
    return paths;
  }

  /** The target groups these actions forward to, with their weights. */
  public static List<LiveRoute.WeightedRef> forwards(List<Action> actions) {
    List<LiveRoute.WeightedRef> forwards = new ArrayList<>();
    for (Action action : actions) {
      if (action.type() != ActionTypeEnum.FORWARD) {
        continue;
      }
      if (action.forwardConfig() != null && action.forwardConfig().hasTargetGroups()) {
        for (TargetGroupTuple group : action.forwardConfig().targetGroups()) {
          forwards.add(
              new LiveRoute.WeightedRef(group.targetGroupArn(), weight(group.weight()), false));
        }
      } else if (action.targetGroupArn() != null) {
        forwards.add(new LiveRoute.WeightedRef(action.targetGroupArn(), 100, false));
      }
    }
    return forwards;
  }

  /** How long the forward action's stickiness lasts; null when it has none. */
  private static @Nullable Duration stickiness(Rule rule) {
    for (Action action : rule.actions()) {
      TargetGroupStickinessConfig sticky =
          action.forwardConfig() == null
              ? null
              : action.forwardConfig().targetGroupStickinessConfig();
      if (sticky != null && Boolean.TRUE.equals(sticky.enabled())) {
        return Duration.ofSeconds(sticky.durationSeconds() == null ? 0 : sticky.durationSeconds());
      }
    }
    return null;
  }

  /** A tuple without a weight has AWS's default, 1. */
  private static int weight(@Nullable Integer weight) {
    return weight == null ? 1 : weight;
  }
}
