package dev.splitter.aws.internal;

import dev.splitter.support.BackendCalls;
import dev.splitter.support.LiveRoute;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * Reads a listener's rules with their tags (every page of DescribeRules, tags twenty at a time),
 * and reads and writes one rule's tags.
 */
@API(status = API.Status.INTERNAL)
public final class ListenerRules {
  private static final int PAGE_SIZE = 100;

  private final ElasticLoadBalancingV2Client client;
  private final String listenerArn;
  private final BackendCalls aws;

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
    Map<String, Map<String, String>> tags = tags(rules.stream().map(Rule::ruleArn).toList());
    return rules.stream()
        .map(
            rule ->
                new ListenerRule(
                    rule.ruleArn(),
                    Integer.parseInt(rule.priority()),
                    paths(rule),
                    forwards(rule),
                    stickiness(rule),
                    tags.getOrDefault(rule.ruleArn(), Map.of())))
        .toList();
  }

  private Map<String, Map<String, String>> tags(List<String> arns) {
    Map<String, Map<String, String>> tags = new HashMap<>();
    for (List<String> batch : AwsCalls.batches(arns, AwsCalls.TAGS_PER_CALL)) {
      List<TagDescription> descriptions =
          aws.call(
              "DescribeTags",
              "rules of listener " + listenerArn,
              () -> client.describeTags(request -> request.resourceArns(batch)).tagDescriptions());
      for (TagDescription description : descriptions) {
        Map<String, String> byKey = new HashMap<>();
        description.tags().forEach(tag -> byKey.put(tag.key(), tag.value()));
        tags.put(description.resourceArn(), byKey);
      }
    }
    return tags;
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

  private static List<LiveRoute.WeightedRef> forwards(Rule rule) {
    List<LiveRoute.WeightedRef> forwards = new ArrayList<>();
    for (Action action : rule.actions()) {
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

  /** One rule's tags, read alone. */
  public Map<String, String> tags(String ruleArn, String object) {
    Map<String, String> tags = new HashMap<>();
    aws.call(
            "DescribeTags",
            object,
            () -> client.describeTags(request -> request.resourceArns(ruleArn)))
        .tagDescriptions()
        .forEach(description -> description.tags().forEach(t -> tags.put(t.key(), t.value())));
    return tags;
  }

  /** Sets tags on one rule, keeping the others. */
  public void addTags(String ruleArn, String object, Map<String, String> tags) {
    aws.run(
        "AddTags",
        object,
        () -> client.addTags(request -> request.resourceArns(ruleArn).tags(toTags(tags))));
  }

  /** Removes one tag from one rule. */
  public void removeTag(String ruleArn, String object, String tag) {
    aws.run(
        "RemoveTags",
        object,
        () -> client.removeTags(request -> request.resourceArns(ruleArn).tagKeys(tag)));
  }

  /** Tags as the SDK takes them. */
  public static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(entry -> Tag.builder().key(entry.getKey()).value(entry.getValue()).build())
        .toList();
  }
}
