package dev.splitter.spi;

import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What one target served.
 *
 * @param requests requests routed to it
 * @param responses2xx answers with a 2XX status
 * @param responses5xx answers with a 5XX status, including the gateway's own 502 and 504
 * @param averageLatency mean time to the response's headers; null if no request completed
 */
public record TargetMetrics(
    long requests, long responses2xx, long responses5xx, @Nullable Duration averageLatency) {
  /** No data. */
  public static final TargetMetrics NONE = new TargetMetrics(0, 0, 0, null);
}
