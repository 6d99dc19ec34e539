package dev.splitter.k8s.internal;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.support.StoredSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The labels and annotations that make an object a splitter's routing object and carry its state,
 * so that get, list, delete and "up to date" need no other store. The keys are {@link
 * StoredSpec}'s, plus Kubernetes' own {@code managed-by} label and the spec itself.
 */
@API(status = API.Status.INTERNAL)
public final class SplitterLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String SPEC = "splitter.dev/spec";

  private SplitterLabels() {}

  /** Whether splitter manages the object. */
  public static boolean isManaged(HasMetadata object) {
    return StoredSpec.isManaged(labels(object), MANAGED_BY);
  }

  /** The splitter a managed object routes, as its label says. */
  public static @Nullable String splitterName(HasMetadata object) {
    return labels(object).get(StoredSpec.NAME_KEY);
  }

  /** Whether the object's stored spec is this one. */
  public static boolean holds(HasMetadata object, TrafficSplitter splitter) {
    return StoredSpec.hash(splitter).equals(storedHash(object))
        && StoredSpec.encode(splitter).equals(annotations(object).get(SPEC));
  }

  public static @Nullable String storedHash(HasMetadata object) {
    return annotations(object).get(StoredSpec.HASH_KEY);
  }

  /**
   * The spec stored on the object.
   *
   * @throws dev.splitter.core.BackendException if the annotation is missing or unreadable
   */
  public static TrafficSplitter storedSpec(HasMetadata object, String backend, String where) {
    String json = annotations(object).get(SPEC);
    if (json == null) {
      throw StoredSpec.unreadable(backend, where, "it has no " + SPEC + " annotation");
    }
    return StoredSpec.decode(json, backend, where);
  }

  /** When splitter last wrote the object; its creation time if the annotation is gone. */
  public static Instant lastUpdated(HasMetadata object) {
    return StoredSpec.instant(annotations(object).get(StoredSpec.LAST_UPDATED_KEY))
        .or(() -> StoredSpec.instant(object.getMetadata().getCreationTimestamp()))
        .orElse(Instant.EPOCH);
  }

  /**
   * Metadata for writing the splitter: the current object's (resourceVersion, others' labels and
   * annotations kept), with splitter's labels and annotations set for this spec.
   */
  public static ObjectMeta stamp(
      @Nullable ObjectMeta current, TrafficSplitter splitter, String namespace, Clock clock) {
    ObjectMetaBuilder meta =
        current == null ? new ObjectMetaBuilder() : new ObjectMetaBuilder(current);
    return meta.withName(splitter.name())
        .withNamespace(namespace)
        .addToLabels(MANAGED_BY, StoredSpec.MANAGED_BY_VALUE)
        .addToLabels(StoredSpec.NAME_KEY, splitter.name())
        .addToLabels(StoredSpec.KIND_KEY, splitter.kind().yamlName())
        .addToAnnotations(StoredSpec.ENDPOINT_KEY, splitter.networking().endpoint())
        .addToAnnotations(StoredSpec.API_GATEWAY_KEY, splitter.networking().apiGateway().yamlName())
        .addToAnnotations(StoredSpec.HASH_KEY, StoredSpec.hash(splitter))
        .addToAnnotations(SPEC, StoredSpec.encode(splitter))
        .addToAnnotations(StoredSpec.LAST_UPDATED_KEY, clock.instant().toString())
        .build();
  }

  private static Map<String, String> labels(HasMetadata object) {
    Map<String, String> labels = object.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  private static Map<String, String> annotations(HasMetadata object) {
    Map<String, String> annotations = object.getMetadata().getAnnotations();
    return annotations == null ? Map.of() : annotations;
  }
}
