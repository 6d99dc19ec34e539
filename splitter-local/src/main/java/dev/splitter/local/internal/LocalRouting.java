package dev.splitter.local.internal;

import dev.splitter.core.NotDeployedException;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Routing in the gateway's own route table. Each change builds a new table and swaps it in
 * atomically: requests in flight finish on the split they started with.
 */
@API(status = API.Status.INTERNAL)
public final class LocalRouting implements RoutingBackend {

  // Read on every request without a lock; written, rarely, under one.
  private volatile RouteTable table = RouteTable.EMPTY;
  private final Object writes = new Object();
  // By splitter, then key; kept across apply, dropped on delete. Guarded by writes.
  private final Map<String, Map<String, String>> annotations = new HashMap<>();
  private final LocalMetrics metrics;
  private final Clock clock;

  private final BackendCapabilities capabilities;

  /**
   * @param pinning whether the gateway pins requests by {@code x-splitter-api}, for plans to show
   * @param assignment how keyed requests are assigned: by the key in a header
   */
  public LocalRouting(
      LocalMetrics metrics, Clock clock, boolean pinning, AssignmentMode assignment) {
    this.metrics = metrics;
    this.clock = clock;
    this.capabilities =
        BackendCapabilities.builder("local")
            .pinning(pinning)
            .annotations(true)
            .assignment(assignment)
            .build();
  }

  /** The table as it stands, for the gateway. */
  public RouteTable table() {
    return table;
  }

  @Override
  public BackendCapabilities capabilities() {
    return capabilities;
  }

  /** Carries the splitter's bucket layout over from its route until now, if any. */
  @Override
  public void apply(TrafficSplitter splitter) {
    synchronized (writes) {
      write(splitter);
    }
  }

  /**
   * Swaps in the splitter's new route, carrying its bucket layout over from the one it has, and
   * marks the counts as they stand then. Call with the lock held.
   */
  private void write(TrafficSplitter splitter) {
    Route route =
        Route.of(splitter, clock.instant(), table.forSplitter(splitter.name()).orElse(null));
    table = table.with(route);
    metrics.markWritten(splitter, route.lastUpdated());
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return table.forSplitter(name).map(this::deployed);
  }

  @Override
  public List<DeployedSplitter> list() {
    return table.routes().stream().map(this::deployed).toList();
  }

  @Override
  public boolean delete(String name) {
    RouteTable before;
    synchronized (writes) {
      before = table;
      table = before.without(name);
      annotations.remove(name);
    }
    metrics.forget(name);
    return before.forSplitter(name).isPresent();
  }

  @Override
  public Map<String, String> annotations(String name) {
    synchronized (writes) {
      return Map.copyOf(annotations.getOrDefault(name, Map.of()));
    }
  }

  /** Atomic: the check and the write happen under the one lock every write of the table takes. */
  @Override
  public boolean annotateIf(String name, Guard guard) {
    synchronized (writes) {
      return swap(name, guard);
    }
  }

  /** Atomic, as {@link #annotateIf}: the route and the annotation change under one lock. */
  @Override
  public boolean applyIf(TrafficSplitter splitter, Guard guard) {
    synchronized (writes) {
      if (!swap(splitter.name(), guard)) {
        return false;
      }
      write(splitter);
      return true;
    }
  }

  /** Sets the guard's annotation if it holds what the guard expects. Call with the lock held. */
  private boolean swap(String name, Guard guard) {
    if (table.forSplitter(name).isEmpty()) {
      throw new NotDeployedException(name);
    }
    Map<String, String> notes = annotations.computeIfAbsent(name, splitter -> new HashMap<>());
    if (!guard.holds(notes.get(guard.key()))) {
      return false;
    }
    if (guard.value() == null) {
      notes.remove(guard.key());
    } else {
      notes.put(guard.key(), guard.value());
    }
    return true;
  }

  @Override
  public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    RouteTable routes = table;
    Map<String, List<String>> owners = new HashMap<>();
    for (String endpoint : endpoints) {
      routes
          .forPath(endpoint)
          .ifPresent(route -> owners.put(endpoint, List.of(route.spec().name())));
    }
    return owners;
  }

  private DeployedSplitter deployed(Route route) {
    return new DeployedSplitter(
        route.spec(), route.lastUpdated(), null, route.assignment(), capabilities.assignment());
  }
}
