package dev.splitter.local.internal;

import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.EndpointProvisioner;
import java.net.URI;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The gateway serves every splitter at its endpoint as soon as it is routed, so there is nothing to
 * expose: the gateway stands in for the API Gateway, and {@code api_gateway} changes nothing.
 */
@API(status = API.Status.INTERNAL)
public final class LocalEndpoints implements EndpointProvisioner {
  private final URI baseUrl;

  public LocalEndpoints(URI baseUrl) {
    this.baseUrl = baseUrl;
  }

  @Override
  public boolean supportsPublicEndpoints() {
    return true;
  }

  @Override
  public void expose(TrafficSplitter splitter) {}

  @Override
  public void unexpose(TrafficSplitter splitter) {}

  @Override
  public Optional<URI> url(TrafficSplitter splitter) {
    return Optional.of(baseUrl.resolve(splitter.networking().endpoint()));
  }
}
