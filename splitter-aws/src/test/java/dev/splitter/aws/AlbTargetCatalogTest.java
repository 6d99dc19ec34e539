package dev.splitter.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.DescribeTargetHealthResponse;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthReasonEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * Target health as AWS reports it. moto reports every running instance healthy and a stopped one
 * unused; the other states are injected into moto's real answer by an interceptor.
 */
class AlbTargetCatalogTest {
  @RegisterExtension static final MotoServer moto = new MotoServer();

  private final HealthOverride health = new HealthOverride();
  private AwsWorld aws;
  private AlbTargetCatalog catalog;

  /** Replaces the states in DescribeTargetHealth answers, when given some. */
  static final class HealthOverride implements ExecutionInterceptor {
    volatile List<TargetHealthDescription> targets;

    @Override
    public SdkResponse modifyResponse(
        Context.ModifyResponse context, ExecutionAttributes attributes) {
      if (targets != null && context.response() instanceof DescribeTargetHealthResponse) {
        return DescribeTargetHealthResponse.builder().targetHealthDescriptions(targets).build();
      }
      return context.response();
    }
  }

  private static TargetHealthDescription target(
      TargetHealthStateEnum state, TargetHealthReasonEnum reason) {
    return TargetHealthDescription.builder()
        .target(t -> t.id("i-0123456789abcdef0"))
        .targetHealth(h -> h.state(state).reason(reason))
        .build();
  }

  @BeforeEach
  void setUp() {
    aws = new AwsWorld(moto, moto.elb(health), moto.apiGateway());
    aws.realtimeApi("my-api");
    catalog = AlbTargetCatalog.builder().client(aws.elb).build();
  }

  @Test
  void aRunningInstanceIsLiveAndAStoppedOneAnError() {
    assertThat(catalog.status("my-api")).isEqualTo(new ApiStatus(ApiState.LIVE, 1, null));

    aws.stop("my-api");

    assertThat(catalog.status("my-api").state()).isEqualTo(ApiState.ERROR);
  }

  @Test
  void aGroupInNoRuleYetOrStillRegisteringIsUpdating() {
    health.targets =
        List.of(
            target(TargetHealthStateEnum.UNUSED, TargetHealthReasonEnum.TARGET_NOT_IN_USE),
            target(
                TargetHealthStateEnum.INITIAL,
                TargetHealthReasonEnum.ELB_REGISTRATION_IN_PROGRESS));

    assertThat(catalog.status("my-api")).isEqualTo(new ApiStatus(ApiState.UPDATING, 2, null));
  }

  @Test
  void oneHealthyTargetIsEnoughToBeLive() {
    health.targets =
        List.of(
            target(
                TargetHealthStateEnum.UNHEALTHY,
                TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS),
            target(TargetHealthStateEnum.HEALTHY, null));

    assertThat(catalog.status("my-api").state()).isEqualTo(ApiState.LIVE);
  }

  @Test
  void noHealthyTargetOrNoTargetAtAllIsAnError() {
    health.targets =
        List.of(
            target(
                TargetHealthStateEnum.UNHEALTHY,
                TargetHealthReasonEnum.TARGET_FAILED_HEALTH_CHECKS),
            target(
                TargetHealthStateEnum.DRAINING,
                TargetHealthReasonEnum.TARGET_DEREGISTRATION_IN_PROGRESS));
    assertThat(catalog.status("my-api").state()).isEqualTo(ApiState.ERROR);

    health.targets = List.of();
    assertThat(catalog.status("my-api")).isEqualTo(new ApiStatus(ApiState.ERROR, 0, null));
  }

  @Test
  void anApiWithoutATargetGroupIsNotDeployed() {
    assertThat(catalog.exists("ghost")).isFalse();
    assertThat(catalog.status("ghost")).isEqualTo(ApiStatus.NOT_DEPLOYED);
  }
}
