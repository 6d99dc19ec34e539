package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.util.Objects;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A compare-and-set of one of a splitter's {@linkplain RoutingBackend#annotations annotations}: the
 * value it must hold for a write to happen, and the value it takes when it does. A rollout guards
 * each of its writes with its own state, so that of two writers that read the same state only one
 * writes, and a rollout stopped from elsewhere writes nothing more.
 *
 * <pre>{@code
 * // start a rollout only if none is in progress, and deploy its first step in the same write
 * boolean won = deployer.deployIf(firstStep, Guard.of("rollout", null, "v1 run ..."));
 * }</pre>
 *
 * @param key the annotation's key, as {@link Annotations#KEY_PATTERN} allows
 * @param expected what the annotation must hold now; null: it must be absent
 * @param value what it holds after the write; null: it is removed
 */
@API(status = API.Status.STABLE)
public record Guard(String key, @Nullable String expected, @Nullable String value) {

  /**
   * @throws IllegalArgumentException if the key or a value does not fit every backend
   */
  public Guard {
    Annotations.check(requireNonNull(key, "key"), expected);
    Annotations.check(key, value);
  }

  /** A guard on {@code key}: from {@code expected} to {@code value}. */
  public static Guard of(String key, @Nullable String expected, @Nullable String value) {
    return new Guard(key, expected, value);
  }

  /** Whether an annotation holding {@code current} (null: absent) lets the write happen. */
  public boolean holds(@Nullable String current) {
    return Objects.equals(current, expected);
  }

  /** The guard that undoes this one: from {@code value} back to {@code expected}. */
  public Guard reversed() {
    return new Guard(key, value, expected);
  }
}
