package dev.splitter.aws;

import dev.splitter.core.Deployer;
import dev.splitter.rollout.RolloutContract;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.RoutingBackend;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Rule;

/** Rollouts on ALB against moto_server: the state is a tag on the splitter's listener rule. */
class AlbRolloutTest extends RolloutContract {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private AwsWorld aws;

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(), moto.apiGateway());
    aws.realtimeApi("my-api");
    aws.realtimeApi("another-my-api");
  }

  @Override
  protected RoutingBackend routing() {
    return AlbRouting.builder()
        .client(aws.elb)
        .listenerArn(aws.listenerArn)
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
    return Annotations.readFrom(aws.tags(aws.rules().stream().map(Rule::ruleArn).toList()));
  }
}
