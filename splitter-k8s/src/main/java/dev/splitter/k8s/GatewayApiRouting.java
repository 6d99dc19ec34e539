package dev.splitter.k8s;

import static java.util.Objects.requireNonNull;

import dev.splitter.k8s.internal.HttpRouteRenderer;
import dev.splitter.k8s.internal.KubernetesRouting;
import dev.splitter.k8s.internal.ManagedObjects;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.RoutingBackend;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReference;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.ParentReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Routes each splitter with one Gateway API HTTPRoute ({@code gateway.networking.k8s.io/v1}), named
 * after the splitter: attached to the given Gateways, one rule matching the endpoint exactly
 * ({@code Exact}), a {@code URLRewrite} filter replacing the full path with {@code /}, one weighted
 * {@code backendRef} per target and the shadow as a {@code RequestMirror} filter with its {@code
 * percent}. Works with any Gateway API implementation that supports those (Envoy Gateway, Istio,
 * Cilium, NGINX Gateway Fabric, …).
 *
 * <pre>{@code
 * RoutingBackend routes = GatewayApiRouting.builder()
 *     .client(kubernetesClient)
 *     .namespace("models")
 *     .gateway("infra", "public-gateway")      // or, on a mesh: .meshService("models", "predict")
 *     .build();
 * }</pre>
 *
 * <p>State, ownership and concurrency as for {@link IstioRouting}. At most 16 targets, the Gateway
 * API's limit on backendRefs per rule; with pinning (the default) at most 15, since an HTTPRoute
 * holds 16 rules and each target's pinned rule is one; with {@linkplain Builder#bucketHeader bucket
 * assignment} too, each target with weight takes one more. Thread-safe.
 */
@API(status = API.Status.STABLE)
public final class GatewayApiRouting extends ForwardingRouting {
  /** The backend's name in messages. */
  public static final String BACKEND = "gateway-api";

  /**
   * The Gateway API allows at most 16 rules in one HTTPRoute: the weighted one, the pinned ones and
   * those matching buckets.
   */
  private static final int MAX_RULES = 16;

  /** The Gateway API allows at most 16 backendRefs in one rule. */
  private static final int MAX_TARGETS = 16;

  private static final String GATEWAY_GROUP = "gateway.networking.k8s.io";

  private GatewayApiRouting(Builder builder) {
    super(routing(builder));
  }

  private static RoutingBackend routing(Builder builder) {
    KubernetesClient client = builder.requireClient();
    if (builder.parentRefs.isEmpty()) {
      throw new IllegalStateException(
          "a parent is required: call gateway(...), meshService(...) or parentRef(...) first");
    }
    String namespace = builder.namespaceOrDefault();
    BackendCapabilities capabilities =
        BackendCapabilities.builder(BACKEND)
            .maxTargets(MAX_TARGETS)
            .pinning(builder.pinning)
            .maxRoutes(MAX_RULES)
            .annotations(true)
            .assignment(builder.assignment)
            .build();
    return new KubernetesRouting<>(
        new ManagedObjects<>(
            client.resources(HTTPRoute.class),
            BACKEND,
            "HTTPRoute",
            namespace,
            builder.clock,
            HTTPRoute::getSpec),
        new HttpRouteRenderer(
            builder.parentRefs,
            builder.hostnames,
            builder.targetPort,
            builder.services::serviceFor,
            capabilities::pinnedTargets,
            builder.assignment.header(),
            namespace),
        capabilities);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds a {@link GatewayApiRouting}. Not thread-safe. */
  public static final class Builder extends ClusterBuilder.Routing<Builder> {
    private final List<ParentReference> parentRefs = new ArrayList<>();
    private List<String> hostnames = List.of();

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /**
     * Attaches to a Gateway in the routes' namespace. At least one parent (a gateway or a mesh
     * Service) is required.
     */
    public Builder gateway(String name) {
      return parentRef(gatewayRef(name).build());
    }

    /** Attaches to a Gateway in another namespace (it must allow routes from this one). */
    public Builder gateway(String namespace, String name) {
      return parentRef(
          gatewayRef(name).withNamespace(requireNonNull(namespace, "namespace")).build());
    }

    /**
     * Splits the mesh's traffic to a Service (GAMMA): calls inside the mesh to {@code
     * namespace/name} are routed by weight, with no ingress Gateway. The mesh (Istio, Linkerd,
     * Cilium) must implement the Gateway API for service meshes.
     */
    public Builder meshService(String namespace, String name) {
      return parentRef(
          new ParentReferenceBuilder()
              .withGroup("")
              .withKind("Service")
              .withNamespace(requireNonNull(namespace, "namespace"))
              .withName(requireNonNull(name, "name"))
              .build());
    }

    /** Attaches with a full parentRef (a listener's sectionName, a port, another kind). */
    public Builder parentRef(ParentReference parentRef) {
      this.parentRefs.add(requireNonNull(parentRef, "parentRef"));
      return this;
    }

    /** The hostnames the routes answer for. Default: none, so the Gateway's listeners decide. */
    public Builder hostnames(String... hostnames) {
      this.hostnames = nonEmpty(List.of(hostnames), "hostnames");
      return this;
    }

    /**
     * Builds the backend; nothing is read from the cluster yet.
     *
     * @throws IllegalStateException if no client was set
     * @throws IllegalStateException if no gateway or mesh Service was given
     */
    public GatewayApiRouting build() {
      return new GatewayApiRouting(this);
    }

    private static ParentReferenceBuilder gatewayRef(String name) {
      return new ParentReferenceBuilder()
          .withGroup(GATEWAY_GROUP)
          .withKind("Gateway")
          .withName(requireNonNull(name, "name"));
    }
  }
}
