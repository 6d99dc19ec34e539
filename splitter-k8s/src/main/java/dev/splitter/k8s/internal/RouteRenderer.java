package dev.splitter.k8s.internal;

import dev.splitter.model.Assignment;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.support.LiveRoute;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How one kind of routing object expresses a splitter: what {@link KubernetesRouting} needs to know
 * of a VirtualService or an HTTPRoute.
 *
 * @param <T> the object type
 */
@API(status = API.Status.INTERNAL)
public interface RouteRenderer<T extends HasMetadata> {

  /**
   * The object that routes the splitter, with the given metadata.
   *
   * @param buckets the bucket layout to match ahead of the weighted route; null for none
   */
  T build(ObjectMeta meta, TrafficSplitter splitter, @Nullable Assignment buckets);

  /** The object's spec: what is compared to decide whether a write is needed. */
  Object spec(T object);

  /** What the object really routes: its path and weighted references. */
  LiveRoute live(T object);

  /** The targets the object holds a pinned route for: the header values its routes match. */
  List<String> pinned(T object);

  /** How the object refers to a target API (a host, a Service name). */
  String refOf(String apiName);

  /** Whether the object routes {@code endpoint} through a gateway this backend uses. */
  boolean serves(T object, String endpoint);
}
