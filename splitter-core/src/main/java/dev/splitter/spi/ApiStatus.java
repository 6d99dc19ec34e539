package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * How a Realtime API is doing.
 *
 * @param state live, updating, error or not deployed
 * @param requested how many replicas (or targets) were asked for
 * @param lastUpdate when the API last changed, if known
 */
public record ApiStatus(ApiState state, int requested, @Nullable Instant lastUpdate) {
  /** The status of an API that does not exist. */
  public static final ApiStatus NOT_DEPLOYED = new ApiStatus(ApiState.NOT_DEPLOYED, 0, null);

  public ApiStatus {
    requireNonNull(state, "state");
    if (requested < 0) {
      throw new IllegalArgumentException("requested must be >= 0, got " + requested);
    }
  }

  /** When the API last changed, if known. */
  public Optional<Instant> lastUpdated() {
    return Optional.ofNullable(lastUpdate);
  }
}
