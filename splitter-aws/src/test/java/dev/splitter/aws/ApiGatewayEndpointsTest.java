package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.BackendException;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.Integration;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;

/** Each way to reach the load balancer, against moto_server's API Gateway v2. */
class ApiGatewayEndpointsTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private static final URI LOAD_BALANCER =
      URI.create("http://models-123.us-east-1.elb.amazonaws.com");
  private static final TrafficSplitter SPLITTER =
      TrafficSplitter.builder().name("traffic-splitter").target("my-api", 100).build();

  private final CallLog calls = new CallLog();
  private ApiGatewayV2Client client;
  private String apiId;

  @BeforeEach
  void setUp() {
    client = moto.apiGateway(calls);
    apiId =
        client.createApi(request -> request.name("cortex").protocolType(ProtocolType.HTTP)).apiId();
    calls.take();
  }

  private ApiGatewayEndpoints.Builder endpoints() {
    return ApiGatewayEndpoints.builder().client(client).apiId(apiId);
  }

  private java.util.List<Integration> integrations() {
    return client.getIntegrations(request -> request.apiId(apiId)).items();
  }

  private java.util.List<String> routes() {
    return client.getRoutes(request -> request.apiId(apiId)).items().stream()
        .map(route -> route.routeKey() + " -> " + route.target())
        .toList();
  }

  @Test
  void anHttpProxyRouteGetsItsOwnIntegrationAndTakesItAlong() {
    ApiGatewayEndpoints endpoints = endpoints().httpProxy(LOAD_BALANCER).build();

    endpoints.expose(SPLITTER);
    endpoints.expose(SPLITTER);

    assertThat(integrations())
        .singleElement()
        .extracting(Integration::integrationUri)
        .isEqualTo(LOAD_BALANCER + "/traffic-splitter");
    assertThat(routes())
        .containsExactly(
            "ANY /traffic-splitter -> integrations/" + integrations().get(0).integrationId());
    assertThat(calls.take().stream().filter(CallLog::writes))
        .containsExactly("CreateIntegration", "CreateRoute");

    endpoints.unexpose(SPLITTER);

    assertThat(routes()).isEmpty();
    assertThat(integrations()).isEmpty();
  }

  @Test
  void aRouteThatCannotBeMadeLeavesNoIntegrationBehind() {
    calls.before(
        (operation, count) -> {
          if (operation.equals("CreateRoute")) {
            throw SdkClientException.create("connection reset");
          }
        });
    ApiGatewayEndpoints endpoints = endpoints().httpProxy(LOAD_BALANCER).build();

    assertThatThrownBy(() -> endpoints.expose(SPLITTER))
        .isInstanceOfSatisfying(
            BackendException.class, e -> assertThat(e.operation()).isEqualTo("CreateRoute"));

    calls.before((operation, count) -> {});
    assertThat(integrations()).isEmpty();
    assertThat(routes()).isEmpty();
  }

  @Test
  void aGivenIntegrationIsSharedAndKept() {
    String given =
        client
            .createIntegration(
                request ->
                    request
                        .apiId(apiId)
                        .integrationType("HTTP_PROXY")
                        .integrationMethod("ANY")
                        .integrationUri(LOAD_BALANCER.toString())
                        .payloadFormatVersion("1.0"))
            .integrationId();
    ApiGatewayEndpoints endpoints = endpoints().integration(given).build();
    TrafficSplitter other = SPLITTER.toBuilder().name("other").endpoint("/other").build();

    endpoints.expose(SPLITTER);
    endpoints.expose(other);
    endpoints.unexpose(SPLITTER);

    assertThat(routes()).containsExactly("ANY /other -> integrations/" + given);
    assertThat(integrations()).extracting(Integration::integrationId).containsExactly(given);
  }

  @Test
  void aVpcLinkIntegrationIsMadeOnceAndFoundAgainByANewInstance() {
    String vpcLink =
        client.createVpcLink(request -> request.name("cortex").subnetIds("subnet-1")).vpcLinkId();
    String listener = "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/models/1/2";

    endpoints().vpcLink(vpcLink, listener).build().expose(SPLITTER);
    endpoints()
        .vpcLink(vpcLink, listener)
        .build()
        .expose(SPLITTER.toBuilder().name("other").endpoint("/other").build());

    assertThat(integrations())
        .singleElement()
        .satisfies(
            integration -> {
              assertThat(integration.connectionId()).isEqualTo(vpcLink);
              assertThat(integration.integrationUri()).isEqualTo(listener);
            });
    assertThat(routes()).hasSize(2);
  }

  @Test
  void theUrlIsTheApisEndpointPlusTheSplitters() {
    String apiEndpoint = client.getApi(request -> request.apiId(apiId)).apiEndpoint();
    ApiGatewayEndpoints endpoints = endpoints().httpProxy(LOAD_BALANCER).build();

    assertThat(endpoints.url(SPLITTER)).contains(URI.create(apiEndpoint + "/traffic-splitter"));
    assertThat(endpoints.url(SPLITTER.toBuilder().apiGateway(ApiGateway.NONE).build())).isEmpty();
  }

  @Test
  void anAwsErrorCarriesTheOperationAndRequestId() {
    ApiGatewayEndpoints missing =
        ApiGatewayEndpoints.builder().client(client).apiId("nope").httpProxy(LOAD_BALANCER).build();

    assertThatThrownBy(() -> missing.expose(SPLITTER))
        .isInstanceOfSatisfying(
            BackendException.class,
            e -> {
              assertThat(e.backend()).isEqualTo("apigateway");
              assertThat(e.operation()).isEqualTo("GetRoutes");
              assertThat(e.requestId()).isPresent();
              assertThat(e.retryable()).isFalse();
            })
        .hasMessageContaining("NotFoundException");
  }

  @Test
  void exactlyOneWayToTheLoadBalancerMustBeChosen() {
    assertThatThrownBy(() -> endpoints().build()).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> endpoints().integration("a").httpProxy(LOAD_BALANCER).build())
        .isInstanceOf(IllegalStateException.class);
  }
}
