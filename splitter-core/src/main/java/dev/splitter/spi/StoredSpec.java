package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import dev.splitter.InvalidConfigException;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A splitter's spec as a backend keeps it on its routing object (an annotation, a tag): canonical
 * JSON, and a hash of that JSON that fits a Kubernetes label or an AWS tag. Equal specs give equal
 * text and equal hashes, so "is it up to date?" is one comparison. The key names are shared by
 * every backend, so an object reads the same in {@code kubectl} as a rule in the AWS console.
 */
public final class StoredSpec {
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
   * @param where the object it was read from, for the error message
   * @throws IllegalStateException if the text is not one Traffic Splitter (it was edited by hand)
   */
  public static TrafficSplitter decode(String json, String where) {
    requireNonNull(json, "json");
    try {
      List<TrafficSplitter> splitters =
          SplitterConfig.parse(json, where + ".json").trafficSplitters();
      if (splitters.size() != 1) {
        throw new IllegalStateException(where + " holds " + splitters.size() + " splitters, not 1");
      }
      return splitters.get(0);
    } catch (InvalidConfigException e) {
      throw new IllegalStateException(
          where + " holds a spec that cannot be read (edited by hand?): " + e.getMessage(), e);
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
