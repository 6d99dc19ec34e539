package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.AwsCalls;
import dev.splitter.aws.internal.ElbTags;
import dev.splitter.aws.internal.ForwardActions;
import dev.splitter.aws.internal.ListenerRules;
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
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.Attempts;
import dev.splitter.support.BackendCalls;
import dev.splitter.support.LiveRoute;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Action;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DuplicateListenerException;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;

/**
 * Routes each splitter with a TCP listener of its own on a Network Load Balancer, whose default
 * {@code forward} action's target groups carry the weights (the splitter's percentages). A
 * connection, not a request, is what is split: NLB picks a target group when a client connects and
 * keeps the connection there, so a client that reuses one connection sees one target.
 *
 * <pre>{@code
 * RoutingBackend nlb = NlbRouting.builder()
 *     .client(elbv2Client)              // yours: region, credentials, retries
 *     .loadBalancerArn(nlbArn)
 *     .ports(10000, 10999)              // where each splitter's listener may go
 *     .build();                         // target groups found by tag splitter.dev/api=<API name>
 * }</pre>
 *
 * <p>A TCP listener sees no paths or headers, so the splitter's endpoint is not matched: each
 * splitter is reached at its own port ({@code get} shows {@code tcp://DNS:PORT}), its endpoint is
 * kept (as a tag) only as its name for people and for the file's uniqueness rules, and a request's
 * path reaches the target as sent. What NLB cannot do fails validation before any call: shadows,
 * more than five target groups. Pinning by header and keyed assignment need a request and are not
 * offered. The listener's tags carry the splitter's state as an ALB rule's do; listeners without
 * them are never modified or deleted. A new listener takes the lowest free port in the range and
 * keeps it across updates. Thread-safe.
 */
@API(status = API.Status.EXPERIMENTAL)
public final class NlbRouting implements RoutingBackend {
  /** The backend's name in messages. */
  public static final String BACKEND = "nlb";

  /** A forward action takes at most five target groups. */
  public static final int MAX_TARGET_GROUPS = 5;

  private static final int PORT_ATTEMPTS = 3;

  private final BackendCapabilities capabilities =
      BackendCapabilities.builder(BACKEND)
          .shadows(false)
          .maxTargets(MAX_TARGET_GROUPS)
          .pinning(false)
          .annotations(true)
          .assignment(AssignmentMode.RANDOM)
          .build();

  private final ElasticLoadBalancingV2Client client;
  private final String loadBalancerArn;
  private final TargetGroupResolver targetGroups;
  private final int firstPort;
  private final int lastPort;
  private final Clock clock;
  private final BackendCalls aws = AwsCalls.of(BACKEND);
  private final ElbTags tags;
  private final RuleClaims claims;
  private volatile @Nullable String dnsName;

  private NlbRouting(Builder builder) {
    this.client = Required.value(builder.client, "client");
    this.loadBalancerArn = Required.value(builder.loadBalancerArn, "loadBalancerArn");
    this.targetGroups =
        builder.targetGroups != null ? builder.targetGroups : TargetGroupResolver.byTag(client);
    this.firstPort = builder.firstPort;
    this.lastPort = builder.lastPort;
    this.clock = builder.clock;
    this.tags = new ElbTags(client, aws);
    this.claims = new RuleClaims(tags, aws, builder.guardSettle, Clock.systemUTC());
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public BackendCapabilities capabilities() {
    return capabilities;
  }

  /** One listener on the load balancer as it stands. */
  private record NlbListener(
      String arn, int port, List<LiveRoute.WeightedRef> forwards, Map<String, String> tags) {
    boolean routes(String name) {
      return RuleTags.isManaged(tags) && name.equals(RuleTags.splitterName(tags));
    }
  }

  @Override
  public void apply(TrafficSplitter splitter) {
    String object = "listener for " + splitter.name();
    ForwardActions.checkFits(capabilities, splitter, aws, object);
    Map<String, String> arns = ForwardActions.resolve(targetGroups, splitter, aws, object);
    Action forward = ForwardActions.forward(splitter, arns, null);
    Attempts.upTo(
        PORT_ATTEMPTS,
        () -> createOrUpdate(splitter, arns, forward, object),
        () ->
            BackendException.builder(BACKEND, "CreateListener", object)
                .message("every free port we tried was taken meanwhile; deploy again")
                .retryable(true)
                .build());
  }

  /**
   * Updates the splitter's listener, or creates one at the lowest free port.
   *
   * @return false when another writer took that port between our read and our create
   */
  private boolean createOrUpdate(
      TrafficSplitter splitter, Map<String, String> arns, Action forward, String object) {
    List<NlbListener> all = listeners();
    List<NlbListener> mine = mine(all, splitter.name());
    if (!mine.isEmpty()) {
      // Two listeners for one splitter can only come from a create whose answer was lost and
      // that was sent again; the one at the lower port stays.
      mine.subList(1, mine.size()).forEach(extra -> deleteListener(extra, object));
      update(mine.get(0), splitter, arns, forward, object);
      return true;
    }
    int port = freePort(all, object);
    try {
      aws.run(
          "CreateListener",
          object,
          () ->
              client.createListener(
                  request ->
                      request
                          .loadBalancerArn(loadBalancerArn)
                          .protocol(ProtocolEnum.TCP)
                          .port(port)
                          .defaultActions(forward)
                          .tags(ElbTags.toTags(RuleTags.of(splitter, clock.instant())))));
      return true;
    } catch (BackendException e) {
      if (e.getCause() instanceof DuplicateListenerException) {
        return false;
      }
      throw e;
    }
  }

  private void update(
      NlbListener current,
      TrafficSplitter splitter,
      Map<String, String> arns,
      Action forward,
      String object) {
    if (ForwardActions.upToDate(current.forwards(), current.tags(), splitter, arns)) {
      return;
    }
    aws.run(
        "ModifyListener",
        object,
        () ->
            client.modifyListener(
                request -> request.listenerArn(current.arn()).defaultActions(forward)));
    // Routing first, state second: if tagging fails, describe still reads the live weights.
    tags.add(current.arn(), object, RuleTags.of(splitter, clock.instant()));
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return Optional.ofNullable(describeAll(Set.of(name)).get(name));
  }

  /** One read of the listeners and their tags, and one of the target groups, however many names. */
  @Override
  public Map<String, DeployedSplitter> describeAll(Set<String> names) {
    List<NlbListener> all = listeners();
    Map<String, NlbListener> found = new TreeMap<>();
    for (String name : names) {
      mine(all, name).stream().findFirst().ifPresent(listener -> found.put(name, listener));
    }
    return deployed(found.values());
  }

  @Override
  public List<DeployedSplitter> list() {
    Map<String, NlbListener> first = new TreeMap<>();
    listeners().stream()
        .filter(listener -> RuleTags.isManaged(listener.tags()))
        .filter(listener -> RuleTags.splitterName(listener.tags()) != null)
        .sorted(Comparator.comparingInt(NlbListener::port))
        .forEach(
            listener ->
                first.putIfAbsent(
                    requireNonNull(RuleTags.splitterName(listener.tags())), listener));
    return List.copyOf(deployed(first.values()).values());
  }

  @Override
  public boolean delete(String name) {
    List<NlbListener> mine = mine(listeners(), name);
    mine.forEach(listener -> deleteListener(listener, "listener for " + name));
    return !mine.isEmpty();
  }

  /** Kept as tags under {@value Annotations#PREFIX} on the splitter's listener. */
  @Override
  public Map<String, String> annotations(String name) {
    return mine(listeners(), name).stream()
        .findFirst()
        .map(listener -> Annotations.readFrom(listener.tags()))
        .orElse(Map.of());
  }

  /** Fenced by a claim tag, as on ALB: see {@link Builder#guardSettle}. */
  @Override
  public boolean annotateIf(String name, Guard guard) {
    return claims.swapIf(listenerArn(name), "listener for " + name, guard, () -> {});
  }

  /** The weights, then the guard's tag, fenced as {@link #annotateIf} is. */
  @Override
  public boolean applyIf(TrafficSplitter splitter, Guard guard) {
    String name = splitter.name();
    return claims.swapIf(listenerArn(name), "listener for " + name, guard, () -> apply(splitter));
  }

  /**
   * Where callers reach each splitter, for {@code Deployer.builder().endpoints(...)}: {@code
   * tcp://DNS:PORT}, the load balancer's name and the splitter's listener. It creates nothing, and
   * has no public endpoints ({@code api_gateway: public} fails validation: set {@code none}).
   */
  public EndpointProvisioner endpoints() {
    return EndpointProvisioner.urlsOnly(
        splitter ->
            port(splitter.name()).map(port -> URI.create("tcp://" + dnsName() + ":" + port)));
  }

  private String dnsName() {
    String known = dnsName;
    if (known == null) {
      known =
          aws.call(
                  "DescribeLoadBalancers",
                  "load balancer " + loadBalancerArn,
                  () ->
                      client.describeLoadBalancers(
                          request -> request.loadBalancerArns(loadBalancerArn)))
              .loadBalancers()
              .get(0)
              .dnsName();
      dnsName = known;
    }
    return known;
  }

  /** The splitter's port on the load balancer, once deployed. */
  public Optional<Integer> port(String name) {
    return mine(listeners(), name).stream().findFirst().map(NlbListener::port);
  }

  private String listenerArn(String name) {
    return mine(listeners(), name).stream()
        .findFirst()
        .orElseThrow(() -> new NotDeployedException(name))
        .arn();
  }

  /** Every listener on the load balancer, with its tags: one paged read, tags twenty at a time. */
  private List<NlbListener> listeners() {
    String object = "listeners of " + loadBalancerArn;
    List<Listener> listeners =
        aws.call(
            "DescribeListeners",
            object,
            () ->
                client
                    .describeListenersPaginator(request -> request.loadBalancerArn(loadBalancerArn))
                    .listeners()
                    .stream()
                    .toList());
    Map<String, Map<String, String>> byArn =
        tags.of(listeners.stream().map(Listener::listenerArn).toList(), object);
    return listeners.stream()
        .map(
            listener ->
                new NlbListener(
                    listener.listenerArn(),
                    listener.port(),
                    ListenerRules.forwards(listener.defaultActions()),
                    byArn.getOrDefault(listener.listenerArn(), Map.of())))
        .toList();
  }

  /** The splitter's listeners, lowest port (the one that stays) first. */
  private static List<NlbListener> mine(List<NlbListener> all, String name) {
    return all.stream()
        .filter(listener -> listener.routes(name))
        .sorted(Comparator.comparingInt(NlbListener::port))
        .toList();
  }

  /**
   * The splitters the listeners route, by name: their stored specs with the weights the forward
   * actions hold, every target group resolved in one go.
   */
  private Map<String, DeployedSplitter> deployed(Collection<NlbListener> found) {
    Map<NlbListener, TrafficSplitter> stored = new LinkedHashMap<>();
    for (NlbListener listener : found) {
      stored.put(listener, RuleTags.stored(BACKEND, listener.tags(), "listener " + listener.arn()));
    }
    Map<String, String> arns = ForwardActions.targetGroupsOf(targetGroups, stored.values());
    Map<String, DeployedSplitter> deployed = new TreeMap<>();
    stored.forEach(
        (listener, spec) -> {
          // No path to read back: the endpoint is the stored one.
          TrafficSplitter live =
              new LiveRoute(spec.networking().endpoint(), listener.forwards())
                  .applyTo(spec, api -> arns.getOrDefault(api, "no target group for " + api));
          deployed.put(
              spec.name(),
              new DeployedSplitter(
                  live,
                  RuleTags.lastUpdated(listener.tags()),
                  List.of(),
                  null,
                  AssignmentMode.RANDOM));
        });
    return deployed;
  }

  private void deleteListener(NlbListener listener, String object) {
    aws.run(
        "DeleteListener",
        object,
        () -> client.deleteListener(request -> request.listenerArn(listener.arn())));
  }

  private int freePort(List<NlbListener> all, String object) {
    Set<Integer> taken = new HashSet<>();
    all.forEach(listener -> taken.add(listener.port()));
    for (int port = firstPort; port <= lastPort; port++) {
      if (!taken.contains(port)) {
        return port;
      }
    }
    throw aws.refuse(
        "CreateListener",
        object,
        "no free port in " + firstPort + ".." + lastPort + " on " + loadBalancerArn);
  }

  /** Builds an {@link NlbRouting}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ElasticLoadBalancingV2Client client;
    private @Nullable String loadBalancerArn;
    private @Nullable TargetGroupResolver targetGroups;
    private int firstPort = 10_000;
    private int lastPort = 10_999;
    private Clock clock = Clock.systemUTC();
    private Duration guardSettle = Duration.ofSeconds(1);

    private Builder() {}

    /** The client to call ELBv2 with. Required; closing it stays the caller's job. */
    public Builder client(ElasticLoadBalancingV2Client client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The Network Load Balancer the splitters' listeners are made on. Required. */
    public Builder loadBalancerArn(String loadBalancerArn) {
      this.loadBalancerArn = requireNonNull(loadBalancerArn, "loadBalancerArn");
      return this;
    }

    /**
     * How each API's target group (TCP) is found. Default: {@link TargetGroupResolver#byTag}, the
     * tag {@code splitter.dev/api=<API name>}.
     */
    public Builder targetGroups(TargetGroupResolver targetGroups) {
      this.targetGroups = requireNonNull(targetGroups, "targetGroups");
      return this;
    }

    /**
     * The ports new listeners may take, lowest free first; a port some other listener holds is
     * skipped. Default: 10000..10999.
     *
     * @throws IllegalArgumentException unless {@code 1 <= first <= last <= 65535}
     */
    public Builder ports(int first, int last) {
      if (first < 1 || last > 65_535 || first > last) {
        throw new IllegalArgumentException(
            "ports must satisfy 1 <= first <= last <= 65535, got " + first + ".." + last);
      }
      this.firstPort = first;
      this.lastPort = last;
      return this;
    }

    /** The clock for the last-updated tag. Default: the system clock, UTC. */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /**
     * How long a guarded write (what a rollout writes) waits after claiming a listener before it
     * checks that its claim held, as {@link AlbRouting.Builder#guardSettle} does for a rule.
     * Default: 1 s.
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
     * @throws NullPointerException if the client or the load balancer's ARN is missing
     */
    public NlbRouting build() {
      return new NlbRouting(this);
    }
  }
}
