package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.AwsCalls;
import dev.splitter.aws.internal.ElbTags;
import dev.splitter.aws.internal.ForwardActions;
import dev.splitter.aws.internal.ListenerRules;
import dev.splitter.aws.internal.ListenerRules.ListenerRule;
import dev.splitter.aws.internal.PathPatterns;
import dev.splitter.aws.internal.PinnedRules;
import dev.splitter.aws.internal.RuleClaims;
import dev.splitter.aws.internal.RuleTags;
import dev.splitter.core.BackendException;
import dev.splitter.core.NotDeployedException;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.model.internal.Required;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.Attempts;
import dev.splitter.support.BackendCalls;
import dev.splitter.support.EndpointOwners;
import dev.splitter.support.LiveRoute;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.PriorityInUseException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.RuleCondition;

/**
 * Routes each splitter with one rule on an Application Load Balancer listener: a {@code
 * path-pattern} condition on the endpoint and a {@code forward} action whose target groups carry
 * the weights (the splitter's percentages, within ALB's 0..999).
 *
 * <pre>{@code
 * RoutingBackend alb = AlbRouting.builder()
 *     .client(elbv2Client)              // yours: region, credentials, retries
 *     .listenerArn(listenerArn)
 *     .build();                         // target groups found by tag splitter.dev/api=<API name>
 * }</pre>
 *
 * <p>The rule's tags ({@code splitter.dev/managed-by: splitter}, name, kind, endpoint, api-gateway,
 * apis, spec-hash, last-updated) carry the splitter's state; rules without them are never modified
 * or deleted. A new rule takes the lowest free priority in the configured range and keeps it across
 * updates. {@link #describe} reads the weights from the forward action itself, so a weight changed
 * in the console shows, and the Deployer's read-back check sees what ALB really holds.
 *
 * <p>What ALB cannot do fails validation before any call: shadows, more than five target groups,
 * endpoints longer than a path pattern's 128 characters. ALB forwards the request path unchanged,
 * so targets receive {@code /endpoint}, not {@code /} as behind Istio's rewrite. Thread-safe.
 */
@API(status = API.Status.STABLE)
public final class AlbRouting implements RoutingBackend {
  /** The backend's name in messages. */
  public static final String BACKEND = "alb";

  /** ALB forwards to at most five target groups in one action. */
  public static final int MAX_TARGET_GROUPS = 5;

  /** The longest value a path-pattern condition takes. */
  public static final int MAX_PATH_PATTERN = 128;

  private static final int PRIORITY_ATTEMPTS = 3;

  private final BackendCapabilities capabilities;

  private final ElasticLoadBalancingV2Client client;
  private final String listenerArn;
  private final TargetGroupResolver targetGroups;
  private final int firstPriority;
  private final int lastPriority;
  private final Clock clock;
  private final BackendCalls aws = AwsCalls.of(BACKEND);
  private final ListenerRules rules;
  private final PinnedRules pinnedRules;
  private final ElbTags tags;
  private final RuleClaims claims;

  private AlbRouting(Builder builder) {
    this.client = Required.value(builder.client, "client");
    this.listenerArn = Required.value(builder.listenerArn, "listenerArn");
    this.targetGroups =
        builder.targetGroups != null ? builder.targetGroups : TargetGroupResolver.byTag(client);
    this.firstPriority = builder.firstPriority;
    this.lastPriority = builder.lastPriority;
    this.clock = builder.clock;
    this.rules = new ListenerRules(client, listenerArn, aws);
    this.pinnedRules = new PinnedRules(client, listenerArn, aws);
    this.tags = new ElbTags(client, aws);
    this.claims = new RuleClaims(tags, aws, builder.guardSettle, Clock.systemUTC());
    this.capabilities =
        BackendCapabilities.builder(BACKEND)
            .shadows(false)
            .maxTargets(MAX_TARGET_GROUPS)
            .maxEndpointLength(MAX_PATH_PATTERN)
            .pinning(builder.pinning)
            .annotations(true)
            .assignment(
                builder.stickiness == null
                    ? AssignmentMode.RANDOM
                    : AssignmentMode.byCookie(builder.stickiness))
            .build();
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public BackendCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public void apply(TrafficSplitter splitter) {
    String object = "rule for " + splitter.name();
    ForwardActions.checkFits(capabilities, splitter, aws, object);
    Map<String, String> arns = ForwardActions.resolve(targetGroups, splitter, aws, object);
    List<RuleCondition> conditions = List.of(pathIs(splitter.networking().endpoint()));
    List<Action> actions =
        List.of(ForwardActions.forward(splitter, arns, capabilities.assignment().stickiness()));
    Attempts.upTo(
        PRIORITY_ATTEMPTS,
        () -> createOrUpdate(splitter, arns, conditions, actions, object),
        () ->
            BackendException.builder(BACKEND, "CreateRule", object)
                .message("every free priority we tried was taken meanwhile; deploy again")
                .retryable(true)
                .build());
  }

  /**
   * Updates the splitter's rule, or creates one at the first free priority that leaves room for its
   * pinned rules before it; then brings the pinned rules in line.
   *
   * @return false when another writer took that priority between our read and our create
   */
  private boolean createOrUpdate(
      TrafficSplitter splitter,
      Map<String, String> arns,
      List<RuleCondition> conditions,
      List<Action> actions,
      String object) {
    List<ListenerRule> all = rules.all();
    List<ListenerRule> mine = managedAll(all, splitter.name());
    PinnedRules.Weighted weighted;
    if (!mine.isEmpty()) {
      // Two rules for one splitter can only come from a create whose answer was lost and that
      // was sent again; ALB obeys the lower priority, so that one stays.
      mine.subList(1, mine.size()).forEach(extra -> deleteRule(extra, object));
      update(mine.get(0), splitter, arns, conditions, actions, object);
      weighted =
          new PinnedRules.Weighted(splitter.name(), mine.get(0).arn(), mine.get(0).priority());
    } else {
      int room = capabilities.pinnedTargets(splitter).size();
      int priority = freePriority(all, room, object);
      try {
        String arn =
            aws.call(
                "CreateRule",
                object,
                () ->
                    client
                        .createRule(
                            request ->
                                request
                                    .listenerArn(listenerArn)
                                    .priority(priority)
                                    .conditions(conditions)
                                    .actions(actions)
                                    .tags(ElbTags.toTags(RuleTags.of(splitter, clock.instant()))))
                        .rules()
                        .get(0)
                        .ruleArn());
        weighted = new PinnedRules.Weighted(splitter.name(), arn, priority);
      } catch (BackendException e) {
        if (e.getCause() instanceof PriorityInUseException) {
          return false;
        }
        throw e;
      }
    }
    Map<String, String> pinned = new LinkedHashMap<>();
    capabilities.pinnedTargets(splitter).forEach(api -> pinned.put(api, arns.get(api)));
    pinnedRules.sync(
        all,
        weighted,
        splitter.networking().endpoint(),
        pinned,
        new PinnedRules.Priorities(firstPriority, lastPriority),
        clock.instant());
    return true;
  }

  private void update(
      ListenerRule current,
      TrafficSplitter splitter,
      Map<String, String> arns,
      List<RuleCondition> conditions,
      List<Action> actions,
      String object) {
    if (current.paths().equals(List.of(splitter.networking().endpoint()))
        && Objects.equals(current.stickiness(), capabilities.assignment().stickiness())
        && ForwardActions.upToDate(current.forwards(), current.tags(), splitter, arns)) {
      return;
    }
    aws.run(
        "ModifyRule",
        object,
        () ->
            client.modifyRule(
                request -> request.ruleArn(current.arn()).conditions(conditions).actions(actions)));
    // Routing first, state second: if tagging fails, describe still reads the live weights.
    tags.add(current.arn(), object, RuleTags.of(splitter, clock.instant()));
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return Optional.ofNullable(describeAll(Set.of(name)).get(name));
  }

  /** One read of the listener's rules and one of the target groups, however many names. */
  @Override
  public Map<String, DeployedSplitter> describeAll(Set<String> names) {
    List<ListenerRule> all = rules.all();
    Map<String, ListenerRule> found = new TreeMap<>();
    for (String name : names) {
      managed(all, name).ifPresent(rule -> found.put(name, rule));
    }
    return deployed(found.values(), all);
  }

  @Override
  public List<DeployedSplitter> list() {
    Map<String, ListenerRule> first = new TreeMap<>();
    List<ListenerRule> all = rules.all();
    all.stream()
        .filter(rule -> RuleTags.isManaged(rule.tags()))
        .filter(rule -> RuleTags.splitterName(rule.tags()) != null) // not a pinned rule
        .sorted(Comparator.comparingInt(ListenerRule::priority))
        .forEach(
            rule -> first.putIfAbsent(requireNonNull(RuleTags.splitterName(rule.tags())), rule));
    return List.copyOf(deployed(first.values(), all).values());
  }

  @Override
  public boolean delete(String name) {
    List<ListenerRule> all = rules.all();
    List<ListenerRule> mine = managedAll(all, name);
    // Pinned rules first: a failure leaves the weighted rule, and deleting again converges.
    pinnedRules.deleteAll(all, name);
    mine.forEach(rule -> deleteRule(rule, "rule for " + name));
    return !mine.isEmpty();
  }

  /** Kept as tags under {@value Annotations#PREFIX} on the splitter's rule. */
  @Override
  public Map<String, String> annotations(String name) {
    return managed(rules.all(), name)
        .map(rule -> Annotations.readFrom(rule.tags()))
        .orElse(Map.of());
  }

  /**
   * Fenced by a claim tag, since ALB's tags take no precondition: see {@link Builder#guardSettle}
   * for the window in which two writers could both write.
   */
  @Override
  public boolean annotateIf(String name, Guard guard) {
    return claims.swapIf(ruleArn(name), "rule for " + name, guard, () -> {});
  }

  /**
   * The rules, then the guard's tag, fenced as {@link #annotateIf} is. A failure between the two
   * leaves the new weights under the old tag; the next guarded write converges.
   */
  @Override
  public boolean applyIf(TrafficSplitter splitter, Guard guard) {
    String name = splitter.name();
    return claims.swapIf(ruleArn(name), "rule for " + name, guard, () -> apply(splitter));
  }

  private String ruleArn(String name) {
    return managed(rules.all(), name).orElseThrow(() -> new NotDeployedException(name)).arn();
  }

  /**
   * Every rule on the listener whose path pattern matches an endpoint, splitter's or not, including
   * wildcard patterns; a rule splitter does not manage is named by its priority.
   */
  @Override
  public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    return EndpointOwners.of(
        rules.all(),
        endpoints,
        (rule, endpoint) ->
            rule.paths().stream().anyMatch(pattern -> PathPatterns.matches(pattern, endpoint)),
        AlbRouting::owner);
  }

  private static String owner(ListenerRule rule) {
    String splitter = RuleTags.splitterName(rule.tags());
    if (RuleTags.isManaged(rule.tags()) && splitter != null) {
      return splitter;
    }
    String pinnedBy = PinnedRules.pinnedBy(rule.tags());
    if (pinnedBy != null) {
      return pinnedBy;
    }
    return "the listener rule at priority " + rule.priority();
  }

  /**
   * The splitters the rules route, by name in name order: their stored specs with the weights the
   * forward actions hold, every target group resolved in one go.
   */
  private Map<String, DeployedSplitter> deployed(
      Collection<ListenerRule> found, List<ListenerRule> all) {
    Map<ListenerRule, TrafficSplitter> stored = new LinkedHashMap<>();
    for (ListenerRule rule : found) {
      stored.put(rule, RuleTags.stored(rule.tags(), "rule " + rule.arn()));
    }
    Map<String, String> arns = ForwardActions.targetGroupsOf(targetGroups, stored.values());
    Map<String, DeployedSplitter> deployed = new TreeMap<>();
    for (Map.Entry<ListenerRule, TrafficSplitter> entry : stored.entrySet()) {
      ListenerRule rule = entry.getKey();
      TrafficSplitter spec = entry.getValue();
      String path = rule.paths().isEmpty() ? "" : rule.paths().get(0);
      TrafficSplitter live =
          new LiveRoute(path, rule.forwards())
              .applyTo(spec, api -> arns.getOrDefault(api, "no target group for " + api));
      List<String> pinned = List.copyOf(PinnedRules.of(all, spec.name()).keySet());
      Duration sticky = rule.stickiness();
      AssignmentMode mode =
          sticky == null || sticky.isZero()
              ? AssignmentMode.RANDOM
              : AssignmentMode.byCookie(sticky);
      deployed.put(
          spec.name(),
          new DeployedSplitter(live, RuleTags.lastUpdated(rule.tags()), pinned, null, mode));
    }
    return deployed;
  }

  private static Optional<ListenerRule> managed(List<ListenerRule> all, String name) {
    return managedAll(all, name).stream().findFirst();
  }

  /** The splitter's rules, lowest priority (the one ALB obeys) first. */
  private static List<ListenerRule> managedAll(List<ListenerRule> all, String name) {
    return all.stream()
        .filter(rule -> RuleTags.isManaged(rule.tags()))
        .filter(rule -> name.equals(RuleTags.splitterName(rule.tags())))
        .sorted(Comparator.comparingInt(ListenerRule::priority))
        .toList();
  }

  private void deleteRule(ListenerRule rule, String object) {
    aws.run("DeleteRule", object, () -> client.deleteRule(request -> request.ruleArn(rule.arn())));
  }

  /** The first free priority with {@code room} free ones before it, for the pinned rules. */
  private int freePriority(List<ListenerRule> all, int room, String object) {
    Set<Integer> taken = new HashSet<>();
    all.forEach(rule -> taken.add(rule.priority()));
    int skipped = 0;
    for (int priority = firstPriority; priority <= lastPriority; priority++) {
      if (!taken.contains(priority)) {
        if (skipped == room) {
          return priority;
        }
        skipped++;
      }
    }
    throw aws.refuse(
        "CreateRule",
        object,
        "no free priority in " + firstPriority + ".." + lastPriority + " on " + listenerArn);
  }

  private static RuleCondition pathIs(String endpoint) {
    return RuleCondition.builder()
        .field("path-pattern")
        .pathPatternConfig(config -> config.values(endpoint))
        .build();
  }

  /** Builds an {@link AlbRouting}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ElasticLoadBalancingV2Client client;
    private @Nullable String listenerArn;
    private @Nullable TargetGroupResolver targetGroups;
    private int firstPriority = 1;
    private int lastPriority = 50_000;
    private Clock clock = Clock.systemUTC();
    private boolean pinning = true;
    private @Nullable Duration stickiness;
    private Duration guardSettle = Duration.ofSeconds(1);

    private Builder() {}

    /** The client to call ELBv2 with. Required; closing it stays the caller's job. */
    public Builder client(ElasticLoadBalancingV2Client client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The listener whose rules route the splitters. Required. */
    public Builder listenerArn(String listenerArn) {
      this.listenerArn = requireNonNull(listenerArn, "listenerArn");
      return this;
    }

    /**
     * How each API's target group is found. Default: {@link TargetGroupResolver#byTag}, the tag
     * {@code splitter.dev/api=<API name>}.
     */
    public Builder targetGroups(TargetGroupResolver targetGroups) {
      this.targetGroups = requireNonNull(targetGroups, "targetGroups");
      return this;
    }

    /**
     * The priorities new rules may take, lowest free first. Default: 1..50000, all of ALB's.
     *
     * @throws IllegalArgumentException unless {@code 1 <= first <= last <= 50000}
     */
    public Builder priorities(int first, int last) {
      if (first < 1 || last > 50_000 || first > last) {
        throw new IllegalArgumentException(
            "priorities must satisfy 1 <= first <= last <= 50000, got " + first + ".." + last);
      }
      this.firstPriority = first;
      this.lastPriority = last;
      return this;
    }

    /**
     * Whether a request carrying {@code x-splitter-api: NAME} goes to that target: one more rule
     * per target, matching the path and the header, at a priority before the weighted rule (which
     * moves up when there is no room before it). ALB cannot remove a request header, so the header
     * reaches the target. Default: yes.
     */
    public Builder pinning(boolean pinning) {
      this.pinning = pinning;
      return this;
    }

    /**
     * Keeps a client on the target group it first reached, for this long: ALB's target group
     * stickiness on the forward action, by the load balancer's own cookie ({@code AWSALBTG}). It
     * holds a client that keeps its cookies, not a user across devices or cookie-less callers, and
     * ends with the duration; ALB has no way to hash a key. A change of weights moves a client only
     * when its cookie expires. Default: off, every request is drawn by weight.
     *
     * @throws IllegalArgumentException unless 1 second to 7 days, ALB's range
     */
    public Builder stickiness(Duration stickiness) {
      long seconds = stickiness.toSeconds();
      if (seconds < 1 || seconds > Duration.ofDays(7).toSeconds()) {
        throw new IllegalArgumentException(
            "stickiness must be 1 s to 7 days, ALB's range, got " + stickiness);
      }
      this.stickiness = Duration.ofSeconds(seconds); // what ALB keeps: whole seconds
      return this;
    }

    /** The clock for the last-updated tag. Default: the system clock, UTC. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a guarded write ({@link AlbRouting#annotateIf}, {@link AlbRouting#applyIf}, what a
     * rollout writes) waits after claiming a rule before it checks that its claim held. ALB's tags
     * take no precondition, so two writers that read the same state are kept apart only when each
     * goes from reading the rule's tags to claiming it within this time, and ends its writes within
     * the claim's lease of 60 s. Each guarded write takes this much longer. Default: 1 s.
     *
     * @throws IllegalArgumentException if it is negative or zero
     */
    public Builder guardSettle(Duration guardSettle) {
      if (guardSettle.isNegative() || guardSettle.isZero()) {
        throw new IllegalArgumentException("guardSettle must be positive, got " + guardSettle);
      }
      this.guardSettle = guardSettle;
      return this;
    }

    /**
     * Builds the backend; nothing is called yet.
     *
     * @throws NullPointerException if the client or the listener ARN is missing
     */
    public AlbRouting build() {
      return new AlbRouting(this);
    }
  }
}
