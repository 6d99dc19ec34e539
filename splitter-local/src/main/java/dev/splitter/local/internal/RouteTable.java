package dev.splitter.local.internal;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Every route, by splitter name and by endpoint. Immutable: an update builds a new table and swaps
 * it in whole, so a request sees the old split or the new one, never a mix.
 */
@API(status = API.Status.INTERNAL)
public final class RouteTable {
  /** The table with no routes. */
  public static final RouteTable EMPTY = new RouteTable(Map.of());

  private final Map<String, Route> byName;
  private final Map<String, Route> byEndpoint;

  private RouteTable(Map<String, Route> byName) {
    this.byName = Map.copyOf(byName);
    Map<String, Route> endpoints = new HashMap<>();
    byName.values().forEach(route -> endpoints.put(route.spec().networking().endpoint(), route));
    this.byEndpoint = Map.copyOf(endpoints);
  }

  /** The route serving exactly this path, if any. */
  public Optional<Route> forPath(String path) {
    return Optional.ofNullable(byEndpoint.get(path));
  }

  /** The route of this splitter, if deployed. */
  public Optional<Route> forSplitter(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** Every route, by splitter name. */
  public List<Route> routes() {
    return byName.values().stream()
        .sorted(Comparator.comparing(route -> route.spec().name()))
        .toList();
  }

  /** This table with {@code route} added or replacing the route of the same name. */
  public RouteTable with(Route route) {
    Map<String, Route> routes = new HashMap<>(byName);
    routes.put(route.spec().name(), route);
    return new RouteTable(routes);
  }

  /** This table without the named splitter's route. */
  public RouteTable without(String name) {
    Map<String, Route> routes = new HashMap<>(byName);
    routes.remove(name);
    return new RouteTable(routes);
  }
}
