package dev.splitter.k8s;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A public backend type in front of the shared Kubernetes routing logic. */
abstract class ForwardingRouting implements RoutingBackend {
  private final RoutingBackend routing;

  ForwardingRouting(RoutingBackend routing) {
    this.routing = routing;
  }

  @Override
  public BackendCapabilities capabilities() {
    return routing.capabilities();
  }

  @Override
  public void apply(TrafficSplitter splitter) {
    routing.apply(splitter);
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return routing.describe(name);
  }

  @Override
  public List<DeployedSplitter> list() {
    return routing.list();
  }

  @Override
  public boolean delete(String name) {
    return routing.delete(name);
  }

  /** Kept as annotations under {@value dev.splitter.spi.Annotations#PREFIX} on the object. */
  @Override
  public Map<String, String> annotations(String name) {
    return routing.annotations(name);
  }

  /**
   * Guarded by the object's resourceVersion: the update that sets it carries the version of the
   * read that checked it, so the API server refuses it if anything wrote in between.
   */
  @Override
  public boolean annotateIf(String name, Guard guard) {
    return routing.annotateIf(name, guard);
  }

  /** The spec and the annotation in one update, guarded as {@link #annotateIf} is. */
  @Override
  public boolean applyIf(TrafficSplitter splitter, Guard guard) {
    return routing.applyIf(splitter, guard);
  }

  /**
   * Owners of other routing objects on the same gateways that match the endpoint exactly or by
   * prefix, splitter's or not (a Cortex API is named by its {@code apiName} label, anything else by
   * its kind and name).
   */
  @Override
  public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    return routing.endpointOwners(endpoints);
  }
}
