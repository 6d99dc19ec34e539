package dev.splitter.validation;

import static java.util.Objects.requireNonNull;

/**
 * What a routing backend can realise, so that a spec it cannot honour fails validation before
 * anything is written.
 *
 * @param backend the backend's name for messages, such as {@code alb}
 * @param shadows whether it can mirror traffic to a shadow target
 * @param maxTargets the most targets one splitter may have
 * @param maxEndpointLength the longest endpoint the backend can match (an ALB path pattern: 128)
 */
public record BackendCapabilities(
    String backend, boolean shadows, int maxTargets, int maxEndpointLength) {
  /** No limits: any number of targets, shadows allowed. */
  public static final BackendCapabilities UNLIMITED =
      new BackendCapabilities("any", true, Integer.MAX_VALUE);

  public BackendCapabilities {
    requireNonNull(backend, "backend");
    if (maxTargets < 1) {
      throw new IllegalArgumentException("maxTargets must be >= 1, got " + maxTargets);
    }
    if (maxEndpointLength < 2) {
      throw new IllegalArgumentException(
          "maxEndpointLength must be >= 2, got " + maxEndpointLength);
    }
  }

  /** Capabilities with no limit on the endpoint's length. */
  public BackendCapabilities(String backend, boolean shadows, int maxTargets) {
    this(backend, shadows, maxTargets, Integer.MAX_VALUE);
  }
}
