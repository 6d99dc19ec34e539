package dev.splitter.aws.internal;

import dev.splitter.aws.TargetGroupResolver;
import dev.splitter.support.BackendCalls;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetGroup;

/**
 * Finds target groups by a tag whose value is the API name: lists the target groups, then reads
 * their tags twenty at a time (DescribeTags' limit). Reads afresh on every call, so a target group
 * replaced under the same tag is found at its new ARN.
 */
@API(status = API.Status.INTERNAL)
public final class TargetGroupsByTag implements TargetGroupResolver {
  private final ElasticLoadBalancingV2Client client;
  private final String tagKey;
  private final BackendCalls aws = AwsCalls.of("alb");

  public TargetGroupsByTag(ElasticLoadBalancingV2Client client, String tagKey) {
    this.client = client;
    this.tagKey = tagKey;
  }

  @Override
  public Map<String, String> resolve(Collection<String> apiNames) {
    Set<String> wanted = new HashSet<>(apiNames);
    Map<String, String> found = new LinkedHashMap<>();
    if (wanted.isEmpty()) {
      return found;
    }
    List<String> arns =
        aws.call(
            "DescribeTargetGroups",
            "target groups",
            () ->
                client.describeTargetGroupsPaginator(request -> {}).targetGroups().stream()
                    .map(TargetGroup::targetGroupArn)
                    .toList());
    for (List<String> batch : AwsCalls.batches(arns, AwsCalls.TAGS_PER_CALL)) {
      List<TagDescription> tags =
          aws.call(
              "DescribeTags",
              "target groups",
              () -> client.describeTags(request -> request.resourceArns(batch)).tagDescriptions());
      for (TagDescription description : tags) {
        description.tags().stream()
            .filter(tag -> tag.key().equals(tagKey) && wanted.contains(tag.value()))
            .findFirst()
            .ifPresent(tag -> found.putIfAbsent(tag.value(), description.resourceArn()));
      }
    }
    return found;
  }

  @Override
  public String toString() {
    return "target groups tagged " + tagKey;
  }
}
