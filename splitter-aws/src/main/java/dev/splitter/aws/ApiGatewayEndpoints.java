package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.AwsCalls;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.EndpointProvisioner;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ConnectionType;
import software.amazon.awssdk.services.apigatewayv2.model.CreateIntegrationRequest;
import software.amazon.awssdk.services.apigatewayv2.model.GetIntegrationsResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetRoutesResponse;
import software.amazon.awssdk.services.apigatewayv2.model.Integration;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.Route;

/**
 * Exposes public splitters through an API Gateway v2 HTTP API, as Cortex did: one route {@code ANY
 * <endpoint>} per splitter, targeting an integration that reaches the load balancer.
 *
 * <ul>
 *   <li>{@link Builder#integration(String)}: an existing integration (a VPC link to the listener,
 *       made by whoever set up the API) that every route shares;
 *   <li>{@link Builder#vpcLink(String, String)}: a VPC link and the listener ARN; the shared
 *       HTTP_PROXY integration through the link is found, or created once;
 *   <li>{@link Builder#httpProxy(URI)}: an internet-facing load balancer's URL; each route gets its
 *       own HTTP_PROXY integration to {@code <url><endpoint>}, deleted with the route.
 * </ul>
 *
 * <p>A route is found by its key. One that exists but targets an integration this provisioner did
 * not make is left alone and reported, never taken over. {@code api_gateway: none} removes our
 * route for the endpoint if an earlier deploy left one. The URL is the API's endpoint plus the
 * splitter's. Idempotent and thread-safe (writes are serialised per instance).
 */
public final class ApiGatewayEndpoints implements EndpointProvisioner {
  /** The backend's name in messages. */
  public static final String BACKEND = "apigateway";

  private final ApiGatewayV2Client client;
  private final String apiId;
  private final @Nullable String integrationId;
  private final @Nullable String vpcLinkId;
  private final @Nullable String listenerArn;
  private final @Nullable URI loadBalancerUrl;
  private final AwsCalls aws = new AwsCalls(BACKEND);
  private final Object writes = new Object();
  private volatile @Nullable String apiEndpoint;
  private volatile @Nullable String sharedIntegration;

  private ApiGatewayEndpoints(Builder builder) {
    this.client = requireNonNull(builder.client, "client is required");
    this.apiId = requireNonNull(builder.apiId, "apiId is required");
    int modes =
        (builder.integrationId != null ? 1 : 0)
            + (builder.vpcLinkId != null ? 1 : 0)
            + (builder.loadBalancerUrl != null ? 1 : 0);
    if (modes != 1) {
      throw new IllegalStateException(
          "choose exactly one of integration(id), vpcLink(id, listenerArn), httpProxy(url)");
    }
    this.integrationId = builder.integrationId;
    this.vpcLinkId = builder.vpcLinkId;
    this.listenerArn = builder.listenerArn;
    this.loadBalancerUrl = builder.loadBalancerUrl;
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean supportsPublicEndpoints() {
    return true;
  }

  @Override
  public void expose(TrafficSplitter splitter) {
    if (splitter.networking().apiGateway() == ApiGateway.NONE) {
      unexpose(splitter);
      return;
    }
    String routeKey = routeKey(splitter);
    synchronized (writes) {
      Optional<Route> existing = route(routeKey);
      if (existing.isPresent()) {
        if (!ours(existing.get(), splitter)) {
          throw aws.refuse(
              "CreateRoute",
              routeKey,
              "the route exists and targets "
                  + existing.get().target()
                  + ", which splitter did not make; it is left as it is");
        }
        return;
      }
      String integration = integrationFor(splitter);
      try {
        aws.run(
            "CreateRoute",
            routeKey,
            () ->
                client.createRoute(
                    request ->
                        request
                            .apiId(apiId)
                            .routeKey(routeKey)
                            .target("integrations/" + integration)));
      } catch (RuntimeException e) {
        if (loadBalancerUrl != null) {
          // The integration was made for this route only: do not leave it behind.
          try {
            deleteIntegration(integration);
          } catch (RuntimeException cleanup) {
            e.addSuppressed(cleanup);
          }
        }
        throw e;
      }
    }
  }

  @Override
  public void unexpose(TrafficSplitter splitter) {
    String routeKey = routeKey(splitter);
    synchronized (writes) {
      Optional<Route> existing = route(routeKey).filter(route -> ours(route, splitter));
      if (existing.isEmpty()) {
        return;
      }
      aws.run(
          "DeleteRoute",
          routeKey,
          () ->
              client.deleteRoute(
                  request -> request.apiId(apiId).routeId(existing.get().routeId())));
      if (loadBalancerUrl != null) {
        deleteIntegration(integrationOf(existing.get()));
      }
    }
  }

  @Override
  public Optional<URI> url(TrafficSplitter splitter) {
    if (splitter.networking().apiGateway() == ApiGateway.NONE) {
      return Optional.empty();
    }
    String base = apiEndpoint;
    if (base == null) {
      base =
          aws.call(
              "GetApi",
              "API " + apiId,
              () -> client.getApi(request -> request.apiId(apiId)).apiEndpoint());
      apiEndpoint = base;
    }
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return Optional.of(URI.create(trimmed + splitter.networking().endpoint()));
  }

  private static String routeKey(TrafficSplitter splitter) {
    return "ANY " + splitter.networking().endpoint();
  }

  /** Whether the route targets an integration this provisioner makes or was given. */
  private boolean ours(Route route, TrafficSplitter splitter) {
    String target = route.target();
    if (target == null || !target.startsWith("integrations/")) {
      return false;
    }
    String id = integrationOf(route);
    if (loadBalancerUrl != null) {
      String uri =
          aws.call(
              "GetIntegration",
              "integration " + id,
              () ->
                  client
                      .getIntegration(request -> request.apiId(apiId).integrationId(id))
                      .integrationUri());
      return proxyUri(splitter).equals(uri);
    }
    return id.equals(shared());
  }

  private static String integrationOf(Route route) {
    return route.target().substring("integrations/".length());
  }

  private String integrationFor(TrafficSplitter splitter) {
    if (loadBalancerUrl == null) {
      return shared();
    }
    return createIntegration(
        "integration for " + splitter.name(),
        request -> request.integrationUri(proxyUri(splitter)));
  }

  private String proxyUri(TrafficSplitter splitter) {
    String base = requireNonNull(loadBalancerUrl).toString();
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + splitter.networking().endpoint();
  }

  /** The integration every route shares: the one given, or the VPC link's, found or made once. */
  private String shared() {
    if (integrationId != null) {
      return integrationId;
    }
    String known = sharedIntegration;
    if (known != null) {
      return known;
    }
    synchronized (writes) {
      String found =
          integrations().stream()
              .filter(integration -> integration.connectionType() == ConnectionType.VPC_LINK)
              .filter(integration -> requireNonNull(vpcLinkId).equals(integration.connectionId()))
              .filter(
                  integration -> requireNonNull(listenerArn).equals(integration.integrationUri()))
              .map(Integration::integrationId)
              .findFirst()
              .orElseGet(this::createVpcLinkIntegration);
      sharedIntegration = found;
      return found;
    }
  }

  private String createVpcLinkIntegration() {
    return createIntegration(
        "VPC link integration " + vpcLinkId,
        request ->
            request
                .connectionType(ConnectionType.VPC_LINK)
                .connectionId(vpcLinkId)
                .integrationUri(listenerArn));
  }

  /** An HTTP_PROXY integration for any method, payload format 1.0, going where {@code to} says. */
  private String createIntegration(String object, Consumer<CreateIntegrationRequest.Builder> to) {
    return aws.call(
        "CreateIntegration",
        object,
        () ->
            client
                .createIntegration(
                    request ->
                        to.accept(
                            request
                                .apiId(apiId)
                                .integrationType(IntegrationType.HTTP_PROXY)
                                .integrationMethod("ANY")
                                .payloadFormatVersion("1.0")))
                .integrationId());
  }

  private void deleteIntegration(String id) {
    aws.run(
        "DeleteIntegration",
        "integration " + id,
        () -> client.deleteIntegration(request -> request.apiId(apiId).integrationId(id)));
  }

  private Optional<Route> route(String routeKey) {
    return aws
        .allPages(
            "GetRoutes",
            "API " + apiId,
            token -> client.getRoutes(request -> request.apiId(apiId).nextToken(token)),
            GetRoutesResponse::items,
            GetRoutesResponse::nextToken)
        .stream()
        .filter(route -> routeKey.equals(route.routeKey()))
        .findFirst();
  }

  private List<Integration> integrations() {
    return aws.allPages(
        "GetIntegrations",
        "API " + apiId,
        token -> client.getIntegrations(request -> request.apiId(apiId).nextToken(token)),
        GetIntegrationsResponse::items,
        GetIntegrationsResponse::nextToken);
  }

  /** Builds an {@link ApiGatewayEndpoints}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ApiGatewayV2Client client;
    private @Nullable String apiId;
    private @Nullable String integrationId;
    private @Nullable String vpcLinkId;
    private @Nullable String listenerArn;
    private @Nullable URI loadBalancerUrl;

    private Builder() {}

    /** The client to call API Gateway v2 with. Required. */
    public Builder client(ApiGatewayV2Client client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** The HTTP API that holds the routes. Required. */
    public Builder apiId(String apiId) {
      this.apiId = requireNonNull(apiId, "apiId");
      return this;
    }

    /** Routes target this existing integration. */
    public Builder integration(String integrationId) {
      this.integrationId = requireNonNull(integrationId, "integrationId");
      return this;
    }

    /** Routes target one HTTP_PROXY integration through this VPC link to the listener. */
    public Builder vpcLink(String vpcLinkId, String listenerArn) {
      this.vpcLinkId = requireNonNull(vpcLinkId, "vpcLinkId");
      this.listenerArn = requireNonNull(listenerArn, "listenerArn");
      return this;
    }

    /** Each route gets an HTTP_PROXY integration to this internet-facing load balancer's URL. */
    public Builder httpProxy(URI loadBalancerUrl) {
      this.loadBalancerUrl = requireNonNull(loadBalancerUrl, "loadBalancerUrl");
      return this;
    }

    /**
     * Builds the provisioner; nothing is called yet.
     *
     * @throws IllegalStateException unless exactly one way to reach the load balancer was chosen
     */
    public ApiGatewayEndpoints build() {
      return new ApiGatewayEndpoints(this);
    }
  }
}
