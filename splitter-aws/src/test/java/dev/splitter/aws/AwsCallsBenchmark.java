package dev.splitter.aws;

import dev.splitter.core.Deployer;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Not a test: counts the AWS calls of a deploy that creates, one that updates and one that changes
 * nothing, for files of 1 and 10 public splitters on ALB and of 1 and 10 splitters on NLB (a
 * listener each, no API Gateway), against moto_server. Run by {@code benchmarks/aws-calls.sh};
 * figures in docs/benchmarks.md.
 */
public final class AwsCallsBenchmark {
  private AwsCallsBenchmark() {}

  public static void main(String[] args) throws Exception {
    MotoServer moto = new MotoServer();
    moto.beforeAll(null);
    try {
      for (int splitters : List.of(1, 10)) {
        moto.beforeEach(null);
        CallLog calls = new CallLog();
        AwsWorld aws = new AwsWorld(moto, moto.elb(calls), moto.apiGateway(calls));
        aws.realtimeApi("my-api");
        aws.realtimeApi("another-my-api");
        Deployer deployer =
            Deployer.builder()
                .routing(AlbRouting.builder().client(aws.elb).listenerArn(aws.listenerArn).build())
                .endpoints(
                    ApiGatewayEndpoints.builder()
                        .client(aws.apiGateway)
                        .apiId(aws.apiId)
                        .vpcLink(aws.vpcLinkId, aws.listenerArn)
                        .build())
                .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
                .build();
        calls.take();
        System.out.println("ALB + API Gateway:");
        report("create", splitters, calls, () -> deployer.deploy(file(splitters, 20, true)));
        report("update", splitters, calls, () -> deployer.deploy(file(splitters, 30, true)));
        report("no change", splitters, calls, () -> deployer.deploy(file(splitters, 30, true)));
      }
      for (int splitters : List.of(1, 10)) {
        moto.beforeEach(null);
        CallLog calls = new CallLog();
        AwsWorld aws = new AwsWorld(moto, moto.elb(calls), moto.apiGateway(calls));
        NlbRouting nlb =
            NlbRouting.builder().client(aws.elb).loadBalancerArn(aws.networkLoadBalancer()).build();
        aws.tcpApi("my-api");
        aws.tcpApi("another-my-api");
        Deployer deployer =
            Deployer.builder()
                .routing(nlb)
                .endpoints(nlb.endpoints())
                .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
                .build();
        calls.take();
        System.out.println("NLB:");
        report("create", splitters, calls, () -> deployer.deploy(file(splitters, 20, false)));
        report("update", splitters, calls, () -> deployer.deploy(file(splitters, 30, false)));
        report("no change", splitters, calls, () -> deployer.deploy(file(splitters, 30, false)));
      }
    } finally {
      moto.afterAll(null);
    }
  }

  private static void report(String label, int splitters, CallLog calls, Runnable deploy) {
    deploy.run();
    List<String> operations = calls.take();
    Map<String, Integer> byOperation = new TreeMap<>();
    operations.forEach(operation -> byOperation.merge(operation, 1, Integer::sum));
    long writes = operations.stream().filter(CallLog::writes).count();
    System.out.printf(
        "%-9s %2d splitter(s): %3d calls (%d writes)  %s%n",
        label, splitters, operations.size(), writes, byOperation);
  }

  private static SplitterConfig file(int splitters, int myApiWeight, boolean publicEndpoints) {
    List<TrafficSplitter> resources = new ArrayList<>();
    for (int i = 0; i < splitters; i++) {
      resources.add(
          TrafficSplitter.builder()
              .name("splitter-" + i)
              .apiGateway(publicEndpoints ? ApiGateway.PUBLIC : ApiGateway.NONE)
              .target("my-api", myApiWeight)
              .target("another-my-api", 100 - myApiWeight)
              .build());
    }
    return SplitterConfig.of(resources);
  }
}
