package dev.splitter.aws;

import static java.util.Objects.requireNonNull;

import dev.splitter.aws.internal.TargetGroupsByTag;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;

/** Finds the target group that serves each Realtime API. Thread-safe. */
@FunctionalInterface
@API(status = API.Status.STABLE)
public interface TargetGroupResolver {
  /** The tag key {@link #byTag(ElasticLoadBalancingV2Client)} reads: its value is the API name. */
  String API_TAG = "splitter.dev/api";

  /**
   * The target group ARN of each API that has one; an API without one is left out.
   *
   * @param apiNames the APIs to look up
   */
  Map<String, String> resolve(Collection<String> apiNames);

  /** Target groups tagged {@code splitter.dev/api=<API name>}. The default. */
  static TargetGroupResolver byTag(ElasticLoadBalancingV2Client client) {
    return byTag(client, API_TAG);
  }

  /** Target groups tagged {@code <tagKey>=<API name>}. */
  static TargetGroupResolver byTag(ElasticLoadBalancingV2Client client, String tagKey) {
    return new TargetGroupsByTag(
        requireNonNull(client, "client"), requireNonNull(tagKey, "tagKey"));
  }

  /** A fixed map from API name to target group ARN. */
  static TargetGroupResolver of(Map<String, String> arnsByApi) {
    Map<String, String> copy = Map.copyOf(arnsByApi);
    return apiNames -> {
      Map<String, String> found = new LinkedHashMap<>();
      apiNames.forEach(
          name -> {
            if (copy.containsKey(name)) {
              found.put(name, copy.get(name));
            }
          });
      return found;
    };
  }
}
