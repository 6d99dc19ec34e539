package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.Assignment;
import dev.splitter.model.TrafficSplitter;
import java.time.Instant;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A splitter as a backend holds it.
 *
 * @param spec the spec the routing object carries
 * @param lastUpdated when the routing object was last written
 * @param pinned the targets the routing object holds a pinned route for, in any order; null from a
 *     backend that does not say (the deployer then takes them to match its capabilities)
 * @param assignment the bucket layout the routing object keeps for keyed requests; null when it
 *     keeps none (its backend draws at random, or holds users by cookie)
 * @param assignmentMode how the routing object assigns keyed requests; null from a backend that
 *     does not say (the deployer then takes it to match its capabilities)
 */
@API(status = API.Status.STABLE)
public record DeployedSplitter(
    TrafficSplitter spec,
    Instant lastUpdated,
    @Nullable List<String> pinned,
    @Nullable Assignment assignment,
    @Nullable AssignmentMode assignmentMode) {
  public DeployedSplitter {
    requireNonNull(spec, "spec");
    requireNonNull(lastUpdated, "lastUpdated");
    pinned = pinned == null ? null : List.copyOf(pinned);
  }

  /** A splitter from a backend that keeps no bucket layout and does not say how it assigns. */
  public DeployedSplitter(
      TrafficSplitter spec, Instant lastUpdated, @Nullable List<String> pinned) {
    this(spec, lastUpdated, pinned, null, null);
  }

  /** A splitter from a backend that does not say which pinned routes it holds. */
  public DeployedSplitter(TrafficSplitter spec, Instant lastUpdated) {
    this(spec, lastUpdated, null);
  }
}
