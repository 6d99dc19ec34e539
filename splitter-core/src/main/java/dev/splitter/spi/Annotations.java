package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link RoutingBackend#annotateIf} key and value may hold: the subset every backend can
 * store as it is (a Kubernetes annotation under {@value #PREFIX}, an AWS tag, a map in memory).
 */
@API(status = API.Status.STABLE)
public final class Annotations {
  /** The prefix a backend puts before the key where it stores an annotation. */
  public static final String PREFIX = "note.splitter.dev/";

  /** Lower-case words joined by hyphens, at most 40 characters. */
  public static final Pattern KEY_PATTERN = Pattern.compile("[a-z][a-z0-9-]{0,39}");

  /** Letters, digits, spaces and {@code _ . : / = + - @}: what an AWS tag value takes. */
  public static final Pattern VALUE_PATTERN = Pattern.compile("[A-Za-z0-9 _.:/=+@-]*");

  /** An AWS tag value's limit. */
  public static final int MAX_VALUE_LENGTH = 256;

  private Annotations() {}

  /**
   * The annotations among what a backend stores on an object (its labels, annotations or tags): the
   * entries under {@link #PREFIX}, by key without it, in key order.
   */
  public static Map<String, String> readFrom(@Nullable Map<String, String> stored) {
    Map<String, String> annotations = new TreeMap<>();
    if (stored != null) {
      stored.forEach(
          (key, value) -> {
            if (key.startsWith(PREFIX)) {
              annotations.put(key.substring(PREFIX.length()), value);
            }
          });
    }
    return annotations;
  }

  /**
   * Checks a key and value before a backend stores them.
   *
   * @throws IllegalArgumentException if either does not fit
   */
  public static void check(String key, @Nullable String value) {
    requireNonNull(key, "key");
    if (!KEY_PATTERN.matcher(key).matches()) {
      throw new IllegalArgumentException(
          "annotation key " + key + " must match " + KEY_PATTERN.pattern());
    }
    if (value != null
        && (value.length() > MAX_VALUE_LENGTH || !VALUE_PATTERN.matcher(value).matches())) {
      throw new IllegalArgumentException(
          "annotation "
              + key
              + " must be at most "
              + MAX_VALUE_LENGTH
              + " characters of "
              + VALUE_PATTERN.pattern()
              + ", got "
              + value.length()
              + " characters");
    }
  }
}
