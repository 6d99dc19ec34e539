package dev.splitter.aws.internal;

import dev.splitter.support.BackendCalls;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Tag;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TagDescription;

/**
 * Reads and writes the tags of Elastic Load Balancing resources (rules, listeners), where splitter
 * keeps a splitter's state: many resources' tags twenty at a time, or one resource's.
 */
@API(status = API.Status.INTERNAL)
public final class ElbTags {
  private final ElasticLoadBalancingV2Client client;
  private final BackendCalls aws;

  public ElbTags(ElasticLoadBalancingV2Client client, BackendCalls aws) {
    this.client = client;
    this.aws = aws;
  }

  /** The tags of each resource, by ARN; {@code object} names them in errors. */
  public Map<String, Map<String, String>> of(List<String> arns, String object) {
    Map<String, Map<String, String>> tags = new HashMap<>();
    for (List<String> batch : AwsCalls.batches(arns, AwsCalls.TAGS_PER_CALL)) {
      List<TagDescription> descriptions =
          aws.call(
              "DescribeTags",
              object,
              () -> client.describeTags(request -> request.resourceArns(batch)).tagDescriptions());
      for (TagDescription description : descriptions) {
        Map<String, String> byKey = new HashMap<>();
        description.tags().forEach(tag -> byKey.put(tag.key(), tag.value()));
        tags.put(description.resourceArn(), byKey);
      }
    }
    return tags;
  }

  /** One resource's tags, read alone. */
  public Map<String, String> of(String arn, String object) {
    return of(List.of(arn), object).getOrDefault(arn, Map.of());
  }

  /** Sets tags on one resource, keeping the others. */
  public void add(String arn, String object, Map<String, String> tags) {
    aws.run(
        "AddTags",
        object,
        () -> client.addTags(request -> request.resourceArns(arn).tags(toTags(tags))));
  }

  /** Removes one tag from one resource. */
  public void remove(String arn, String object, String tag) {
    aws.run(
        "RemoveTags",
        object,
        () -> client.removeTags(request -> request.resourceArns(arn).tagKeys(tag)));
  }

  /** Tags as the SDK takes them. */
  public static List<Tag> toTags(Map<String, String> tags) {
    return tags.entrySet().stream()
        .map(entry -> Tag.builder().key(entry.getKey()).value(entry.getValue()).build())
        .toList();
  }
}
