package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.AwsCalls;
import dev.splitter.model.internal.Required;
import dev.splitter.spi.ApiCatalog;
import dev.splitter.spi.ApiState;
import dev.splitter.spi.ApiStatus;
import dev.splitter.support.BackendCalls;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthReasonEnum;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthStateEnum;

/**
 * Realtime APIs as target groups: an API exists when its target group resolves, and its status is
 * read from DescribeTargetHealth.
 *
 * <ul>
 *   <li><b>live</b>: at least one target is healthy;
 *   <li><b>updating</b>: none healthy, and some are {@code initial} (registering, first checks) or
 *       {@code unused} (the group is not in a listener rule yet: it is before the first deploy);
 *   <li><b>error</b>: no target registered, or every one unhealthy, draining or unavailable.
 * </ul>
 *
 * <p>Requested is the number of registered targets; AWS gives no time of the last change, so last
 * update is unknown. Thread-safe.
 *
 * <pre>{@code
 * ApiCatalog catalog = AlbTargetCatalog.builder()
 *     .client(elbv2Client)                                     // yours; you close it
 *     .build();                                                // groups tagged splitter.dev/api=<API>
 * Deployer deployer = Deployer.builder().routing(alb).catalog(catalog).build();
 * }</pre>
 */
@API(status = API.Status.STABLE)
public final class AlbTargetCatalog implements ApiCatalog {
  private final ElasticLoadBalancingV2Client client;
  private final TargetGroupResolver targetGroups;
  private final BackendCalls aws = AwsCalls.of(AlbRouting.BACKEND);

  private AlbTargetCatalog(Builder builder) {
    this.client = Required.value(builder.client, "client");
    this.targetGroups =
        builder.targetGroups != null ? builder.targetGroups : TargetGroupResolver.byTag(client);
  }

  /** A new builder. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public boolean exists(String apiName) {
    return arn(apiName).isPresent();
  }

  @Override
  public ApiStatus status(String apiName) {
    Optional<String> arn = arn(apiName);
    if (arn.isEmpty()) {
      return ApiStatus.NOT_DEPLOYED;
    }
    List<TargetHealthDescription> targets =
        aws.call(
            "DescribeTargetHealth",
            "target group of " + apiName,
            () ->
                client
                    .describeTargetHealth(request -> request.targetGroupArn(arn.get()))
                    .targetHealthDescriptions());
    return new ApiStatus(state(targets), targets.size(), null);
  }

  private Optional<String> arn(String apiName) {
    return Optional.ofNullable(targetGroups.resolve(List.of(apiName)).get(apiName));
  }

  private static ApiState state(List<TargetHealthDescription> targets) {
    if (targets.stream().anyMatch(target -> is(target, TargetHealthStateEnum.HEALTHY))) {
      return ApiState.LIVE;
    }
    boolean starting =
        targets.stream()
            .anyMatch(
                target ->
                    is(target, TargetHealthStateEnum.INITIAL)
                        || (is(target, TargetHealthStateEnum.UNUSED)
                            && target.targetHealth().reason()
                                == TargetHealthReasonEnum.TARGET_NOT_IN_USE));
    return starting ? ApiState.UPDATING : ApiState.ERROR;
  }

  private static boolean is(TargetHealthDescription target, TargetHealthStateEnum state) {
    return target.targetHealth() != null && target.targetHealth().state() == state;
  }

  /** Builds an {@link AlbTargetCatalog}. Not thread-safe. */
  public static final class Builder {
    private @Nullable ElasticLoadBalancingV2Client client;
    private @Nullable TargetGroupResolver targetGroups;

    private Builder() {}

    /** The client to call ELBv2 with. Required. */
    public Builder client(ElasticLoadBalancingV2Client client) {
      this.client = requireNonNull(client, "client");
      return this;
    }

    /** How each API's target group is found. Default: by the tag {@code splitter.dev/api}. */
    public Builder targetGroups(TargetGroupResolver targetGroups) {
      this.targetGroups = requireNonNull(targetGroups, "targetGroups");
      return this;
    }

    /**
     * Builds the catalog; nothing is called yet.
     *
     * @throws NullPointerException if no client was set
     */
    public AlbTargetCatalog build() {
      return new AlbTargetCatalog(this);
    }
  }
}
