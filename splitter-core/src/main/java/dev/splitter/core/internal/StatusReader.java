package dev.splitter.core.internal;

import dev.splitter.SplitterException;
import dev.splitter.core.BackendException;
import dev.splitter.core.NotDeployedException;
import dev.splitter.core.ObservedSplit;
import dev.splitter.core.SplitterStatus;
import dev.splitter.core.SplitterSummary;
import dev.splitter.core.TargetStatus;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.MetricsReport;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.spi.ShadowDifference;
import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.TargetMetrics;
import dev.splitter.support.BackendCalls;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/** Puts together what {@code get} shows: the routing object, each target's status and traffic. */
@API(status = API.Status.INTERNAL)
public final class StatusReader {
  private final RoutingBackend routing;
  private final EndpointProvisioner endpoints;
  private final ApiCatalog catalog;
  private final MetricsSource metrics;
  private final Duration metricsWindow;
  private final BackendCalls calls;
  private final Clock clock;

  public StatusReader(
      RoutingBackend routing,
      EndpointProvisioner endpoints,
      ApiCatalog catalog,
      MetricsSource metrics,
      Duration metricsWindow,
      BackendCalls calls,
      Clock clock) {
    this.routing = routing;
    this.endpoints = endpoints;
    this.catalog = catalog;
    this.metrics = metrics;
    this.metricsWindow = metricsWindow;
    this.calls = calls;
    this.clock = clock;
  }

  /**
   * The splitter as deployed.
   *
   * @throws NotDeployedException if no splitter of that name is deployed
   */
  public DeployedSplitter deployed(String name) {
    return calls
        .call("describe", name, () -> routing.describe(name))
        .orElseThrow(() -> new NotDeployedException(name));
  }

  /** See {@code Deployer.get}. */
  public SplitterStatus status(String name) {
    DeployedSplitter deployed = deployed(name);
    TrafficSplitter spec = deployed.spec();
    List<String> apiNames = spec.apis().stream().map(TargetApi::name).toList();
    MetricsReport report = traffic(name, apiNames);
    Map<String, TargetMetrics> traffic = report.metrics();
    List<TargetStatus> targets =
        spec.apis().stream()
            .map(
                api ->
                    new TargetStatus(
                        api,
                        calls.call("status", api.name(), () -> catalog.status(api.name())),
                        traffic.getOrDefault(api.name(), TargetMetrics.NONE)))
            .toList();
    List<String> notes = new ArrayList<>(report.notes());
    ObservedSplit observed = observedSinceWritten(deployed, apiNames, targets, notes);
    ShadowReport shadow = shadow(spec, notes);
    AssignmentMode mode = deployed.assignmentMode();
    return new SplitterStatus(
        spec,
        deployed.lastUpdated(),
        endpoints.url(spec).orElse(null),
        targets,
        notes,
        observed,
        mode != null ? mode : routing.capabilities().assignment(),
        deployed.assignment(),
        shadow);
  }

  /**
   * How the shadow's answers compared, when there is a shadow and the source compares them; a note
   * when it cannot, or could not.
   */
  private @Nullable ShadowReport shadow(TrafficSplitter spec, List<String> notes) {
    Optional<TargetApi> shadow = spec.apis().stream().filter(TargetApi::shadow).findFirst();
    if (shadow.isEmpty()) {
      return null;
    }
    if (!metrics.comparesShadows()) {
      notes.add(ShadowText.notCompared(routing.capabilities().backend()));
      return null;
    }
    try {
      Optional<ShadowReport> report = shadowReport(spec.name(), shadow.get().name());
      if (report.isEmpty()) {
        notes.add("the shadow's answers are not compared: comparison is off for this splitter");
      }
      return report.orElse(null);
    } catch (SplitterException e) {
      notes.add("no shadow comparison: " + e.getMessage());
      return null;
    }
  }

  /**
   * See {@code Deployer.shadowReport}.
   *
   * @throws BackendException if the source does not compare shadows
   */
  public Optional<ShadowReport> shadowReport(String name, String shadowApi) {
    refuseUncomparedShadows(name);
    return calls.call("shadow", name, () -> metrics.shadowReport(name, shadowApi));
  }

  /**
   * See {@code Deployer.shadowDifferences}.
   *
   * @throws BackendException if the source does not compare shadows
   */
  public List<ShadowDifference> shadowDifferences(String name, int limit) {
    refuseUncomparedShadows(name);
    return calls.call("shadow", name, () -> metrics.shadowDifferences(name, limit));
  }

  /** See {@code Deployer.comparesShadows}. */
  public boolean comparesShadows() {
    return metrics.comparesShadows();
  }

  private void refuseUncomparedShadows(String name) {
    if (!comparesShadows()) {
      String backend = routing.capabilities().backend();
      throw BackendException.builder(backend, "compare shadow", name)
          .message(ShadowText.notCompared(backend))
          .build();
    }
  }

  /**
   * The split since the routing object was last written, when that is within the metrics window:
   * traffic from before a change of weights would count against the new ones (after a rollout to
   * 100 %, the old target would still show its share of the hour). A note says which window.
   */
  private ObservedSplit observedSinceWritten(
      DeployedSplitter deployed,
      List<String> apiNames,
      List<TargetStatus> targets,
      List<String> notes) {
    ObservedSplit overWindow = ObservedSplit.of(targets);
    Duration since = Duration.between(deployed.lastUpdated(), clock.instant());
    if (since.compareTo(metricsWindow) >= 0 || overWindow.requests() == 0) {
      return overWindow; // nothing counted in the window is nothing since the write either
    }
    Map<String, TargetMetrics> traffic;
    try {
      traffic = trafficSince(deployed.spec().name(), apiNames, deployed.lastUpdated());
    } catch (SplitterException e) {
      notes.add("no observed split since the weights were last written: " + e.getMessage());
      return ObservedSplit.of(List.of());
    }
    List<TargetStatus> counted =
        targets.stream()
            .map(
                target ->
                    new TargetStatus(
                        target.api(),
                        target.status(),
                        traffic.getOrDefault(target.api().name(), TargetMetrics.NONE)))
            .toList();
    ObservedSplit observed = ObservedSplit.of(counted);
    if (observed.requests() == overWindow.requests()) {
      return overWindow; // no traffic from before the write in the window: one split, no note
    }
    notes.add(
        "observed: the last "
            + Ages.since(deployed.lastUpdated(), clock.instant())
            + ", since the weights were last written; the other figures: the last "
            + Ages.since(Instant.EPOCH, Instant.EPOCH.plus(metricsWindow)));
    return observed;
  }

  /** The traffic figures; a source that fails leaves them empty and says why in a note. */
  private MetricsReport traffic(String name, List<String> apiNames) {
    try {
      return traffic(name, apiNames, metricsWindow);
    } catch (SplitterException e) {
      return new MetricsReport(Map.of(), List.of("no traffic figures: " + e.getMessage()));
    }
  }

  /** The window {@code get}'s figures count: the Deployer's metrics window. */
  public Duration metricsWindow() {
    return metricsWindow;
  }

  /**
   * What these targets served since the routing object was written at {@code written} ({@link
   * MetricsSource#metricsSince}).
   */
  public Map<String, TargetMetrics> trafficSince(
      String name, List<String> apiNames, Instant written) {
    // Whole seconds, and the second of the write whole, for sources that count by the second or
    // coarser (the figures may then include up to one such period from before the write).
    Duration since = Duration.between(written, clock.instant());
    Duration window = Duration.ofSeconds(Math.max(0, since.toSeconds()) + 2);
    return calls.call("metrics", name, () -> metrics.metricsSince(name, apiNames, written, window));
  }

  /** See {@code Deployer.traffic}. */
  public MetricsReport traffic(String name, List<String> apiNames, Duration window) {
    return calls.call("metrics", name, () -> metrics.report(name, apiNames, window));
  }

  /** See {@code Deployer.servingStatuses}: one read of the splitters, one status per API. */
  public Map<String, ApiStatus> servingStatuses(Collection<String> splitters) {
    Map<String, DeployedSplitter> deployed =
        calls.call(
            "describe", "splitters", () -> routing.describeAll(new LinkedHashSet<>(splitters)));
    Map<String, ApiStatus> statuses = new TreeMap<>();
    deployed.values().stream()
        .flatMap(splitter -> splitter.spec().liveTargets().stream())
        .filter(api -> api.weight() > 0)
        .map(TargetApi::name)
        .distinct()
        .forEach(api -> statuses.put(api, calls.call("status", api, () -> catalog.status(api))));
    return statuses;
  }

  /** See {@code Deployer.list}. */
  public List<SplitterSummary> list() {
    return calls.call("list", "splitters", routing::list).stream()
        .map(deployed -> new SplitterSummary(deployed.spec(), deployed.lastUpdated()))
        .toList();
  }
}
