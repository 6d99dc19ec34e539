package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TrafficSplitter;
import java.time.Instant;

/**
 * A splitter as a backend holds it.
 *
 * @param spec the spec the routing object carries
 * @param lastUpdated when the routing object was last written
 */
public record DeployedSplitter(TrafficSplitter spec, Instant lastUpdated) {
  public DeployedSplitter {
    requireNonNull(spec, "spec");
    requireNonNull(lastUpdated, "lastUpdated");
  }
}
