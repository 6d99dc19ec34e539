package dev.splitter.k8s.internal;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.EndpointOwners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * A routing backend whose routing objects are Kubernetes objects of one kind: the logic the Istio
 * and Gateway API backends share. The renderer supplies the shape of the object.
 *
 * @param <T> the object type
 */
@API(status = API.Status.INTERNAL)
public final class KubernetesRouting<T extends HasMetadata> implements RoutingBackend {
  /** The label Cortex put on the objects of each API, used to name an endpoint's owner. */
  private static final String CORTEX_API_NAME = "apiName";

  private final ManagedObjects<T> objects;
  private final RouteRenderer<T> renderer;
  private final BackendCapabilities capabilities;

  public KubernetesRouting(
      ManagedObjects<T> objects, RouteRenderer<T> renderer, BackendCapabilities capabilities) {
    this.objects = objects;
    this.renderer = renderer;
    this.capabilities = capabilities;
  }

  @Override
  public BackendCapabilities capabilities() {
    return capabilities;
  }

  @Override
  public void apply(TrafficSplitter splitter) {
    objects.write(splitter, meta -> renderer.build(meta, splitter));
  }

  @Override
  public Optional<DeployedSplitter> describe(String name) {
    return objects.managed(name).map(this::deployed);
  }

  @Override
  public List<DeployedSplitter> list() {
    return objects.listManaged().stream().map(this::deployed).toList();
  }

  @Override
  public boolean delete(String name) {
    return objects.delete(name);
  }

  @Override
  public Map<String, String> annotations(String name) {
    return objects.managed(name).map(ManagedObjects::notes).orElse(Map.of());
  }

  /** Guarded by the object's resourceVersion: see {@link ManagedObjects#writeIf}. */
  @Override
  public boolean annotateIf(String name, Guard guard) {
    return objects.annotateIf(name, guard);
  }

  /** The spec and the annotation in one update, guarded by the object's resourceVersion. */
  @Override
  public boolean applyIf(TrafficSplitter splitter, Guard guard) {
    return objects.writeIf(splitter, guard, meta -> renderer.build(meta, splitter));
  }

  /**
   * Any object on our gateways that routes the path, ours or not: a Cortex API's VirtualService, a
   * team's HTTPRoute. Its owner is the splitter, else the Cortex API, else the object itself.
   */
  @Override
  public Map<String, List<String>> endpointOwners(Set<String> endpoints) {
    return EndpointOwners.of(objects.listAll(), endpoints, renderer::serves, this::owner);
  }

  private String owner(T object) {
    String splitter = SplitterLabels.splitterName(object);
    if (SplitterLabels.isManaged(object) && splitter != null) {
      return splitter;
    }
    Map<String, String> labels = object.getMetadata().getLabels();
    if (labels != null && labels.containsKey(CORTEX_API_NAME)) {
      return labels.get(CORTEX_API_NAME);
    }
    return objects.describe(object.getMetadata().getName());
  }

  private DeployedSplitter deployed(T object) {
    return objects.deployed(
        object,
        stored -> renderer.live(object).applyTo(stored, renderer::refOf),
        renderer.pinned(object));
  }
}
