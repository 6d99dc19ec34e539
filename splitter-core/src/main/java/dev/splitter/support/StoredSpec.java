package dev.splitter.support;

import static java.util.Objects.requireNonNull;

import dev.splitter.InvalidConfigException;
import dev.splitter.core.BackendException;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A splitter's spec as a backend keeps it on its routing object (an annotation, a tag): canonical
 * JSON, and a hash of that JSON that fits a Kubernetes label or an AWS tag. Equal specs give equal
 * text and equal hashes, so "is it up to date?" is one comparison. The key names are shared by
 * every backend, so an object reads the same in {@code kubectl} as a rule in the AWS console.
 *
 * <pre>{@code
 * Map<String, String> tags = Map.of(
 *     StoredSpec.NAME_KEY, splitter.name(),
 *     StoredSpec.HASH_KEY, StoredSpec.hash(splitter),
 *     StoredSpec.LAST_UPDATED_KEY, clock.instant().toString());
 * boolean upToDate = StoredSpec.hash(desired).equals(tags.get(StoredSpec.HASH_KEY));
 * }</pre>
 */
@API(status = API.Status.MAINTAINED)
public final class StoredSpec {
  /**
   * The value of a backend's "managed by" label or tag on the objects splitter writes; the key is
   * the backend's convention ({@code app.kubernetes.io/managed-by} on Kubernetes).
   */
  public static final String MANAGED_BY_VALUE = "splitter";

  /** The label or tag key naming the splitter a routing object routes. */
  public static final String NAME_KEY = "splitter.dev/name";

  /** The key holding the resource kind, {@code TrafficSplitter}. */
  public static final String KIND_KEY = "splitter.dev/kind";

  /** The key holding the splitter's endpoint. */
  public static final String ENDPOINT_KEY = "splitter.dev/endpoint";

  /** The key holding {@code public} or {@code none}. */
  public static final String API_GATEWAY_KEY = "splitter.dev/api-gateway";

  /** The key holding {@link #hash}. */
  public static final String HASH_KEY = "splitter.dev/spec-hash";

  /** The key holding when splitter last wrote the object, ISO-8601. */
  public static final String LAST_UPDATED_KEY = "splitter.dev/last-updated";

  /** Hex digits in {@link #hash}: 128 bits, within a Kubernetes label value's 63 characters. */
  public static final int HASH_LENGTH = 32;

  private StoredSpec() {}

  /** The spec as one line of canonical JSON, every default written out. */
  public static String encode(TrafficSplitter splitter) {
    return SplitterConfig.of(splitter).toJson();
  }

  /**
   * Reads a spec that {@link #encode} wrote.
   *
   * @param backend the backend's name, for the error
   * @param where the object it was read from, for the error
   * @throws BackendException if the text is not one Traffic Splitter (it was edited by hand)
   */
  public static TrafficSplitter decode(String json, String backend, String where) {
    requireNonNull(json, "json");
    try {
      List<TrafficSplitter> splitters =
          SplitterConfig.parse(json, where + ".json").trafficSplitters();
      if (splitters.size() != 1) {
        throw unreadable(backend, where, "it holds " + splitters.size() + " splitters, not 1");
      }
      return splitters.get(0);
    } catch (InvalidConfigException e) {
      throw unreadable(
          backend, where, "its spec cannot be read (edited by hand?): " + e.getMessage());
    }
  }

  /**
   * The error for a routing object whose stored state is missing or was edited into something
   * unreadable; deploying the splitter again rewrites it.
   */
  public static BackendException unreadable(String backend, String where, String problem) {
    return BackendException.builder(backend, "read", where)
        .message(problem + "; deploy the splitter again to rewrite it")
        .build();
  }

  /**
   * Whether labels or tags mark an object as splitter's: {@code key} holds {@value
   * #MANAGED_BY_VALUE}.
   */
  public static boolean isManaged(Map<String, String> labels, String managedByKey) {
    return MANAGED_BY_VALUE.equals(labels.get(managedByKey));
  }

  /** A timestamp a backend stored (ISO-8601); empty if absent or edited into something else. */
  public static Optional<Instant> instant(@Nullable String stored) {
    if (stored == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(stored));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /** The first {@value #HASH_LENGTH} hex digits of the SHA-256 of {@link #encode}. */
  public static String hash(TrafficSplitter splitter) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(encode(splitter).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, HASH_LENGTH);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }
}
