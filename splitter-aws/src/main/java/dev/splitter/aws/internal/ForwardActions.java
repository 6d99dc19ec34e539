package dev.splitter.aws.internal;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.TargetGroupResolver;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.support.BackendCalls;
import dev.splitter.support.LiveRoute;
import dev.splitter.support.StoredSpec;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupTuple;

/**
 * A splitter as a weighted forward action, what an ALB rule and an NLB listener both carry: its
 * target groups found before anything is written, what the backend cannot realise refused first.
 */
@API(status = API.Status.INTERNAL)
public final class ForwardActions {
  private ForwardActions() {}

  /** The forward action: each API's target group at its weight, with stickiness if any. */
  public static Action forward(
      TrafficSplitter splitter, Map<String, String> arns, @Nullable Duration stickiness) {
    List<TargetGroupTuple> groups =
        splitter.apis().stream()
            .map(
                api ->
                    TargetGroupTuple.builder()
                        .targetGroupArn(arns.get(api.name()))
                        .weight(api.weight())
                        .build())
            .toList();
    return Action.builder()
        .type(ActionTypeEnum.FORWARD)
        .forwardConfig(
            config -> {
              config.targetGroups(groups);
              if (stickiness != null) {
                config.targetGroupStickinessConfig(
                    sticky -> sticky.enabled(true).durationSeconds((int) stickiness.toSeconds()));
              }
            })
        .build();
  }

  /** What the forward action routes, as read back: to compare with what is deployed. */
  public static List<LiveRoute.WeightedRef> liveTargets(
      TrafficSplitter splitter, Map<String, String> arns) {
    return splitter.apis().stream()
        // resolve() found a target group for every API before anything was written.
        .map(
            api ->
                new LiveRoute.WeightedRef(
                    requireNonNull(arns.get(api.name()), api.name()), api.weight(), false))
        .toList();
  }

  /** The target groups of every API of these stored splitters, resolved in one go. */
  public static Map<String, String> targetGroupsOf(
      TargetGroupResolver targetGroups, Collection<TrafficSplitter> specs) {
    Set<String> apiNames = new TreeSet<>();
    specs.forEach(spec -> spec.apis().forEach(api -> apiNames.add(api.name())));
    return targetGroups.resolve(apiNames);
  }

  /**
   * Whether what a rule or listener forwards, and the spec hash in its tags, already are the
   * splitter's: then nothing is written.
   */
  public static boolean upToDate(
      List<LiveRoute.WeightedRef> forwards,
      Map<String, String> tags,
      TrafficSplitter splitter,
      Map<String, String> arns) {
    return forwards.equals(liveTargets(splitter, arns))
        && StoredSpec.hash(splitter).equals(RuleTags.storedHash(tags));
  }

  /**
   * Every API's target group ARN.
   *
   * @throws dev.splitter.core.BackendException naming the APIs without one, before any write
   */
  public static Map<String, String> resolve(
      TargetGroupResolver targetGroups, TrafficSplitter splitter, BackendCalls aws, String object) {
    List<String> names = splitter.apis().stream().map(TargetApi::name).toList();
    Map<String, String> arns = targetGroups.resolve(names);
    List<String> missing = names.stream().filter(name -> !arns.containsKey(name)).toList();
    if (!missing.isEmpty()) {
      throw aws.refuse(
          "check", object, "no target group found for " + missing + " (" + targetGroups + ")");
    }
    return arns;
  }

  /**
   * Refuses what validation refuses, again, for callers that write without a Deployer.
   *
   * @throws dev.splitter.core.BackendException listing each problem
   */
  public static void checkFits(
      BackendCapabilities capabilities, TrafficSplitter splitter, BackendCalls aws, String object) {
    List<BackendCapabilities.Problem> problems = capabilities.check(splitter);
    if (!problems.isEmpty()) {
      throw aws.refuse(
          "check",
          object,
          problems.stream()
              .map(problem -> problem.path() + ": " + problem.message())
              .collect(Collectors.joining("; ")));
    }
  }
}
