package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TargetApi;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.TargetMetrics;
import org.apiguardian.api.API;

/**
 * One target of a deployed splitter: its weight, how its API is doing, and what it served.
 *
 * @param api the target as the splitter routes to it
 * @param status the API's status from the catalog
 * @param metrics what it served, from the metrics source
 */
@API(status = API.Status.STABLE)
public record TargetStatus(TargetApi api, ApiStatus status, TargetMetrics metrics) {
  public TargetStatus {
    requireNonNull(api, "api");
    requireNonNull(status, "status");
    requireNonNull(metrics, "metrics");
  }
}
