package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.Deployer;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.Change;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroupStickinessConfig;

/**
 * ALB's native sticky assignment, target group stickiness on the forward action, on moto: what is
 * written, read back, planned and shown.
 */
class AlbStickinessTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private AwsWorld aws;

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(new CallLog()), moto.apiGateway(new CallLog()));
    aws.realtimeApi("my-api");
    aws.realtimeApi("my-api-v2");
  }

  private Deployer deployer(@Nullable Duration stickiness) {
    AlbRouting.Builder routing =
        AlbRouting.builder().client(aws.elb).listenerArn(aws.listenerArn).pinning(false);
    if (stickiness != null) {
      routing.stickiness(stickiness);
    }
    return Deployer.builder()
        .routing(routing.build())
        .catalog(AlbTargetCatalog.builder().client(aws.elb).build())
        .build();
  }

  private static SplitterConfig split(int stable) {
    return SplitterConfig.of(
        TrafficSplitter.builder()
            .name("ab")
            .apiGateway(dev.splitter.model.ApiGateway.NONE)
            .target("my-api", stable)
            .target("my-api-v2", 100 - stable)
            .build());
  }

  private TargetGroupStickinessConfig written() {
    return aws.rules().get(0).actions().get(0).forwardConfig().targetGroupStickinessConfig();
  }

  @Test
  void theForwardActionHoldsClientsByCookieForTheDurationGiven() {
    Deployer sticky = deployer(Duration.ofHours(1));
    assertThat(sticky.plan(split(90)).toString())
        .contains("assignment: by cookie: the load balancer's stickiness cookie, for 3600 s");

    sticky.deploy(split(90));

    assertThat(written().enabled()).isTrue();
    assertThat(written().durationSeconds()).isEqualTo(3600);
    assertThat(sticky.describe("ab").assignmentMode())
        .isEqualTo(AssignmentMode.byCookie(Duration.ofHours(1)));
    assertThat(sticky.describe("ab").assignment()).isNull(); // ALB keeps no buckets
    assertThat(sticky.get("ab").toTable())
        .contains("assignment: by cookie")
        .doesNotContain("buckets:");
    assertThat(sticky.deploy(split(90)).outcomes().get(0).change()).isEqualTo(Change.UNCHANGED);
    sticky.deploy(split(50));
    assertThat(written().enabled()).isTrue();
  }

  @Test
  void turningStickinessOffOrChangingItsDurationIsAPlannedUpdate() {
    deployer(Duration.ofHours(1)).deploy(split(90));

    Deployer longer = deployer(Duration.ofDays(1));
    assertThat(longer.plan(split(90)).toString()).contains("for 3600 s").contains("-> by cookie");
    assertThat(longer.deploy(split(90)).outcomes().get(0).change()).isEqualTo(Change.UPDATED);
    assertThat(written().durationSeconds()).isEqualTo(86_400);

    Deployer random = deployer(null);
    assertThat(random.deploy(split(90)).outcomes().get(0).change()).isEqualTo(Change.UPDATED);
    assertThat(written().enabled()).isFalse();
    assertThat(random.describe("ab").assignmentMode()).isEqualTo(AssignmentMode.RANDOM);
  }

  @Test
  void aDurationOutsideAlbsRangeIsRefused() {
    for (Duration wrong :
        new Duration[] {Duration.ZERO, Duration.ofDays(8), Duration.ofMillis(500)}) {
      assertThatThrownBy(() -> AlbRouting.builder().stickiness(wrong))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("1 s to 7 days");
    }
  }
}
