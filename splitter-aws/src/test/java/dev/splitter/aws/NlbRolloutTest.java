package dev.splitter.aws;

import dev.splitter.core.Deployer;
import dev.splitter.rollout.RolloutContract;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.RoutingBackend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;

/**
 * Rollouts on NLB against moto_server, the contract ALB passes: the state is a tag on the
 * splitter's listener.
 */
class NlbRolloutTest extends RolloutContract {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private AwsWorld aws;
  private String nlb;

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(), moto.apiGateway());
    nlb = aws.networkLoadBalancer();
    aws.tcpApi("my-api");
    aws.tcpApi("another-my-api");
  }

  @Override
  protected RoutingBackend routing() {
    return NlbRouting.builder()
        .client(aws.elb)
        .loadBalancerArn(nlb)
        .clock(clock)
        .guardSettle(Duration.ofMillis(50))
        .build();
  }

  @Override
  protected Deployer.Builder deployerOn(RoutingBackend routing) {
    return Deployer.builder()
        .routing(routing)
        .catalog(AlbTargetCatalog.builder().client(aws.elb).build());
  }

  @Override
  protected Map<String, String> storedOnObject(String splitter) {
    return Annotations.readFrom(
        aws.tags(
            aws.elb.describeListeners(request -> request.loadBalancerArn(nlb)).listeners().stream()
                .map(Listener::listenerArn)
                .toList()));
  }
}
