package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.core.DeployEvent.Stage;
import dev.splitter.core.internal.Comparer;
import dev.splitter.core.internal.DeployPlanner;
import dev.splitter.core.internal.SplitterWriter;
import dev.splitter.core.internal.StatusReader;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.model.internal.Required;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.Change;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.Guard;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RealtimeApiDeployer;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.TargetMetrics;
import dev.splitter.support.BackendCalls;
import dev.splitter.validation.SplitterValidator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Deploys, inspects and removes Traffic Splitters on one routing backend, the way {@code cortex
 * deploy}, {@code get} and {@code delete} did.
 *
 * <pre>{@code
 * Deployer deployer = Deployer.builder()
 *     .routing(backend)          // required: where the weighted routes live
 *     .endpoints(provisioner)    // how endpoints are exposed (default: not at all)
 *     .catalog(catalog)          // which Realtime APIs exist (default: none)
 *     .metrics(metrics)          // what each target served (default: no data)
 *     .build();
 * deployer.deploy(Path.of("cortex.yaml")).messages().forEach(System.out::println);
 * System.out.print(deployer.get("traffic-splitter").toTable());
 * deployer.delete("traffic-splitter");
 * }</pre>
 *
 * <p>The contract: the whole file is validated, against the catalog and the backend's capabilities
 * too, before anything is written. After writing a routing object the deployer reads it back and
 * fails if the weights are not the ones it asked for. A create that fails after the routing object
 * was written removes it again; an update that fails restores the previous spec.
 *
 * <p>Thread-safe: deploys and deletes are serialised; {@code get}, {@code list} and {@code plan}
 * run concurrently with them.
 */
@API(status = API.Status.STABLE)
public final class Deployer {
  private static final String SPLITTER_KIND = "TrafficSplitter";
  private static final String REALTIME_API_KIND = "RealtimeAPI";

  private final EndpointProvisioner endpoints;
  private final DeployListener listener;
  private final @Nullable RealtimeApiDeployer realtimeApis;
  private final BackendCalls calls;
  private final DeployPlanner planner;
  private final SplitterWriter writer;
  private final StatusReader status;
  private final RoutingBackend routing;
  private final Clock clock;
  private final ReentrantLock writes = new ReentrantLock();

  private Deployer(Builder builder) {
    this.routing = Required.value(builder.routing, "routing");
    this.endpoints = builder.endpoints;
    this.listener = builder.listener;
    this.realtimeApis = builder.realtimeApis;
    this.calls = BackendCalls.of(routing.capabilities().backend());
    this.clock = builder.clock;
    this.planner =
        new DeployPlanner(
            routing,
            endpoints,
            builder.catalog,
            realtimeApis != null,
            builder.requireLiveTargets,
            calls);
    this.writer = new SplitterWriter(routing, endpoints, listener, calls);
    this.status =
        new StatusReader(
            routing,
            endpoints,
            builder.catalog,
            builder.metrics,
            builder.metricsWindow,
            calls,
            builder.clock);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Deploys a configuration file.
   *
   * @throws InvalidConfigException if the file is unreadable or breaks a rule; nothing was written
   * @throws BackendException if a backend failed; what this deploy wrote for the failing splitter
   *     was undone, splitters before it in the file stay deployed
   */
  public DeployResult deploy(Path file) {
    return deploy(load(file));
  }

  /** Deploys a configuration; see {@link #deploy(Path)}. */
  public DeployResult deploy(SplitterConfig config) {
    requireNonNull(config, "config");
    writes.lock();
    try {
      List<String> warnings = new ArrayList<>();
      Plan plan = planner.plan(config, warnings);
      listener.onEvent(new DeployEvent(Stage.VALIDATED, config.sourceName()));
      List<DeployResult.Outcome> outcomes = new ArrayList<>(deployRealtimeApis(config, warnings));
      for (Plan.Step step : plan.splitters()) {
        writer.apply(step, warnings);
        outcomes.add(new DeployResult.Outcome(step.desired().name(), SPLITTER_KIND, step.change()));
      }
      listener.onEvent(new DeployEvent(Stage.DONE, config.sourceName()));
      return new DeployResult(outcomes, warnings);
    } finally {
      writes.unlock();
    }
  }

  /** What {@link #deploy(Path)} would do, with a readable diff; writes nothing. */
  public Plan plan(Path file) {
    return plan(load(file));
  }

  /**
   * What {@link #deploy(SplitterConfig)} would do, with a readable diff; writes nothing.
   *
   * @throws InvalidConfigException if the configuration breaks a rule
   */
  public Plan plan(SplitterConfig config) {
    return planner.plan(requireNonNull(config, "config"), new ArrayList<>());
  }

  /**
   * The status of a deployed splitter: per target, its weight, status and traffic.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   */
  public SplitterStatus get(String name) {
    return status.status(requireNonNull(name, "name"));
  }

  /**
   * The splitter as its routing object holds it now, read from the backend.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   */
  public DeployedSplitter describe(String name) {
    return status.deployed(requireNonNull(name, "name"));
  }

  /**
   * What these targets of the splitter served over the last {@code window}, from the metrics
   * source; {@code get} reads the same with its own window.
   *
   * @throws BackendException if the metrics source could not answer
   */
  public MetricsReport traffic(String name, List<String> apiNames, Duration window) {
    requireNonNull(name, "name");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window must be positive, got " + window);
    }
    return status.traffic(name, List.copyOf(apiNames), window);
  }

  /**
   * Each live target against the baseline, with the defaults: {@link #compare(String,
   * Comparison.Options)}.
   */
  public Comparison compare(String name) {
    return compare(name, Comparison.Options.DEFAULTS);
  }

  /**
   * Is a target better than the baseline? Each live target against it, on the same window of
   * traffic from the metrics source, with always-valid intervals: see {@link Comparison}.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   * @throws IllegalArgumentException if the baseline named is not a live target of it
   * @throws BackendException if the metrics source could not answer
   */
  public Comparison compare(String name, Comparison.Options options) {
    requireNonNull(options, "options");
    // The routing object and the metrics source only: a comparison needs no API statuses.
    DeployedSplitter deployed = describe(requireNonNull(name, "name"));
    TrafficSplitter spec = deployed.spec();
    String baseline = Comparer.baseline(spec, options);
    List<String> live =
        spec.apis().stream().filter(api -> !api.shadow()).map(TargetApi::name).toList();
    Instant written = deployed.lastUpdated();
    // Since the write: the sample-ratio check's traffic, and by default the compared traffic (the
    // sample then only grows, so every later reading is of one sequence).
    Map<String, TargetMetrics> sinceWritten = status.trafficSince(name, live, written);
    ObservedSplit observed = ObservedSplit.of(spec, sinceWritten);
    Duration window = options.window();
    if (window != null) {
      return Comparer.compare(
          spec, observed, baseline, traffic(name, live, window), window, false, options);
    }
    return Comparer.compare(
        spec,
        observed,
        baseline,
        MetricsReport.of(sinceWritten),
        Duration.between(written, clock.instant()),
        true,
        options);
  }

  /**
   * How the splitter's shadow answered, against its live targets, since the weights were last
   * written: agreement, status mismatches, differing fields, latency. {@code get} shows the same.
   *
   * @return empty if the splitter has no shadow
   * @throws NotDeployedException if no splitter of that name is deployed
   * @throws BackendException if the metrics source does not compare shadow answers (only the local
   *     gateway sees both answers), or could not answer
   */
  @API(status = API.Status.EXPERIMENTAL)
  public Optional<ShadowReport> shadowReport(String name) {
    DeployedSplitter deployed = describe(requireNonNull(name, "name"));
    Optional<TargetApi> shadow =
        deployed.spec().apis().stream().filter(TargetApi::shadow).findFirst();
    if (shadow.isEmpty()) {
      return Optional.empty();
    }
    return status.shadowReport(name, shadow.get().name());
  }

  /**
   * Whether the metrics source compares a shadow's answers with the live ones ({@link
   * #shadowReport}): the local gateway does; Istio, the Gateway API and ALB discard a mirror's
   * answers.
   */
  @API(status = API.Status.EXPERIMENTAL)
  public boolean comparesShadows() {
    return status.comparesShadows();
  }

  /**
   * The latest requests whose shadow answer disagreed with the live one, newest first: the request,
   * both answers and where they differ ({@code splitter diff}).
   *
   * @param limit the most to return, at least 1
   * @throws NotDeployedException if no splitter of that name is deployed
   * @throws BackendException if the metrics source does not compare shadow answers
   */
  @API(status = API.Status.EXPERIMENTAL)
  public List<ShadowDifference> shadowDifferences(String name, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1, got " + limit);
    }
    describe(requireNonNull(name, "name"));
    return status.shadowDifferences(name, limit);
  }

  /**
   * How each API that takes traffic from these splitters is doing (weight above 0, not a shadow),
   * by API name: what a deploy waits on before it says all targets are live. One read of the
   * splitters and one status per API, however many splitters; names not deployed are skipped.
   */
  public Map<String, ApiStatus> servingStatuses(Collection<String> splitterNames) {
    return status.servingStatuses(List.copyOf(splitterNames));
  }

  /** Every deployed splitter, in name order. */
  public List<SplitterSummary> list() {
    return status.list();
  }

  /**
   * Removes a splitter's endpoint and routing object; its target APIs keep running.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   */
  public DeleteResult delete(String name) {
    requireNonNull(name, "name");
    writes.lock();
    try {
      TrafficSplitter spec = status.deployed(name).spec();
      // Endpoint first: a failure leaves a routed splitter, and deleting again converges.
      calls.run("unexpose", name, () -> endpoints.unexpose(spec));
      calls.run("delete", name, () -> routing.delete(name));
      return new DeleteResult(name);
    } finally {
      writes.unlock();
    }
  }

  /**
   * The splitter's annotations: splitter's own state kept on its routing object (a rollout in
   * progress), by key; one read of the backend.
   *
   * @return empty if it has none, or is not deployed
   */
  public Map<String, String> annotations(String name) {
    requireNonNull(name, "name");
    return calls.call("read annotations", name, () -> routing.annotations(name));
  }

  /**
   * Sets or removes one annotation on the splitter's routing object, if it holds what the guard
   * expects; serialised with deploys and deletes, and guarded against other deployers as {@link
   * RoutingBackend#annotateIf} says.
   *
   * @return false, with nothing written, if the annotation held something else
   * @throws NotDeployedException if no splitter of that name is deployed
   * @throws UnsupportedOperationException if the backend keeps no annotations ({@link
   *     BackendCapabilities#annotations()})
   */
  public boolean annotateIf(String name, Guard guard) {
    requireNonNull(name, "name");
    requireNonNull(guard, "guard");
    writes.lock();
    try {
      return calls.call("annotate", name, () -> routing.annotateIf(name, guard));
    } finally {
      writes.unlock();
    }
  }

  /**
   * Deploys one splitter that is already deployed, and sets one of its annotations in the same
   * write, if the annotation holds what the guard expects: validated, planned, read back and undone
   * on failure as {@link #deploy(SplitterConfig)} does. An unchanged splitter has only its
   * annotation set. What a rollout writes at each step.
   *
   * @return false, with nothing written, if the annotation held something else
   * @throws InvalidConfigException if the splitter breaks a rule; nothing was written
   * @throws NotDeployedException if no splitter of that name is deployed
   * @throws UnsupportedOperationException if the backend keeps no annotations
   */
  public boolean deployIf(TrafficSplitter splitter, Guard guard) {
    requireNonNull(splitter, "splitter");
    requireNonNull(guard, "guard");
    writes.lock();
    try {
      List<String> warnings = new ArrayList<>();
      Plan.Step step = planner.plan(SplitterConfig.of(splitter), warnings).splitters().get(0);
      if (step.deployed() == null) {
        throw new NotDeployedException(splitter.name());
      }
      return writer.applyIf(step, guard, warnings);
    } finally {
      writes.unlock();
    }
  }

  /** What the routing backend can route and keep. */
  public BackendCapabilities capabilities() {
    return routing.capabilities();
  }

  /**
   * Reads a file; when it cannot be read whole, its problems and the rules' violations in what
   * could be read are reported together, so one run shows every problem.
   */
  private SplitterConfig load(Path file) {
    try {
      return SplitterConfig.load(file);
    } catch (InvalidConfigException problems) {
      if (problems.partial().isEmpty()) {
        throw problems;
      }
      List<Violation> rules;
      try {
        planner.plan(problems.partial().get(), new ArrayList<>());
        rules = List.of();
      } catch (InvalidConfigException broken) {
        rules = broken.violations();
      }
      throw SplitterValidator.combine(problems, rules);
    }
  }

  /** The file's Realtime APIs, through the hook; without one, a warning that they were skipped. */
  private List<DeployResult.Outcome> deployRealtimeApis(
      SplitterConfig config, List<String> warnings) {
    if (realtimeApis == null) {
      if (!config.realtimeApis().isEmpty()) {
        // Said, not silently skipped: a Cortex user expects deploy to deploy them.
        warnings.add(
            "RealtimeAPIs in the file are not deployed here (no RealtimeApiDeployer): "
                + config.realtimeApis().stream()
                    .map(RealtimeApi::name)
                    .collect(Collectors.joining(", "))
                + "; the splitters route to them as they already run");
      }
      return List.of();
    }
    List<DeployResult.Outcome> outcomes = new ArrayList<>();
    for (RealtimeApi api : config.realtimeApis()) {
      Change change = calls.call("deploy", api.name(), () -> realtimeApis.deploy(api));
      outcomes.add(new DeployResult.Outcome(api.name(), REALTIME_API_KIND, change));
    }
    return outcomes;
  }

  /** Builds a {@link Deployer}. Not thread-safe. */
  public static final class Builder {
    private @Nullable RoutingBackend routing;
    private EndpointProvisioner endpoints = EndpointProvisioner.none();
    private ApiCatalog catalog = ApiCatalog.empty();
    private MetricsSource metrics = MetricsSource.none();
    private DeployListener listener = DeployListener.none();
    private @Nullable RealtimeApiDeployer realtimeApis;
    private boolean requireLiveTargets;
    private Duration metricsWindow = Duration.ofHours(1);
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Where the weighted routes live. Required. */
    public Builder routing(RoutingBackend routing) {
      this.routing = requireNonNull(routing, "routing");
      return this;
    }

    /** How endpoints are exposed. Default: not at all, and {@code api_gateway: public} fails. */
    public Builder endpoints(EndpointProvisioner endpoints) {
      this.endpoints = requireNonNull(endpoints, "endpoints");
      return this;
    }

    /** Which Realtime APIs exist and how they are doing. Default: none exist. */
    public Builder catalog(ApiCatalog catalog) {
      this.catalog = requireNonNull(catalog, "catalog");
      return this;
    }

    /** What each target served, for {@code get}. Default: no data. */
    public Builder metrics(MetricsSource metrics) {
      this.metrics = requireNonNull(metrics, "metrics");
      return this;
    }

    /** The window {@code get} asks the metrics source for. Default: one hour. */
    public Builder metricsWindow(Duration metricsWindow) {
      if (metricsWindow.isNegative() || metricsWindow.isZero()) {
        throw new IllegalArgumentException("metricsWindow must be positive, got " + metricsWindow);
      }
      this.metricsWindow = metricsWindow;
      return this;
    }

    /**
     * The clock {@code get} reads the time since a splitter was last written by, to count its
     * observed split from then: the metrics source's clock. Default: the system clock, UTC.
     */
    public Builder clock(Clock clock) {
      this.clock = requireNonNull(clock, "clock");
      return this;
    }

    /** Hears each step of a deploy. Default: nothing hears. */
    public Builder listener(DeployListener listener) {
      this.listener = requireNonNull(listener, "listener");
      return this;
    }

    /**
     * Deploys the Realtime APIs defined in a file, before the splitters that target them. Without
     * it, every target must already be known to the catalog.
     */
    public Builder realtimeApis(RealtimeApiDeployer realtimeApis) {
      this.realtimeApis = requireNonNull(realtimeApis, "realtimeApis");
      return this;
    }

    /**
     * Whether a target with weight above 0 that the catalog reports as not live fails the deploy
     * (true) or only gives a warning (false, the default).
     */
    public Builder requireLiveTargets(boolean requireLiveTargets) {
      this.requireLiveTargets = requireLiveTargets;
      return this;
    }

    /**
     * Builds the deployer.
     *
     * @throws IllegalStateException if no routing backend was set
     */
    public Deployer build() {
      return new Deployer(this);
    }
  }
}
