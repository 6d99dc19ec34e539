package dev.splitter.aws.internal;

import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.support.StoredSpec;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The tags that make a listener rule a splitter's and carry its state. AWS tag values take letters,
 * digits, spaces and {@code _ . : / = + - @}: API names are joined with spaces. Eight tags, within
 * moto's ten and AWS's fifty.
 */
@API(status = API.Status.INTERNAL)
public final class RuleTags {
  public static final String MANAGED_BY = "splitter.dev/managed-by";
  public static final String APIS = "splitter.dev/apis";

  private RuleTags() {}

  /** The tags for a rule that routes this splitter, written at {@code now}. */
  public static Map<String, String> of(TrafficSplitter splitter, Instant now) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(MANAGED_BY, StoredSpec.MANAGED_BY_VALUE);
    tags.put(StoredSpec.NAME_KEY, splitter.name());
    tags.put(StoredSpec.KIND_KEY, splitter.kind().yamlName());
    tags.put(StoredSpec.ENDPOINT_KEY, splitter.networking().endpoint());
    tags.put(StoredSpec.API_GATEWAY_KEY, splitter.networking().apiGateway().yamlName());
    tags.put(APIS, String.join(" ", splitter.apis().stream().map(TargetApi::name).toList()));
    tags.put(StoredSpec.HASH_KEY, StoredSpec.hash(splitter));
    tags.put(StoredSpec.LAST_UPDATED_KEY, now.toString());
    return tags;
  }

  public static boolean isManaged(Map<String, String> tags) {
    return StoredSpec.isManaged(tags, MANAGED_BY);
  }

  /** The splitter a rule routes, as its tags say; null on a rule that is not splitter's. */
  public static @Nullable String splitterName(Map<String, String> tags) {
    return tags.get(StoredSpec.NAME_KEY);
  }

  /** The spec hash stored on the rule, if any. */
  public static @Nullable String storedHash(Map<String, String> tags) {
    return tags.get(StoredSpec.HASH_KEY);
  }

  /**
   * The splitter the tags describe, every weight 0: the rule's forward action holds the weights.
   *
   * @throws dev.splitter.core.BackendException if a tag is missing or was edited into something
   *     unreadable
   */
  public static TrafficSplitter stored(Map<String, String> tags, String where) {
    return stored("alb", tags, where);
  }

  /** As {@link #stored(Map, String)}, for {@code backend}'s resource (an NLB listener). */
  public static TrafficSplitter stored(String backend, Map<String, String> tags, String where) {
    String name = require(backend, tags, StoredSpec.NAME_KEY, where);
    String gatewayTag = require(backend, tags, StoredSpec.API_GATEWAY_KEY, where);
    ApiGateway gateway =
        ApiGateway.fromYamlName(gatewayTag)
            .orElseThrow(
                () ->
                    StoredSpec.unreadable(
                        backend, where, "its " + StoredSpec.API_GATEWAY_KEY + " tag is unknown"));
    return new TrafficSplitter(
        name,
        new Networking(require(backend, tags, StoredSpec.ENDPOINT_KEY, where), gateway),
        Arrays.stream(require(backend, tags, APIS, where).split(" "))
            .filter(api -> !api.isEmpty())
            .map(api -> new TargetApi(api, 0, false))
            .toList());
  }

  public static Instant lastUpdated(Map<String, String> tags) {
    return StoredSpec.instant(tags.get(StoredSpec.LAST_UPDATED_KEY)).orElse(Instant.EPOCH);
  }

  private static String require(
      String backend, Map<String, String> tags, String key, String where) {
    String value = tags.get(key);
    if (value == null) {
      throw StoredSpec.unreadable(backend, where, "it has no " + key + " tag");
    }
    return value;
  }
}
