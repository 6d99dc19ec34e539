package dev.splitter.k8s.internal;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.StoredSpec;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The labels and annotations that make an object a splitter's routing object and carry its state,
 * so that get, list, delete and "up to date" need no other store.
 */
public final class SplitterLabels {
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String SPLITTER = "splitter";
  public static final String NAME = StoredSpec.NAME_KEY;
  public static final String KIND = StoredSpec.KIND_KEY;
  public static final String ENDPOINT = StoredSpec.ENDPOINT_KEY;
  public static final String API_GATEWAY = StoredSpec.API_GATEWAY_KEY;
  public static final String SPEC_HASH = StoredSpec.HASH_KEY;
  public static final String SPEC = "splitter.dev/spec";
  public static final String LAST_UPDATED = StoredSpec.LAST_UPDATED_KEY;

  private SplitterLabels() {}

  /** Whether splitter manages the object. */
  public static boolean isManaged(HasMetadata object) {
    return SPLITTER.equals(labels(object).get(MANAGED_BY));
  }

  /** Whether the object's stored spec is this one. */
  public static boolean holds(HasMetadata object, TrafficSplitter splitter) {
    return StoredSpec.hash(splitter).equals(storedHash(object))
        && StoredSpec.encode(splitter).equals(annotations(object).get(SPEC));
  }

  public static @Nullable String storedHash(HasMetadata object) {
    return annotations(object).get(SPEC_HASH);
  }

  /**
   * The spec stored on the object.
   *
   * @throws IllegalStateException if the annotation is missing or unreadable
   */
  public static TrafficSplitter storedSpec(HasMetadata object, String where) {
    String json = annotations(object).get(SPEC);
    if (json == null) {
      throw new IllegalStateException(where + " has no " + SPEC + " annotation");
    }
    return StoredSpec.decode(json, where);
  }

  /** When splitter last wrote the object; its creation time if the annotation is gone. */
  public static Instant lastUpdated(HasMetadata object) {
    return parse(annotations(object).get(LAST_UPDATED))
        .or(() -> parse(object.getMetadata().getCreationTimestamp()))
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
        .addToLabels(MANAGED_BY, SPLITTER)
        .addToLabels(NAME, splitter.name())
        .addToLabels(KIND, splitter.kind().yamlName())
        .addToAnnotations(ENDPOINT, splitter.networking().endpoint())
        .addToAnnotations(API_GATEWAY, splitter.networking().apiGateway().yamlName())
        .addToAnnotations(SPEC_HASH, StoredSpec.hash(splitter))
        .addToAnnotations(SPEC, StoredSpec.encode(splitter))
        .addToAnnotations(LAST_UPDATED, clock.instant().toString())
        .build();
  }

  private static Optional<Instant> parse(@Nullable String timestamp) {
    if (timestamp == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(timestamp));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
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
