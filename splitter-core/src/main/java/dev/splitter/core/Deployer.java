package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.InvalidConfigException;
import dev.splitter.SplitterException;
import dev.splitter.Violation;
import dev.splitter.core.DeployEvent.Stage;
import dev.splitter.core.internal.SpecDiff;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.Change;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RealtimeApiDeployer;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.spi.TargetMetrics;
import dev.splitter.validation.SplitterValidator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.stream.Collectors;
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
public final class Deployer {
  private static final String SPLITTER_KIND = "TrafficSplitter";
  private static final String REALTIME_API_KIND = "RealtimeAPI";

  private final RoutingBackend routing;
  private final EndpointProvisioner endpoints;
  private final ApiCatalog catalog;
  private final MetricsSource metrics;
  private final DeployListener listener;
  private final @Nullable RealtimeApiDeployer realtimeApis;
  private final boolean requireLiveTargets;
  private final Duration metricsWindow;
  private final ReentrantLock writes = new ReentrantLock();

  private Deployer(Builder builder) {
    this.routing = requireNonNull(builder.routing, "routing is required");
    this.endpoints = builder.endpoints;
    this.catalog = builder.catalog;
    this.metrics = builder.metrics;
    this.listener = builder.listener;
    this.realtimeApis = builder.realtimeApis;
    this.requireLiveTargets = builder.requireLiveTargets;
    this.metricsWindow = builder.metricsWindow;
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
    return deploy(SplitterConfig.load(file));
  }

  /** Deploys a configuration; see {@link #deploy(Path)}. */
  public DeployResult deploy(SplitterConfig config) {
    requireNonNull(config, "config");
    writes.lock();
    try {
      List<String> warnings = new ArrayList<>();
      Plan plan = validateAndPlan(config, warnings);
      listener.onEvent(new DeployEvent(Stage.VALIDATED, config.sourceName()));
      List<DeployResult.Outcome> outcomes = new ArrayList<>();
      if (realtimeApis != null) {
        for (RealtimeApi api : config.realtimeApis()) {
          Change change = call("deploy", api.name(), () -> realtimeApis.deploy(api));
          outcomes.add(new DeployResult.Outcome(api.name(), REALTIME_API_KIND, change));
        }
      } else if (!config.realtimeApis().isEmpty()) {
        // Said, not silently skipped: a Cortex user expects deploy to deploy them.
        warnings.add(
            "RealtimeAPIs in the file are not deployed here (no RealtimeApiDeployer): "
                + config.realtimeApis().stream()
                    .map(RealtimeApi::name)
                    .collect(Collectors.joining(", "))
                + "; the splitters route to them as they already run");
      }
      for (Plan.Step step : plan.splitters()) {
        apply(step, warnings);
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
    return plan(SplitterConfig.load(file));
  }

  /**
   * What {@link #deploy(SplitterConfig)} would do, with a readable diff; writes nothing.
   *
   * @throws InvalidConfigException if the configuration breaks a rule
   */
  public Plan plan(SplitterConfig config) {
    return validateAndPlan(config, new ArrayList<>());
  }

  /**
   * The status of a deployed splitter: per target, its weight, status and traffic.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   */
  public SplitterStatus get(String name) {
    DeployedSplitter deployed = describe(name);
    TrafficSplitter spec = deployed.spec();
    List<String> apiNames = spec.apis().stream().map(TargetApi::name).toList();
    Map<String, TargetMetrics> traffic =
        call("metrics", name, () -> metrics.metrics(name, apiNames, metricsWindow));
    List<TargetStatus> targets =
        spec.apis().stream()
            .map(
                api ->
                    new TargetStatus(
                        api,
                        call("status", api.name(), () -> catalog.status(api.name())),
                        traffic.getOrDefault(api.name(), TargetMetrics.NONE)))
            .toList();
    return new SplitterStatus(
        spec, deployed.lastUpdated(), endpoints.url(spec).orElse(null), targets);
  }

  /** Every deployed splitter, in name order. */
  public List<SplitterSummary> list() {
    return call("list", "splitters", routing::list).stream()
        .map(deployed -> new SplitterSummary(deployed.spec(), deployed.lastUpdated()))
        .toList();
  }

  /**
   * Removes a splitter's endpoint and routing object; its target APIs keep running.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   */
  public DeleteResult delete(String name) {
    writes.lock();
    try {
      TrafficSplitter spec = describe(name).spec();
      // Endpoint first: a failure leaves a routed splitter, and deleting again converges.
      call("unexpose", name, () -> endpoints.unexpose(spec));
      call("delete", name, () -> routing.delete(name));
      return new DeleteResult(name);
    } finally {
      writes.unlock();
    }
  }

  /** Validates everything and decides each splitter's change; nothing is written. */
  private Plan validateAndPlan(SplitterConfig config, List<String> warnings) {
    Set<String> known =
        config.trafficSplitters().stream()
            .flatMap(splitter -> splitter.apis().stream())
            .map(TargetApi::name)
            .distinct()
            .filter(name -> call("exists", name, () -> catalog.exists(name)))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    SplitterValidator validator =
        SplitterValidator.builder()
            .knownApis(known)
            .apiGatewayEnabled(endpoints.supportsPublicEndpoints())
            .fileApisDeployable(realtimeApis != null)
            .capabilities(routing.capabilities())
            .build();
    List<Violation> violations = new ArrayList<>(validator.validate(config).violations());
    if (violations.isEmpty()) {
      checkEndpointsAreFree(config, violations);
      checkLiveness(config, known, violations, warnings);
    }
    if (!violations.isEmpty()) {
      violations.sort(Violation.inFileOrder());
      throw new InvalidConfigException(violations);
    }
    Set<String> names =
        config.trafficSplitters().stream()
            .map(TrafficSplitter::name)
            .collect(Collectors.toCollection(LinkedHashSet::new));
    Map<String, DeployedSplitter> deployed =
        call("describe", "splitters", () -> routing.describeAll(names));
    List<Plan.Step> steps = new ArrayList<>();
    for (TrafficSplitter desired : config.trafficSplitters()) {
      DeployedSplitter current = deployed.get(desired.name());
      steps.add(step(desired, current == null ? null : current.spec()));
    }
    return new Plan(steps);
  }

  private static Plan.Step step(TrafficSplitter desired, @Nullable TrafficSplitter deployed) {
    if (deployed == null) {
      return new Plan.Step(desired, null, Change.CREATED, SpecDiff.creating(desired));
    }
    Change change = deployed.equals(desired) ? Change.UNCHANGED : Change.UPDATED;
    return new Plan.Step(desired, deployed, change, SpecDiff.between(deployed, desired));
  }

  /** An endpoint already served by another deployed splitter cannot be taken over. */
  private void checkEndpointsAreFree(SplitterConfig config, List<Violation> violations) {
    Set<String> endpoints =
        config.trafficSplitters().stream()
            .map(splitter -> splitter.networking().endpoint())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    Map<String, List<String>> owners =
        call("describe", "endpoints", () -> routing.endpointOwners(endpoints));
    for (int index = 0; index < config.resources().size(); index++) {
      if (config.resources().get(index) instanceof TrafficSplitter splitter) {
        String endpoint = splitter.networking().endpoint();
        int at = index;
        owners.getOrDefault(endpoint, List.of()).stream()
            .filter(owner -> !owner.equals(splitter.name()))
            .findFirst()
            .ifPresent(
                owner ->
                    violations.add(
                        config.violationAt(
                            at,
                            "networking.endpoint",
                            "endpoint.in-use",
                            "endpoint " + endpoint + " is already being used by " + owner)));
      }
    }
  }

  /**
   * A target that takes traffic but is not live: a warning, or with requireLiveTargets an error.
   */
  private void checkLiveness(
      SplitterConfig config, Set<String> known, List<Violation> violations, List<String> warnings) {
    Map<String, ApiStatus> statuses = new HashMap<>(); // an API shared by splitters is read once
    for (int index = 0; index < config.resources().size(); index++) {
      if (!(config.resources().get(index) instanceof TrafficSplitter splitter)) {
        continue;
      }
      for (int i = 0; i < splitter.apis().size(); i++) {
        TargetApi api = splitter.apis().get(i);
        if (api.weight() == 0 || !known.contains(api.name())) {
          continue; // a file-defined API is deployed by the hook, after this check
        }
        ApiStatus status =
            statuses.computeIfAbsent(
                api.name(), name -> call("status", name, () -> catalog.status(name)));
        if (status.state() == ApiState.LIVE) {
          continue;
        }
        String problem =
            "api "
                + api.name()
                + " is "
                + status.state().label()
                + ", not live, and would receive "
                + api.weight()
                + "% of requests";
        if (requireLiveTargets) {
          violations.add(
              config.violationAt(index, "apis[" + i + "].name", "target.not-live", problem));
        } else {
          warnings.add(splitter.name() + ": " + problem);
        }
      }
    }
  }

  private void apply(Plan.Step step, List<String> warnings) {
    TrafficSplitter desired = step.desired();
    if (step.change() == Change.UNCHANGED) {
      return;
    }
    listener.onEvent(new DeployEvent(Stage.APPLYING, desired.name()));
    TrafficSplitter previous = step.current().orElse(null);
    call("apply", desired.name(), () -> routing.apply(desired));
    try {
      verifyApplied(desired);
      listener.onEvent(new DeployEvent(Stage.APPLIED, desired.name()));
      call("expose", desired.name(), () -> endpoints.expose(desired));
    } catch (RuntimeException failure) {
      if (previous == null) {
        undo(failure, () -> routing.delete(desired.name()));
      } else {
        undo(failure, () -> routing.apply(previous));
        if (!previous.networking().equals(desired.networking())) {
          undo(failure, () -> endpoints.unexpose(desired));
        }
      }
      throw failure;
    }
    listener.onEvent(new DeployEvent(Stage.EXPOSED, desired.name()));
    if (previous != null
        && previous.networking().apiGateway() == ApiGateway.PUBLIC
        && !previous.networking().equals(desired.networking())) {
      try {
        call("unexpose", previous.name(), () -> endpoints.unexpose(previous));
      } catch (SplitterException e) {
        warnings.add(
            desired.name()
                + ": the old endpoint "
                + previous.networking().endpoint()
                + " could not be removed: "
                + e.getMessage());
      }
    }
  }

  /** Reads the routing object back and fails unless it routes as asked. */
  private void verifyApplied(TrafficSplitter desired) {
    TrafficSplitter actual =
        call("describe", desired.name(), () -> routing.describe(desired.name()))
            .map(DeployedSplitter::spec)
            .orElseThrow(
                () ->
                    backendError(
                        "verify",
                        desired.name(),
                        "the routing object was not found after it was written"));
    if (!actual.apis().equals(desired.apis())
        || !actual.networking().equals(desired.networking())) {
      throw backendError(
          "verify",
          desired.name(),
          "read back "
              + actual.apis()
              + " at "
              + actual.networking()
              + " but asked for "
              + desired.apis()
              + " at "
              + desired.networking());
    }
  }

  private DeployedSplitter describe(String name) {
    requireNonNull(name, "name");
    return call("describe", name, () -> routing.describe(name))
        .orElseThrow(() -> new NotDeployedException(name));
  }

  /** Runs a backend call, wrapping a foreign exception once in a {@link BackendException}. */
  private <T> T call(String operation, String object, Supplier<T> action) {
    try {
      return action.get();
    } catch (SplitterException e) {
      throw e;
    } catch (RuntimeException e) {
      throw BackendException.builder(routing.capabilities().backend(), operation, object)
          .message(String.valueOf(e.getMessage()))
          .cause(e)
          .build();
    }
  }

  private void call(String operation, String object, Runnable action) {
    call(
        operation,
        object,
        () -> {
          action.run();
          return null;
        });
  }

  private static void undo(RuntimeException failure, Runnable action) {
    try {
      action.run();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private BackendException backendError(String operation, String object, String message) {
    return BackendException.builder(routing.capabilities().backend(), operation, object)
        .message(message)
        .retryable(true)
        .build();
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
     * @throws NullPointerException if no routing backend was set
     */
    public Deployer build() {
      return new Deployer(this);
    }
  }
}
