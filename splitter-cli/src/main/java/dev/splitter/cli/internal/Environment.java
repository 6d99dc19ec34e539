package dev.splitter.cli.internal;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One named environment of {@code ~/.splitter/environments.yaml}: a backend and its settings.
 * Credentials are never here; they come from the standard providers (kubeconfig, the AWS chain).
 *
 * @param backend {@code local}, {@code istio}, {@code gateway-api}, {@code alb} or {@code nlb}
 * @param context the kubeconfig context (Kubernetes backends; default: the current one)
 * @param namespace the namespace (Kubernetes backends; default: the context's)
 * @param gateways Istio gateways (default {@code apis-gateway}); for the Gateway API, Gateways as
 *     {@code name} or {@code namespace/name} (this or {@code mesh_services})
 * @param meshServices for the Gateway API on a service mesh (GAMMA): the Services whose in-mesh
 *     traffic is split, as {@code name} or {@code namespace/name}
 * @param prometheusUrl Prometheus with the mesh's metrics, for avg request, 2XX and 5XX in {@code
 *     get} (Kubernetes backends; optional)
 * @param region the AWS region (default: the SDK's chain)
 * @param listenerArn the ALB listener whose rules route the splitters
 * @param loadBalancerArn the ALB, for CloudWatch metrics in {@code get} (optional); the NLB whose
 *     listeners route the splitters (required for {@code nlb})
 * @param apiGatewayId the API Gateway v2 HTTP API for public endpoints (optional)
 * @param vpcLinkId with {@code api_gateway_id}: route through this VPC link to the listener
 * @param integrationId with {@code api_gateway_id}: route to this existing integration
 * @param httpProxyUrl with {@code api_gateway_id}: route to this internet-facing load balancer
 * @param endpointOverride an AWS endpoint to call instead of AWS's (a moto server, LocalStack)
 * @param bucketHeader Kubernetes backends: keep keyed users on one target by the bucket callers put
 *     in this header (optional; see {@code IstioRouting.Builder.bucketHeader})
 * @param stickiness ALB: hold clients on a target group by ALB's cookie for this long, as {@code
 *     1h} or {@code 30m} (optional)
 * @param ports NLB: the ports new listeners may take, as {@code 10000-10999} (the default)
 */
@API(status = API.Status.INTERNAL)
public record Environment(
    String backend,
    @Nullable String context,
    @Nullable String namespace,
    @Nullable List<String> gateways,
    @JsonProperty("mesh_services") @Nullable List<String> meshServices,
    @JsonProperty("prometheus_url") @Nullable String prometheusUrl,
    @Nullable String region,
    @JsonProperty("listener_arn") @Nullable String listenerArn,
    @JsonProperty("load_balancer_arn") @Nullable String loadBalancerArn,
    @JsonProperty("api_gateway_id") @Nullable String apiGatewayId,
    @JsonProperty("vpc_link_id") @Nullable String vpcLinkId,
    @JsonProperty("integration_id") @Nullable String integrationId,
    @JsonProperty("http_proxy_url") @Nullable String httpProxyUrl,
    @JsonProperty("endpoint_override") @Nullable String endpointOverride,
    @JsonProperty("bucket_header") @Nullable String bucketHeader,
    @Nullable String stickiness,
    @Nullable String ports) {

  /** The environment used without {@code --env}: the local gateway of a running serve. */
  public static final Environment LOCAL =
      new Environment(
          "local", null, null, null, null, null, null, null, null, null, null, null, null, null,
          null, null, null);
}
