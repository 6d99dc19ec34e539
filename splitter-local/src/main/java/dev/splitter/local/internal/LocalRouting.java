package dev.splitter.local.internal;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.validation.BackendCapabilities;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Routing in the gateway's own route table. Each change builds a new table and swaps it in
 * atomically: requests in flight finish on the split they started with.
 */
public final class LocalRouting implements RoutingBackend {
  private static final BackendCapabilities CAPABILITIES =
      new BackendCapabilities("local", true, Integer.MAX_VALUE);

  private final AtomicReference<RouteTable> table = new AtomicReference<>(RouteTable.EMPTY);
  private final LocalMetrics metrics;
  private final Clock clock;

  public LocalRouting(LocalMetrics metrics, Clock clock) {
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The table as it stands, for the gateway. */
  public RouteTable table() {
    return table.get();
  }

  @Override
  public BackendCapabilities capabilities() {
    return CAPABILITIES;
  }

  @Override
  public void apply(TrafficSplitter splitter) {
    Route route = Route.of(splitter, clock.instant());
    table.updateAndGet(current -> current.with(route));
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return table.get().forSplitter(name).map(LocalRouting::deployed);
  }

  @Override
  public List<DeployedSplitter> list() {
    return table.get().routes().stream().map(LocalRouting::deployed).toList();
  }

  @Override
  public boolean delete(String name) {
    RouteTable before = table.getAndUpdate(current -> current.without(name));
    metrics.forget(name);
    return before.forSplitter(name).isPresent();
  }

  @Override
  public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    RouteTable routes = table.get();
    Map<String, List<String>> owners = new HashMap<>();
    for (String endpoint : endpoints) {
      routes
          .forPath(endpoint)
          .ifPresent(route -> owners.put(endpoint, List.of(route.spec().name())));
    }
    return owners;
  }

  private static DeployedSplitter deployed(Route route) {
    return new DeployedSplitter(route.spec(), route.lastUpdated());
  }
}
