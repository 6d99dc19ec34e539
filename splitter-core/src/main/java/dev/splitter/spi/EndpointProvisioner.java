package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Exposes a splitter's endpoint to its callers (an API Gateway route, or nothing at all).
 * Implementations are thread-safe and idempotent.
 */
@API(status = API.Status.STABLE)
public interface EndpointProvisioner {

  /** Whether {@code api_gateway: public} can be honoured; when not, it fails validation. */
  boolean supportsPublicEndpoints();

  /** Makes the splitter reachable as its networking says; a no-op for {@code api_gateway: none}. */
  void expose(TrafficSplitter splitter);

  /** Removes what {@link #expose} created for this spec, if anything. */
  void unexpose(TrafficSplitter splitter);

  /** The URL callers use for the splitter, if it has one. */
  Optional<URI> url(TrafficSplitter splitter);

  /** A provisioner that exposes nothing and has no public endpoints. */
  static EndpointProvisioner none() {
    return urlsOnly(splitter -> Optional.empty());
  }

  /**
   * A provisioner that creates nothing and has no public endpoints, for a backend whose routing
   * itself is what callers reach: it only tells where.
   *
   * @param url where callers reach a splitter, if it is deployed
   */
  static EndpointProvisioner urlsOnly(Function<TrafficSplitter, Optional<URI>> url) {
    requireNonNull(url, "url");
    return new EndpointProvisioner() {
      @Override
      public boolean supportsPublicEndpoints() {
        return false;
      }

      @Override
      public void expose(TrafficSplitter splitter) {}

      @Override
      public void unexpose(TrafficSplitter splitter) {}

      @Override
      public Optional<URI> url(TrafficSplitter splitter) {
        return url.apply(splitter);
      }
    };
  }
}
