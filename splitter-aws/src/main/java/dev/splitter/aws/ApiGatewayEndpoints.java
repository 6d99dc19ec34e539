package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.AwsCalls;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.model.internal.Required;
import dev.splitter.spi.EndpointProvisioner;
import dev.splitter.support.BackendCalls;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.ConnectionType;
import software.amazon.awssdk.services.apigatewayv2.model.CreateIntegrationRequest;
import software.amazon.awssdk.services.apigatewayv2.model.GetIntegrationsResponse;
import software.amazon.awssdk.services.apigatewayv2.model.GetRoutesResponse;
import software.amazon.awssdk.services.apigatewayv2.model.IntegrationType;
import software.amazon.awssdk.services.apigatewayv2.model.Route;

/**
 * Exposes public splitters through an API Gateway v2 HTTP API, as Cortex did: one route {@code ANY
 * <endpoint>} per splitter, targeting an integration that reaches the load balancer.
 *
 * <ul>
 *   <li>{@link Existing}: an existing integration (a VPC link to the listener, made by whoever set
 *       up the API) that every route shares;
 *   <li>{@link VpcLink}: a VPC link and the listener ARN; the shared HTTP_PROXY integration through
 *       the link is found, or created once;
 *   <li>{@link HttpProxy}: an internet-facing load balancer's URL; each route gets its own
 *       HTTP_PROXY integration to {@code <url><endpoint>}, deleted with the route.
 * </ul>
 *
 * <pre>{@code
 * ApiGatewayV2Client apiGateway = ApiGatewayV2Client.create();   // yours; you close it
 * ApiGatewayEndpoints endpoints = ApiGatewayEndpoints.builder()
 *     .client(apiGateway)
 *     .apiId("a1b2c3d4e5")
 *     .integration(new ApiGatewayEndpoints.VpcLink("vl-0123", listenerArn))
 *     .build();
 * Deployer deployer = Deployer.builder().routing(alb).endpoints(endpoints).build();
 * }</pre>
 *
 * <p>A route is found by its key. One that exists but targets an integration this provisioner did
 * not make is left alone and reported, never taken over. {@code api_gateway: none} removes our
 * route for the endpoint if an earlier deploy left one. The URL is the API's endpoint plus the
 * splitter's. Idempotent and thread-safe (writes are serialised per instance).
 */
@API(status = API.Status.STABLE)
public final class ApiGatewayEndpoints implements EndpointProvisioner {
  /** The backend's name in messages. */
  public static final String BACKEND = "apigateway";

  private final ApiGatewayV2Client client;
  private final String apiId;
  private final Integration integration;
  private final BackendCalls aws = AwsCalls.of(BACKEND);
  private final Object writes = new Object();
  private volatile @Nullable String apiEndpoint;
  private volatile @Nullable String sharedIntegration;

  private ApiGatewayEndpoints(Builder builder) {
    this.client = Required.value(builder.client, "client");
    this.apiId = Required.value(builder.apiId, "apiId");
    this.integration = Required.value(builder.integration, "integration");
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
      String target = integrationFor(splitter);
      try {
        aws.run(
            "CreateRoute",
            routeKey,
            () ->
                client.createRoute(
                    request ->
                        request.apiId(apiId).routeKey(routeKey).target("integrations/" + target)));
      } catch (RuntimeException e) {
        if (integration instanceof HttpProxy) {
          // The integration was made for this route only: do not leave it behind.
          try {
            deleteIntegration(target);
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
      if (integration instanceof HttpProxy) {
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
    if (integration instanceof HttpProxy proxy) {
      String uri =
          aws.call(
              "GetIntegration",
              "integration " + id,
              () ->
                  client
                      .getIntegration(request -> request.apiId(apiId).integrationId(id))
                      .integrationUri());
      return proxyUri(proxy, splitter).equals(uri);
    }
    return id.equals(shared());
  }

  private static String integrationOf(Route route) {
    return route.target().substring("integrations/".length());
  }

  private String integrationFor(TrafficSplitter splitter) {
    if (integration instanceof HttpProxy proxy) {
      return createIntegration(
          "integration for " + splitter.name(),
          request -> request.integrationUri(proxyUri(proxy, splitter)));
    }
    return shared();
  }

  private static String proxyUri(HttpProxy proxy, TrafficSplitter splitter) {
    String base = proxy.loadBalancerUrl().toString();
    String trimmed = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return trimmed + splitter.networking().endpoint();
  }

  /** The integration every route shares: the one given, or the VPC link's, found or made once. */
  private String shared() {
    if (integration instanceof Existing existing) {
      return existing.integrationId();
    }
    VpcLink link = (VpcLink) integration;
    String known = sharedIntegration;
    if (known != null) {
      return known;
    }
    synchronized (writes) {
      String id =
          integrations().stream()
              .filter(existing -> existing.connectionType() == ConnectionType.VPC_LINK)
              .filter(existing -> link.vpcLinkId().equals(existing.connectionId()))
              .filter(existing -> link.listenerArn().equals(existing.integrationUri()))
              .map(software.amazon.awssdk.services.apigatewayv2.model.Integration::integrationId)
              .findFirst()
              .orElseGet(() -> createVpcLinkIntegration(link));
      sharedIntegration = id;
      return id;
    }
  }

  private String createVpcLinkIntegration(VpcLink link) {
    return createIntegration(
        "VPC link integration " + link.vpcLinkId(),
        request ->
            request
                .connectionType(ConnectionType.VPC_LINK)
                .connectionId(link.vpcLinkId())
                .integrationUri(link.listenerArn()));
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
    return AwsCalls.allPages(
            aws,
            "GetRoutes",
            "API " + apiId,
            token -> client.getRoutes(request -> request.apiId(apiId).nextToken(token)),
            GetRoutesResponse::items,
            GetRoutesResponse::nextToken)
        .stream()
        .filter(route -> routeKey.equals(route.routeKey()))
        .findFirst();
  }

  private List<software.amazon.awssdk.services.apigatewayv2.model.Integration> integrations() {
    return AwsCalls.allPages(
        aws,
        "GetIntegrations",
        "API " + apiId,
        token -> client.getIntegrations(request -> request.apiId(apiId).nextToken(token)),
        GetIntegrationsResponse::items,
        GetIntegrationsResponse::nextToken);
  }

  /**
   * How routes reach the load balancer: one of {@link Existing}, {@link VpcLink} or {@link
   * HttpProxy}.
   */
  public sealed interface Integration {}

  /**
   * Every route targets this existing integration (a VPC link to the listener, made by whoever set
   * up the API).
   *
   * @param integrationId the integration's id
   */
  public record Existing(String integrationId) implements Integration {
    public Existing {
      requireNonNull(integrationId, "integrationId");
    }
  }

  /**
   * Every route targets one HTTP_PROXY integration through this VPC link to the listener; it is
   * found, or created once.
   *
   * @param vpcLinkId the VPC link's id
   * @param listenerArn the listener it reaches
   */
  public record VpcLink(String vpcLinkId, String listenerArn) implements Integration {
    public VpcLink {
      requireNonNull(vpcLinkId, "vpcLinkId");
      requireNonNull(listenerArn, "listenerArn");
    }
  }

  /**
   * Each route gets its own HTTP_PROXY integration to {@code <url><endpoint>}, deleted with the
   * route.
   *
   * @param loadBalancerUrl an internet-facing load balancer's URL
   */
  public record HttpProxy(URI loadBalancerUrl) implements Integration {
    public HttpProxy {
      requireNonNull(loadBalancerUrl, "loadBalancerUrl");
    }
  }

  /** Builds an {@link ApiGatewayEndpoints}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ApiGatewayV2Client client;
    private @Nullable String apiId;
    private @Nullable Integration integration;

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

    /**
     * How routes reach the load balancer. Required, once: this or one of the three shortcuts below.
     *
     * @throws IllegalStateException if a way was already chosen
     */
    public Builder integration(Integration integration) {
      requireNonNull(integration, "integration");
      if (this.integration != null) {
        throw new IllegalStateException(
            "one way to reach the load balancer: " + this.integration + " was already chosen");
      }
      this.integration = integration;
      return this;
    }

    /** Routes target this existing integration: {@code integration(new Existing(id))}. */
    public Builder integration(String integrationId) {
      return integration(new Existing(integrationId));
    }

    /**
     * Routes target one integration through this VPC link: {@code integration(new VpcLink(...))}.
     */
    public Builder vpcLink(String vpcLinkId, String listenerArn) {
      return integration(new VpcLink(vpcLinkId, listenerArn));
    }

    /** Each route gets its own integration to this URL: {@code integration(new HttpProxy(url))}. */
    public Builder httpProxy(URI loadBalancerUrl) {
      return integration(new HttpProxy(loadBalancerUrl));
    }

    /**
     * Builds the provisioner; nothing is called yet.
     *
     * @throws IllegalStateException if the client, the API id or the integration is missing
     */
    public ApiGatewayEndpoints build() {
      return new ApiGatewayEndpoints(this);
    }
  }
}
