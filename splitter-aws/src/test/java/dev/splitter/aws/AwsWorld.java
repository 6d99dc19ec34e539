package dev.splitter.aws;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awssdk.services.apigatewayv2.ApiGatewayV2Client;
import software.amazon.awssdk.services.apigatewayv2.model.CreateApiResponse;
import software.amazon.awssdk.services.apigatewayv2.model.ProtocolType;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.InstanceType;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ActionTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerSchemeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancerTypeEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.ProtocolEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/**
 * What a Cortex cluster on AWS had, made in moto: a VPC with two subnets, an internal ALB with an
 * HTTP listener, one tagged target group per Realtime API with an EC2 instance registered, an HTTP
 * API and a VPC link.
 */
public final class AwsWorld {
  public final ElasticLoadBalancingV2Client elb;
  public final ApiGatewayV2Client apiGateway;
  public final Ec2Client ec2;
  public final String vpcId;
  public final List<String> subnets = new ArrayList<>();
  public final String loadBalancerArn;
  public final String listenerArn;
  public final String apiId;
  public final String apiEndpoint;
  public final String vpcLinkId;
  public final Map<String, String> targetGroups = new HashMap<>();
  public final Map<String, String> instances = new HashMap<>();
  private final String imageId;

  public AwsWorld(
      MotoServer moto, ElasticLoadBalancingV2Client elb, ApiGatewayV2Client apiGateway) {
    this.elb = elb;
    this.apiGateway = apiGateway;
    this.ec2 = moto.ec2();
    vpcId = ec2.createVpc(request -> request.cidrBlock("10.0.0.0/16")).vpc().vpcId();
    for (String zone : List.of("us-east-1a", "us-east-1b")) {
      String cidr = "10.0." + subnets.size() + ".0/24";
      subnets.add(
          ec2.createSubnet(request -> request.vpcId(vpcId).cidrBlock(cidr).availabilityZone(zone))
              .subnet()
              .subnetId());
    }
    imageId = ec2.describeImages(request -> {}).images().get(0).imageId();
    loadBalancerArn =
        elb.createLoadBalancer(
                request ->
                    request
                        .name("models")
                        .subnets(subnets)
                        .scheme(LoadBalancerSchemeEnum.INTERNAL)
                        .type(LoadBalancerTypeEnum.APPLICATION))
            .loadBalancers()
            .get(0)
            .loadBalancerArn();
    listenerArn =
        elb.createListener(
                request ->
                    request
                        .loadBalancerArn(loadBalancerArn)
                        .protocol(ProtocolEnum.HTTP)
                        .port(80)
                        .defaultActions(
                            action ->
                                action
                                    .type(ActionTypeEnum.FIXED_RESPONSE)
                                    .fixedResponseConfig(response -> response.statusCode("404"))))
            .listeners()
            .get(0)
            .listenerArn();
    CreateApiResponse api =
        apiGateway.createApi(request -> request.name("cortex").protocolType(ProtocolType.HTTP));
    apiId = api.apiId();
    apiEndpoint = api.apiEndpoint();
    vpcLinkId =
        apiGateway.createVpcLink(request -> request.name("cortex").subnetIds(subnets)).vpcLinkId();
  }

  /** A Realtime API: a target group tagged with its name, one running instance registered. */
  public String realtimeApi(String name) {
    return targetGroup(name, "tg-", ProtocolEnum.HTTP);
  }

  /** An internal Network Load Balancer in the VPC, with no listener; its ARN. */
  public String networkLoadBalancer() {
    return elb.createLoadBalancer(
            request ->
                request
                    .name("models-nlb")
                    .subnets(subnets)
                    .scheme(LoadBalancerSchemeEnum.INTERNAL)
                    .type(LoadBalancerTypeEnum.NETWORK))
        .loadBalancers()
        .get(0)
        .loadBalancerArn();
  }

  /** A Realtime API behind an NLB: a TCP target group tagged with its name, an instance in it. */
  public String tcpApi(String name) {
    return targetGroup(name, "tcp-", ProtocolEnum.TCP);
  }

  /** The tags of these ELB resources (rules, listeners, ...), all in one map. */
  public Map<String, String> tags(Collection<String> arns) {
    Map<String, String> tags = new TreeMap<>();
    for (String arn : arns) {
      elb.describeTags(request -> request.resourceArns(arn)).tagDescriptions().stream()
          .flatMap(description -> description.tags().stream())
          .forEach(tag -> tags.put(tag.key(), tag.value()));
    }
    return tags;
  }

  private String targetGroup(String name, String prefix, ProtocolEnum protocol) {
    String arn =
        elb.createTargetGroup(
                request -> request.name(prefix + name).protocol(protocol).port(8888).vpcId(vpcId))
            .targetGroups()
            .get(0)
            .targetGroupArn();
    register(name, arn);
    return arn;
  }

  private void register(String name, String arn) {
    elb.addTags(
        request ->
            request
                .resourceArns(arn)
                .tags(tag -> tag.key(TargetGroupResolver.API_TAG).value(name)));
    String instance =
        ec2.runInstances(
                request ->
                    request
                        .imageId(imageId)
                        .instanceType(InstanceType.T3_MICRO)
                        .minCount(1)
                        .maxCount(1)
                        .subnetId(subnets.get(0)))
            .instances()
            .get(0)
            .instanceId();
    elb.registerTargets(request -> request.targetGroupArn(arn).targets(t -> t.id(instance)));
    targetGroups.put(name, arn);
    instances.put(name, instance);
  }

  /** Stops the API's instance: moto then reports its target unhealthy. */
  public void stop(String api) {
    ec2.stopInstances(request -> request.instanceIds(instances.get(api)));
  }

  /** The listener's rules but the default, in priority order. */
  public List<Rule> rules() {
    return elb.describeRules(request -> request.listenerArn(listenerArn)).rules().stream()
        .filter(rule -> !rule.isDefault())
        .sorted(java.util.Comparator.comparingInt(rule -> Integer.parseInt(rule.priority())))
        .toList();
  }

  /** A rule made by hand, not by splitter. */
  public String userRule(int priority, String path) {
    return elb.createRule(
            request ->
                request
                    .listenerArn(listenerArn)
                    .priority(priority)
                    .conditions(c -> c.field("path-pattern").pathPatternConfig(p -> p.values(path)))
                    .actions(
                        a ->
                            a.type(ActionTypeEnum.FIXED_RESPONSE)
                                .fixedResponseConfig(r -> r.statusCode("418"))))
        .rules()
        .get(0)
        .ruleArn();
  }

  /** The API Gateway route keys, sorted. */
  public List<String> routeKeys() {
    return apiGateway.getRoutes(request -> request.apiId(apiId)).items().stream()
        .map(route -> route.routeKey())
        .sorted()
        .toList();
  }
}
