package example;

import dev.splitter.aws.AlbRouting;
import dev.splitter.aws.AlbTargetCatalog;
import dev.splitter.aws.ApiGatewayEndpoints;
import dev.splitter.aws.CloudWatchMetrics;
import dev.splitter.aws.TargetGroupResolver;
import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import dev.splitter.validation.SplitterValidator;
import java.util.Set;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** splitter-aws: every backend built from AWS SDK clients made with the SDK's defaults. */
public final class AwsUse {
  private static final String LISTENER =
      "arn:aws:elasticloadbalancing:us-east-1:123456789012:listener/app/models/50dc6c495c0c9188/f2f7dc8efc522ab2";

  public static void main(String[] args) throws Exception {
    Quiet.check(AwsUse::run);
  }

  static void run() {
    ValidationUse.run();
    try (ElasticLoadBalancingV2Client elb =
            ElasticLoadBalancingV2Client.builder().region(Region.US_EAST_1).build();
        ApiGatewayV2Client apiGateway = ApiGatewayV2Client.builder().region(Region.US_EAST_1).build();
        CloudWatchClient cloudWatch = CloudWatchClient.builder().region(Region.US_EAST_1).build()) {
      AlbRouting routing = AlbRouting.builder().client(elb).listenerArn(LISTENER).build();
      Deployer deployer =
          Deployer.builder()
              .routing(routing)
              .endpoints(
                  ApiGatewayEndpoints.builder().client(apiGateway).apiId("a1b2c3d4e5").integration("abc123").build())
              .catalog(AlbTargetCatalog.builder().client(elb).build())
              .metrics(
                  CloudWatchMetrics.builder()
                      .client(cloudWatch)
                      .loadBalancerArn(LISTENER.replace(":listener/", ":loadbalancer/"))
                      .targetGroups(TargetGroupResolver.byTag(elb))
                      .build())
              .build();
      // What ALB cannot hold fails before any call: a shadow.
      SplitterConfig shadow =
          SplitterConfig.parse(
              Files.SPLITTER_ONLY + "    - {name: my-api-v2, weight: 10, shadow: true}\n", "shadow.yaml");
      boolean refused =
          !routing.capabilities().check(shadow.trafficSplitters().get(0)).isEmpty();
      if (!refused || deployer == null) {
        throw new AssertionError("ALB took a shadow");
      }
      System.out.println("aws: backends built from default clients; a shadow is refused offline");
    }
  }
}
