package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How a Realtime API is doing.
 *
 * @param state live, updating, error or not deployed
 * @param requested how many replicas (or targets) were asked for
 * @param lastUpdated when the API last changed; null if not known
 */
@API(status = API.Status.STABLE)
public record ApiStatus(ApiState state, int requested, @Nullable Instant lastUpdated) {
  /** The status of an API that does not exist. */
  public static final ApiStatus NOT_DEPLOYED = new ApiStatus(ApiState.NOT_DEPLOYED, 0, null);

  public ApiStatus {
    requireNonNull(state, "state");
    if (requested < 0) {
      throw new IllegalArgumentException("requested must be >= 0, got " + requested);
    }
  }
}
