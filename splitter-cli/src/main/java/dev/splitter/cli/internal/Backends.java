package dev.splitter.cli.internal;

import dev.splitter.aws.AlbRouting;
import dev.splitter.aws.AlbTargetCatalog;
import dev.splitter.aws.ApiGatewayEndpoints;
import dev.splitter.aws.CloudWatchMetrics;
import dev.splitter.aws.NlbRouting;
import dev.splitter.aws.TargetGroupResolver;
import dev.splitter.core.Deployer;
import dev.splitter.k8s.GatewayApiRouting;
import dev.splitter.k8s.IstioRouting;
import dev.splitter.k8s.KubernetesApiCatalog;
import dev.splitter.k8s.PrometheusMetrics;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Opens the {@link Backend} an environment names, with clients built from the standard chains. */
@API(status = API.Status.INTERNAL)
public final class Backends {
  private Backends() {}

  /**
   * Where commands act for this environment: a serve's admin endpoint or a Deployer of its own.
   *
   * @param home where a running serve leaves its address and token (local backend)
   */
  public static Backend open(Environment environment, Path home, Clock clock) {
    return switch (environment.backend()) {
      case "local" -> ServeClient.connect(home);
      case "istio" -> kubernetes(environment, clock, true);
      case "gateway-api" -> kubernetes(environment, clock, false);
      case "alb" -> alb(environment, clock);
      case "nlb" -> nlb(environment, clock);
      default -> throw new CliException("unknown backend " + environment.backend());
    };
  }

  private static Backend kubernetes(Environment environment, Clock clock, boolean istio) {
    Config config = Config.autoConfigure(environment.context());
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    String namespace =
        environment.namespace() != null
            ? environment.namespace()
            : config.getNamespace() != null ? config.getNamespace() : "default";
    List<String> gateways = environment.gateways() == null ? List.of() : environment.gateways();
    Deployer.Builder deployer =
        Deployer.builder()
            .catalog(KubernetesApiCatalog.builder().client(client).namespace(namespace).build());
    if (istio) {
      IstioRouting.Builder routing = IstioRouting.builder().client(client).namespace(namespace);
      if (!gateways.isEmpty()) {
        routing.gateways(gateways.toArray(String[]::new));
      }
      bucketHeader(environment, routing::bucketHeader);
      deployer.routing(routing.build());
    } else {
      List<String> meshServices =
          environment.meshServices() == null ? List.of() : environment.meshServices();
      if (gateways.isEmpty() && meshServices.isEmpty()) {
        throw new CliException(
            "a gateway-api environment needs gateways: [name or namespace/name], or on a service"
                + " mesh, mesh_services: [name or namespace/name]");
      }
      GatewayApiRouting.Builder routing =
          GatewayApiRouting.builder().client(client).namespace(namespace);
      for (String gateway : gateways) {
        if (gateway.contains("/")) {
          routing.gateway(namespaceOf(gateway, namespace), nameOf(gateway));
        } else {
          routing.gateway(gateway); // in the routes' own namespace
        }
      }
      meshServices.forEach(
          service -> routing.meshService(namespaceOf(service, namespace), nameOf(service)));
      bucketHeader(environment, routing::bucketHeader);
      deployer.routing(routing.build());
    }
    String prometheus = environment.prometheusUrl();
    if (prometheus != null) {
      deployer.metrics(
          PrometheusMetrics.builder().url(URI.create(prometheus)).namespace(namespace).build());
    }
    return new InProcessBackend(deployer.build(), client, clock);
  }

  /** Gives the environment's bucket header, if it has one, to the routing builder. */
  private static void bucketHeader(Environment environment, Consumer<String> routing) {
    if (environment.bucketHeader() != null) {
      try {
        routing.accept(environment.bucketHeader());
      } catch (IllegalArgumentException e) {
        throw new CliException("bucket_header: " + e.getMessage());
      }
    }
  }

  /** {@code namespace} of {@code namespace/name}; the environment's for a bare name. */
  private static String namespaceOf(String reference, String namespace) {
    int slash = reference.indexOf('/');
    return slash < 0 ? namespace : reference.substring(0, slash);
  }

  private static String nameOf(String reference) {
    return reference.substring(reference.indexOf('/') + 1);
  }

  private static Backend alb(Environment environment, Clock clock) {
    String listener = require(environment.listenerArn(), "listener_arn", "alb");
    List<AutoCloseable> clients = new ArrayList<>();
    ElasticLoadBalancingV2Client elb = aws(ElasticLoadBalancingV2Client.builder(), environment);
    clients.add(elb);
    TargetGroupResolver targetGroups = TargetGroupResolver.byTag(elb);
    AlbRouting.Builder routing =
        AlbRouting.builder().client(elb).listenerArn(listener).targetGroups(targetGroups);
    if (environment.stickiness() != null) {
      try {
        routing.stickiness(Durations.parse(environment.stickiness()));
      } catch (IllegalArgumentException | CommandLine.TypeConversionException e) {
        throw new CliException("stickiness: " + e.getMessage());
      }
    }
    Deployer.Builder deployer =
        Deployer.builder()
            .routing(routing.build())
            .catalog(AlbTargetCatalog.builder().client(elb).targetGroups(targetGroups).build());
    if (environment.apiGatewayId() != null) {
      ApiGatewayV2Client apiGateway = aws(ApiGatewayV2Client.builder(), environment);
      clients.add(apiGateway);
      ApiGatewayEndpoints.Builder endpoints =
          ApiGatewayEndpoints.builder().client(apiGateway).apiId(environment.apiGatewayId());
      if (environment.vpcLinkId() != null) {
        endpoints.vpcLink(environment.vpcLinkId(), listener);
      }
      if (environment.integrationId() != null) {
        endpoints.integration(environment.integrationId());
      }
      if (environment.httpProxyUrl() != null) {
        endpoints.httpProxy(URI.create(environment.httpProxyUrl()));
      }
      try {
        deployer.endpoints(endpoints.build());
      } catch (IllegalStateException e) {
        throw new CliException(
            "with api_gateway_id, set exactly one of vpc_link_id, integration_id, http_proxy_url");
      }
    }
    if (environment.loadBalancerArn() != null) {
      CloudWatchClient cloudWatch = aws(CloudWatchClient.builder(), environment);
      clients.add(cloudWatch);
      deployer.metrics(
          CloudWatchMetrics.builder()
              .client(cloudWatch)
              .loadBalancerArn(environment.loadBalancerArn())
              .targetGroups(targetGroups)
              .build());
    }
    AutoCloseable closeAll =
        () -> {
          for (AutoCloseable client : clients) {
            client.close();
          }
        };
    return new InProcessBackend(deployer.build(), closeAll, clock);
  }

  /**
   * NLB: a listener per splitter on {@code load_balancer_arn}, at a port of {@code ports}; get's
   * endpoint is {@code tcp://DNS:PORT}. No API Gateway (a splitter needs {@code api_gateway: none})
   * and no CloudWatch metrics yet.
   */
  private static Backend nlb(Environment environment, Clock clock) {
    String loadBalancer = require(environment.loadBalancerArn(), "load_balancer_arn", "nlb");
    ElasticLoadBalancingV2Client elb = aws(ElasticLoadBalancingV2Client.builder(), environment);
    TargetGroupResolver targetGroups = TargetGroupResolver.byTag(elb);
    NlbRouting.Builder routing =
        NlbRouting.builder().client(elb).loadBalancerArn(loadBalancer).targetGroups(targetGroups);
    if (environment.ports() != null) {
      String[] range = environment.ports().split("-", 2);
      try {
        routing.ports(Integer.parseInt(range[0].trim()), Integer.parseInt(range[1].trim()));
      } catch (RuntimeException e) {
        throw new CliException(
            "ports: give a range such as 10000-10999, got " + environment.ports());
      }
    }
    NlbRouting nlb = routing.build();
    Deployer deployer =
        Deployer.builder()
            .routing(nlb)
            .endpoints(nlb.endpoints())
            .catalog(AlbTargetCatalog.builder().client(elb).targetGroups(targetGroups).build())
            .build();
    return new InProcessBackend(deployer, elb::close, clock);
  }

  /** A client on the default credential chain, the JDK's HTTP client, and the given overrides. */
  private static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C aws(
      B builder, Environment environment) {
    builder.httpClientBuilder(UrlConnectionHttpClient.builder());
    if (environment.region() != null) {
      builder.region(Region.of(environment.region()));
    }
    if (environment.endpointOverride() != null) {
      builder.endpointOverride(URI.create(environment.endpointOverride()));
    }
    return builder.build();
  }

  private static String require(@Nullable String value, String key, String backend) {
    if (value == null) {
      throw new CliException("an " + backend + " environment needs " + key);
    }
    return value;
  }
}
