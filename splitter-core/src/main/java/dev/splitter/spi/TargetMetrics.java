package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * What one target served.
 *
 * @param requests requests the split routed to it
 * @param responses2xx answers to those with a 2XX status
 * @param responses5xx answers to those with a 5XX status, including the gateway's own 502 and 504
 * @param averageLatency mean time to the response's headers; null if no request completed
 * @param pinned requests pinned to it by {@value BackendCapabilities#PIN_HEADER}, counted apart
 *     from the split (none in {@code requests} or the answers); 0 from a source that cannot tell
 *     them apart, in which case they are among {@code requests}
 * @param latency how the answers' times were spread ({@link LatencyDistribution#EMPTY} from a
 *     source that does not know): what percentiles, {@code compare} and latency gates read
 */
@API(status = API.Status.STABLE)
public record TargetMetrics(
    long requests,
    long responses2xx,
    long responses5xx,
    @Nullable Duration averageLatency,
    long pinned,
    LatencyDistribution latency) {
  /** No data. */
  public static final TargetMetrics NONE = new TargetMetrics(0, 0, 0, null, 0);

  public TargetMetrics {
    requireNonNull(latency, "latency");
  }

  /** What a source with no latency distribution reports. */
  public TargetMetrics(
      long requests,
      long responses2xx,
      long responses5xx,
      @Nullable Duration averageLatency,
      long pinned) {
    this(requests, responses2xx, responses5xx, averageLatency, pinned, LatencyDistribution.EMPTY);
  }

  /** What a source that cannot tell pinned requests apart reports. */
  public TargetMetrics(
      long requests, long responses2xx, long responses5xx, @Nullable Duration averageLatency) {
    this(requests, responses2xx, responses5xx, averageLatency, 0);
  }
}
