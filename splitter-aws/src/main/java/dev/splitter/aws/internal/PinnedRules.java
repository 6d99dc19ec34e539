package dev.splitter.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.ListenerRules.ListenerRule;
import dev.splitter.core.BackendException;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.support.BackendCalls;
import dev.splitter.support.LiveRoute;
import dev.splitter.support.StoredSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * A splitter's pinned rules on one listener: one per target, matching the endpoint's path and
 * {@code x-splitter-api: NAME}, forwarding to that target's group, at a priority before the
 * splitter's weighted rule (ALB obeys the lowest matching priority). They carry their own tags,
 * without the splitter's name tag, so nothing that reads weighted rules mistakes them for one.
 */
@API(status = API.Status.INTERNAL)
public final class PinnedRules {
  /** The tag naming the splitter a pinned rule belongs to. */
  public static final String PINNED_BY = "splitter.dev/pinned-by";

  /** The tag naming the target a pinned rule sends to. */
  public static final String PINNED_API = "splitter.dev/pinned-api";

  private final ElasticLoadBalancingV2Client client;
  private final String listenerArn;
  private final BackendCalls aws;

  public PinnedRules(ElasticLoadBalancingV2Client client, String listenerArn, BackendCalls aws) {
    this.client = client;
    this.listenerArn = listenerArn;
    this.aws = aws;
  }

  /** The splitter a pinned rule belongs to; null for any other rule. */
  public static @Nullable String pinnedBy(Map<String, String> tags) {
    return RuleTags.isManaged(tags) ? tags.get(PINNED_BY) : null;
  }

  /** The splitter's pinned rules, by target. */
  public static Map<String, ListenerRule> of(List<ListenerRule> all, String splitter) {
    Map<String, ListenerRule> pinned = new LinkedHashMap<>();
    for (ListenerRule rule : all) {
      String api = rule.tags().get(PINNED_API);
      if (splitter.equals(pinnedBy(rule.tags())) && api != null) {
        pinned.put(api, rule);
      }
    }
    return pinned;
  }

  /**
   * Brings the splitter's pinned rules to one per target of {@code targetGroups}, each before the
   * weighted rule; when there is no free priority left below it, the weighted rule moves up first.
   *
   * @param all the listener's rules as read before this deploy wrote
   * @param weighted the splitter's weighted rule as it now stands
   * @param targetGroups the target group of each target to pin, in order
   * @param priorities the priorities splitter may use
   */
  public void sync(
      List<ListenerRule> all,
      Weighted weighted,
      String endpoint,
      Map<String, String> targetGroups,
      Priorities priorities,
      Instant now) {
    String splitter = weighted.splitter();
    String object = "pinned rules of " + splitter;
    Map<String, ListenerRule> existing = of(all, splitter);
    Set<Integer> taken = new HashSet<>();
    all.forEach(rule -> taken.add(rule.priority()));
    taken.add(weighted.priority());
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, ListenerRule> entry : existing.entrySet()) {
      ListenerRule rule = entry.getValue();
      String group = targetGroups.get(entry.getKey());
      if (group == null || rule.priority() > weighted.priority()) {
        delete(rule, object);
        taken.remove(rule.priority());
      } else if (!rule.forwards().equals(List.of(new LiveRoute.WeightedRef(group, 1, false)))
          || !rule.paths().equals(List.of(endpoint))) {
        modify(rule.arn(), endpoint, entry.getKey(), group, object);
      }
    }
    targetGroups.keySet().stream()
        .filter(
            api -> !existing.containsKey(api) || existing.get(api).priority() > weighted.priority())
        .forEach(missing::add);
    if (missing.isEmpty()) {
      return;
    }
    int weightedAt = weighted.priority();
    List<Integer> below = priorities.freeBelow(taken, weightedAt);
    if (below.size() < missing.size()) {
      int moved = priorities.withRoomBelow(taken, weightedAt, missing.size(), object);
      aws.run(
          "SetRulePriorities",
          object,
          () ->
              client.setRulePriorities(
                  request ->
                      request.rulePriorities(
                          priority -> priority.ruleArn(weighted.arn()).priority(moved))));
      taken.remove(weightedAt);
      taken.add(moved);
      below = priorities.freeBelow(taken, moved);
    }
    for (int i = 0; i < missing.size(); i++) {
      String api = missing.get(i);
      int priority = below.get(i);
      String group = requireNonNull(targetGroups.get(api), api);
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put(RuleTags.MANAGED_BY, StoredSpec.MANAGED_BY_VALUE);
      tags.put(PINNED_BY, splitter);
      tags.put(PINNED_API, api);
      tags.put(StoredSpec.LAST_UPDATED_KEY, now.toString());
      aws.run(
          "CreateRule",
          object,
          () ->
              client.createRule(
                  request ->
                      request
                          .listenerArn(listenerArn)
                          .priority(priority)
                          .conditions(conditions(endpoint, api))
                          .actions(forward(group))
                          .tags(ElbTags.toTags(tags))));
    }
  }

  /** Removes every pinned rule of the splitter. */
  public void deleteAll(List<ListenerRule> all, String splitter) {
    of(all, splitter).values().forEach(rule -> delete(rule, "pinned rules of " + splitter));
  }

  private void modify(String arn, String endpoint, String api, String group, String object) {
    aws.run(
        "ModifyRule",
        object,
        () ->
            client.modifyRule(
                request ->
                    request
                        .ruleArn(arn)
                        .conditions(conditions(endpoint, api))
                        .actions(forward(group))));
  }

  private void delete(ListenerRule rule, String object) {
    aws.run("DeleteRule", object, () -> client.deleteRule(request -> request.ruleArn(rule.arn())));
  }

  private static List<RuleCondition> conditions(String endpoint, String api) {
    return List.of(
        RuleCondition.builder()
            .field("path-pattern")
            .pathPatternConfig(config -> config.values(endpoint))
            .build(),
        RuleCondition.builder()
            .field("http-header")
            .httpHeaderConfig(
                config -> config.httpHeaderName(BackendCapabilities.PIN_HEADER).values(api))
            .build());
  }

  private static List<Action> forward(String group) {
    return List.of(
        Action.builder()
            .type(ActionTypeEnum.FORWARD)
            .forwardConfig(
                config ->
                    config.targetGroups(
                        TargetGroupTuple.builder().targetGroupArn(group).weight(1).build()))
            .build());
  }

  /** A splitter's weighted rule: where it is and what it holds. */
  public record Weighted(String splitter, String arn, int priority) {}

  /** The range of priorities splitter may take on the listener. */
  public record Priorities(int first, int last) {

    /** The free priorities before {@code before}, lowest first. */
    List<Integer> freeBelow(Set<Integer> taken, int before) {
      List<Integer> free = new ArrayList<>();
      for (int priority = first; priority < before; priority++) {
        if (!taken.contains(priority)) {
          free.add(priority);
        }
      }
      return free;
    }

    /**
     * The lowest free priority with at least {@code room} free ones before it (the weighted rule's
     * current priority counts as free, since it moves).
     */
    int withRoomBelow(Set<Integer> taken, int current, int room, String object) {
      int free = 0;
      for (int priority = first; priority <= last; priority++) {
        boolean isFree = !taken.contains(priority) || priority == current;
        if (isFree && free >= room && priority != current) {
          return priority;
        }
        if (isFree) {
          free++;
        }
      }
      throw BackendException.builder("alb", "SetRulePriorities", object)
          .message(
              "no priority in "
                  + first
                  + ".."
                  + last
                  + " leaves room for "
                  + room
                  + " pinned rules before the weighted rule; free some priorities or turn pinning"
                  + " off")
          .build();
    }
  }
}
