package dev.splitter.k8s;

import static java.util.Objects.requireNonNull;

import dev.splitter.k8s.internal.KubernetesRouting;
import dev.splitter.k8s.internal.ManagedObjects;
import dev.splitter.k8s.internal.VirtualServiceRenderer;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.RoutingBackend;
import io.fabric8.istio.api.networking.v1.VirtualService;
import io.fabric8.istio.api.networking.v1.VirtualServiceBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Routes each splitter with one Istio VirtualService, named after the splitter, shaped as Cortex
 * made it: attached to the gateways given (default {@code apis-gateway}) for the hosts given
 * (default {@code *}), matching the endpoint exactly, rewriting it to {@code /}, with no retries,
 * one weighted destination per target and the shadow as {@code mirror} with {@code
 * mirrorPercentage}.
 *
 * <pre>{@code
 * RoutingBackend istio = IstioRouting.builder()
 *     .client(kubernetesClient)       // yours: its context, credentials and retries
 *     .namespace("default")
 *     .build();
 * }</pre>
 *
 * <p>Labels ({@code app.kubernetes.io/managed-by: splitter}, {@code splitter.dev/name}, {@code
 * splitter.dev/kind}) and annotations (endpoint, api-gateway, spec, spec-hash, last-updated) carry
 * the splitter's state. Objects without the label are never written or deleted: a name they hold is
 * refused. Updates carry the resourceVersion read, so a concurrent change is not written over.
 * Thread-safe.
 */
@API(status = API.Status.STABLE)
public final class IstioRouting extends ForwardingRouting {
  /** The backend's name in messages. */
  public static final String BACKEND = "istio";

  private IstioRouting(Builder builder) {
    super(routing(builder));
  }

  private static RoutingBackend routing(Builder builder) {
    return switch (builder.version) {
      case V1 ->
          routing(
              builder,
              VirtualService.class,
              (meta, spec) -> new VirtualServiceBuilder().withMetadata(meta).withSpec(spec).build(),
              VirtualService::getSpec);
      case V1BETA1 ->
          routing(
              builder,
              io.fabric8.istio.api.networking.v1beta1.VirtualService.class,
              (meta, spec) ->
                  new io.fabric8.istio.api.networking.v1beta1.VirtualServiceBuilder()
                      .withMetadata(meta)
                      .withSpec(spec)
                      .build(),
              io.fabric8.istio.api.networking.v1beta1.VirtualService::getSpec);
    };
  }

  /** The routing for one VirtualService class: both versions share the v1alpha3 spec types. */
  private static <T extends HasMetadata> RoutingBackend routing(
      Builder builder,
      Class<T> type,
      BiFunction<ObjectMeta, io.fabric8.istio.api.api.networking.v1alpha3.VirtualService, T> wrap,
      Function<T, io.fabric8.istio.api.api.networking.v1alpha3.VirtualService> unwrap) {
    KubernetesClient client = builder.requireClient();
    BackendCapabilities capabilities =
        BackendCapabilities.builder(BACKEND)
            .pinning(builder.pinning)
            .annotations(true)
            .assignment(builder.assignment)
            .build();
    return new KubernetesRouting<>(
        new ManagedObjects<>(
            client.resources(type),
            BACKEND,
            "VirtualService",
            builder.namespaceOrDefault(),
            builder.clock,
            unwrap::apply),
        new VirtualServiceRenderer<>(
            builder.gateways,
            builder.hosts,
            builder.targetPort,
            builder.services::serviceFor,
            capabilities::pinnedTargets,
            builder.assignment.header(),
            wrap,
            unwrap),
        capabilities);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds an {@link IstioRouting}. Not thread-safe. */
  public static final class Builder extends ClusterBuilder.Routing<Builder> {
    private List<String> gateways = List.of("apis-gateway");
    private List<String> hosts = List.of("*");
    private IstioVersion version = IstioVersion.V1;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** The Istio gateways to attach to. Default: {@code apis-gateway}, as in Cortex. */
    public Builder gateways(String... gateways) {
      this.gateways = nonEmpty(List.of(gateways), "gateways");
      return this;
    }

    /** The hosts the VirtualServices answer for. Default: {@code *}. */
    public Builder hosts(String... hosts) {
      this.hosts = nonEmpty(List.of(hosts), "hosts");
      return this;
    }

    /** The VirtualService API version. Default: {@link IstioVersion#V1}. */
    public Builder version(IstioVersion version) {
      this.version = requireNonNull(version, "version");
      return this;
    }

    /**
     * Builds the backend; nothing is read from the cluster yet.
     *
     * @throws IllegalStateException if no client was set
     */
    public IstioRouting build() {
      return new IstioRouting(this);
    }
  }
}
