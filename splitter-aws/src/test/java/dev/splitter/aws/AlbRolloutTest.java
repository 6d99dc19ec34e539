package dev.splitter.aws;

import dev.splitter.core.Deployer;
import dev.splitter.rollout.RolloutContract;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.MetricsSource;
import java.util.Map;
import java.util.TreeMap;
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
  protected Deployer deployer(MetricsSource source) {
    return Deployer.builder()
        .routing(
            AlbRouting.builder().client(aws.elb).listenerArn(aws.listenerArn).clock(clock).build())
        .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
        .metrics(source)
        .build();
  }

  @Override
  protected Map<String, String> storedOnObject(String splitter) {
    Map<String, String> tags = new TreeMap<>();
    for (Rule rule : aws.rules()) {
      aws
          .elb
          .describeTags(request -> request.resourceArns(rule.ruleArn()))
          .tagDescriptions()
          .stream()
          .flatMap(description -> description.tags().stream())
          .forEach(tag -> tags.put(tag.key(), tag.value()));
    }
    return Annotations.readFrom(tags);
  }
}
