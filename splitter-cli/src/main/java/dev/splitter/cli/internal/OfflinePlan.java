package dev.splitter.cli.internal;

import dev.splitter.core.Deployer;
import dev.splitter.core.Plan;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.spi.RoutingBackend;
import java.net.URI;
import java.util.Optional;
import java.util.Set;

/**
 * {@code deploy --dry-run} with no environment to ask: the plan against the file alone, as if
 * nothing were deployed. Targets the file does not define are taken as deployed and live, as {@code
 * validate} takes them without {@code --env}.
 */
final class OfflinePlan {
  private OfflinePlan() {}

  static Plan of(SplitterConfig config) {
    Set<String> undefined = OfflineChecks.undefinedTargets(config);
    ApiCatalog unchecked =
        new ApiCatalog() {
          @Override
          public boolean exists(String apiName) {
            return undefined.contains(apiName);
          }

          @Override
          public ApiStatus status(String apiName) {
            return exists(apiName) ? new ApiStatus(ApiState.LIVE, 1, null) : ApiStatus.NOT_DEPLOYED;
          }
        };
    return Deployer.builder()
        .routing(RoutingBackend.planOnly(BackendCapabilities.builder("offline").build()))
        .endpoints(new AnyEndpoint())
        .catalog(unchecked)
        .realtimeApis(
            api -> {
              throw new IllegalStateException("a plan deploys nothing");
            })
        .build()
        .plan(config);
  }

  /** Public endpoints are allowed, as the local gateway allows them; none is exposed. */
  private static final class AnyEndpoint implements EndpointProvisioner {
    @Override
    public boolean supportsPublicEndpoints() {
      return true;
    }

    @Override
    public void expose(TrafficSplitter splitter) {
      throw new IllegalStateException("a plan exposes nothing");
    }

    @Override
    public void unexpose(TrafficSplitter splitter) {
      throw new IllegalStateException("a plan removes nothing");
    }

    @Override
    public Optional<URI> url(TrafficSplitter splitter) {
      return Optional.empty();
    }
  }
}
