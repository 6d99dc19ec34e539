package dev.splitter.core.internal;

import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.core.Display;
import dev.splitter.core.Plan;
import dev.splitter.model.Assignment;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.Change;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.BackendCalls;
import dev.splitter.validation.SplitterValidator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Decides what a deploy does, writing nothing: validates the whole file (Cortex's rules, what the
 * backend can realise, endpoints held by others, targets that are not live), then compares each
 * splitter with what is deployed.
 */
@API(status = API.Status.INTERNAL)
public final class DeployPlanner {
  private final RoutingBackend routing;
  private final EndpointProvisioner endpoints;
  private final ApiCatalog catalog;
  private final boolean fileApisDeployable;
  private final boolean requireLiveTargets;
  private final BackendCalls calls;

  public DeployPlanner(
      RoutingBackend routing,
      EndpointProvisioner endpoints,
      ApiCatalog catalog,
      boolean fileApisDeployable,
      boolean requireLiveTargets,
      BackendCalls calls) {
    this.routing = routing;
    this.endpoints = endpoints;
    this.catalog = catalog;
    this.fileApisDeployable = fileApisDeployable;
    this.requireLiveTargets = requireLiveTargets;
    this.calls = calls;
  }

  /**
   * The plan for the file.
   *
   * @param warnings receives what does not stop the deploy (a target that is not live)
   * @throws InvalidConfigException with every problem found, in file order
   */
  public Plan plan(SplitterConfig config, List<String> warnings) {
    Set<String> known =
        config.trafficSplitters().stream()
            .flatMap(splitter -> splitter.apis().stream())
            .map(TargetApi::name)
            .distinct()
            .filter(name -> calls.call("exists", name, () -> catalog.exists(name)))
            .collect(Collectors.toCollection(LinkedHashSet::new));
    SplitterValidator validator =
        SplitterValidator.builder()
            .knownApis(known)
            .apiGatewayEnabled(endpoints.supportsPublicEndpoints())
            .fileApisDeployable(fileApisDeployable)
            .build();
    List<Violation> violations = new ArrayList<>(validator.validate(config).violations());
    checkCapabilities(config, violations);
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
        calls.call("describe", "splitters", () -> routing.describeAll(names));
    List<Plan.Step> steps = new ArrayList<>();
    for (TrafficSplitter desired : config.trafficSplitters()) {
      DeployedSplitter current = deployed.get(desired.name());
      steps.add(step(desired, current));
    }
    List<Plan.ApiStep> apis =
        config.realtimeApis().stream()
            .map(
                api ->
                    new Plan.ApiStep(
                        api.name(),
                        calls.call("exists", api.name(), () -> catalog.exists(api.name())),
                        fileApisDeployable))
            .toList();
    return new Plan(apis, steps, warnings);
  }

  /**
   * The step for one splitter. Pinned routes are listed when created, and as a difference when the
   * set of them changes (a target added or removed, pinning turned on or off), which is a change
   * even when the spec is not.
   */
  private Plan.Step step(TrafficSplitter desired, @Nullable DeployedSplitter current) {
    List<String> pinned = routing.capabilities().pinnedTargets(desired);
    AssignmentMode mode = routing.capabilities().assignment();
    if (current == null) {
      List<String> differences = new ArrayList<>(SpecDiff.creating(desired));
      if (!pinned.isEmpty()) {
        differences.add(
            "pinned routes (" + BackendCapabilities.PIN_HEADER + ": NAME): " + describe(pinned));
      }
      if (mode.kind() != AssignmentMode.Kind.RANDOM) {
        differences.add("assignment: " + mode.describe());
      }
      return new Plan.Step(desired, null, Change.CREATED, differences);
    }
    TrafficSplitter deployed = current.spec();
    List<String> pinnedBefore =
        current.pinned() != null
            ? current.pinned()
            : routing.capabilities().pinnedTargets(deployed);
    boolean pinnedChanged = !Set.copyOf(pinnedBefore).equals(Set.copyOf(pinned));
    AssignmentMode modeBefore = current.assignmentMode() != null ? current.assignmentMode() : mode;
    boolean modeChanged = !modeBefore.equals(mode);
    Change change =
        deployed.equals(desired) && !pinnedChanged && !modeChanged
            ? Change.UNCHANGED
            : Change.UPDATED;
    List<String> differences = new ArrayList<>(SpecDiff.between(deployed, desired));
    if (pinnedChanged) {
      differences.add("pinned routes: " + describe(pinnedBefore) + " -> " + describe(pinned));
    }
    if (modeChanged) {
      differences.add("assignment: " + modeBefore.describe() + " -> " + mode.describe());
    }
    Assignment layout = current.assignment();
    if (layout != null && !modeChanged && mode.usesBuckets() && !deployed.equals(desired)) {
      differences.add(KeyMoves.between(layout, layout.next(desired)));
    }
    return new Plan.Step(desired, deployed, change, differences);
  }

  private static String describe(List<String> pinned) {
    return pinned.isEmpty() ? "none" : String.join(", ", pinned);
  }

  /** What the backend cannot realise, placed in the file like any other violation. */
  private void checkCapabilities(SplitterConfig config, List<Violation> violations) {
    for (int index = 0; index < config.resources().size(); index++) {
      if (config.resources().get(index) instanceof TrafficSplitter splitter) {
        int at = index;
        routing
            .capabilities()
            .check(splitter)
            .forEach(
                problem ->
                    violations.add(
                        config.violationAt(at, problem.path(), problem.code(), problem.message())));
      }
    }
  }

  /** An endpoint already served by another deployed splitter cannot be taken over. */
  private void checkEndpointsAreFree(SplitterConfig config, List<Violation> violations) {
    Set<String> wanted =
        config.trafficSplitters().stream()
            .map(splitter -> splitter.networking().endpoint())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    Map<String, List<String>> owners =
        calls.call("describe", "endpoints", () -> routing.endpointOwners(wanted));
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
                api.name(), name -> calls.call("status", name, () -> catalog.status(name)));
        if (status.state() == ApiState.LIVE) {
          continue;
        }
        String problem =
            "api "
                + api.name()
                + " is "
                + Display.state(status.state())
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
}
