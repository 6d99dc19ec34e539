package dev.splitter.model;

import static java.util.Objects.requireNonNull;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import org.apiguardian.api.API;

/**
 * One Realtime API a {@link TrafficSplitter} routes to.
 *
 * @param name the name of the target Realtime API
 * @param weight the percentage of requests routed to it, 0 to 100; for a shadow, the percentage of
 *     requests mirrored to it
 * @param shadow whether the target only receives copies of requests, whose answers are dropped
 */
@API(status = API.Status.STABLE)
public record TargetApi(
    @NotBlank(message = "{dev.splitter.target.name.required}") String name,
    @Min(value = 0, message = "{dev.splitter.weight.range}")
        @Max(value = 100, message = "{dev.splitter.weight.range}")
        int weight,
    boolean shadow) {

  public TargetApi {
    requireNonNull(name, "name");
  }

  /** A target that receives {@code weight} percent of the requests. */
  public static TargetApi of(String name, int weight) {
    return new TargetApi(name, weight, false);
  }

  /** A shadow target that receives a copy of {@code weight} percent of the requests. */
  public static TargetApi shadowOf(String name, int weight) {
    return new TargetApi(name, weight, true);
  }
}
