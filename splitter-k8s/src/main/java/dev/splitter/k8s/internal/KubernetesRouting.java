package dev.splitter.k8s.internal;

import dev.splitter.model.Assignment;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.Guard;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.support.EndpointOwners;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A routing backend whose routing objects are Kubernetes objects of one kind: the logic the Istio
 * and Gateway API backends share. The renderer supplies the shape of the object.
 *
 * @param <T> the object type
 */
@API(status = API.Status.INTERNAL)
public final class KubernetesRouting<T extends HasMetadata> implements RoutingBackend {
  /** The annotation keeping the bucket layout, which the next write carries over. */
  public static final String BUCKETS = "splitter.dev/buckets";

  /** The annotation naming the header the object's bucket routes match. */
  public static final String BUCKET_HEADER = "splitter.dev/bucket-header";

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
    objects.write(splitter, meta -> build(meta, splitter));
  }

  /**
   * The object for the splitter over {@code meta}: with bucket assignment, the layout carried over
   * from the one {@code meta} keeps (moving only the keys that must move), matched by the object's
   * routes and kept in its annotations for the next write; without, neither.
   */
  private T build(ObjectMeta meta, TrafficSplitter splitter) {
    ObjectMeta stamped = new ObjectMetaBuilder(meta).build();
    Map<String, String> annotations =
        new LinkedHashMap<>(Objects.requireNonNullElse(stamped.getAnnotations(), Map.of()));
    Assignment buckets = null;
    String header = capabilities.assignment().header();
    if (capabilities.assignment().kind() == AssignmentMode.Kind.BUCKET && header != null) {
      buckets = Assignment.following(storedLayout(annotations, splitter.name()), splitter);
      annotations.put(BUCKETS, buckets.encode());
      annotations.put(BUCKET_HEADER, header);
    } else {
      annotations.remove(BUCKETS);
      annotations.remove(BUCKET_HEADER);
    }
    stamped.setAnnotations(annotations);
    return renderer.build(stamped, splitter, buckets);
  }

  /** The layout an object's annotations keep; null if none, or edited into something unreadable. */
  private static @Nullable Assignment storedLayout(Map<String, String> annotations, String name) {
    String text = annotations.get(BUCKETS);
    if (text == null) {
      return null;
    }
    try {
      return Assignment.decode(name, text);
    } catch (IllegalArgumentException e) {
      return null; // laid out afresh at the next write
    }
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
    return objects.writeIf(splitter, guard, meta -> build(meta, splitter));
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
    DeployedSplitter deployed =
        objects.deployed(
            object,
            stored -> renderer.live(object).applyTo(stored, renderer::refOf),
            renderer.pinned(object));
    Map<String, String> annotations =
        Objects.requireNonNullElse(object.getMetadata().getAnnotations(), Map.of());
    String header = annotations.get(BUCKET_HEADER);
    Assignment layout = storedLayout(annotations, deployed.spec().name());
    AssignmentMode mode = header != null && layout != null ? modeOf(header) : AssignmentMode.RANDOM;
    return new DeployedSplitter(
        deployed.spec(),
        deployed.lastUpdated(),
        deployed.pinned(),
        mode.usesBuckets() ? layout : null,
        mode);
  }

  private static AssignmentMode modeOf(String header) {
    try {
      return AssignmentMode.byBucket(header);
    } catch (IllegalArgumentException e) {
      return AssignmentMode.RANDOM; // edited by hand: the next write puts it right
    }
  }
}
