package dev.splitter.aws.internal;

import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.StoredSpec;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tags that make a listener rule a splitter's and carry its state. AWS tag values take letters,
 * digits, spaces and {@code _ . : / = + - @}: API names are joined with spaces. Eight tags, within
 * moto's ten and AWS's fifty.
 */
public final class RuleTags {
  public static final String MANAGED_BY = "splitter.dev/managed-by";
  public static final String SPLITTER = "splitter";
  public static final String NAME = StoredSpec.NAME_KEY;
  public static final String KIND = StoredSpec.KIND_KEY;
  public static final String ENDPOINT = StoredSpec.ENDPOINT_KEY;
  public static final String API_GATEWAY = StoredSpec.API_GATEWAY_KEY;
  public static final String APIS = "splitter.dev/apis";
  public static final String SPEC_HASH = StoredSpec.HASH_KEY;
  public static final String LAST_UPDATED = StoredSpec.LAST_UPDATED_KEY;

  private RuleTags() {}

  /** The tags for a rule that routes this splitter, written at {@code now}. */
  public static Map<String, String> of(TrafficSplitter splitter, Instant now) {
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put(MANAGED_BY, SPLITTER);
    tags.put(NAME, splitter.name());
    tags.put(KIND, splitter.kind().yamlName());
    tags.put(ENDPOINT, splitter.networking().endpoint());
    tags.put(API_GATEWAY, splitter.networking().apiGateway().yamlName());
    tags.put(APIS, String.join(" ", splitter.apis().stream().map(TargetApi::name).toList()));
    tags.put(SPEC_HASH, StoredSpec.hash(splitter));
    tags.put(LAST_UPDATED, now.toString());
    return tags;
  }

  public static boolean isManaged(Map<String, String> tags) {
    return SPLITTER.equals(tags.get(MANAGED_BY));
  }

  /**
   * The splitter the tags describe, every weight 0: the rule's forward action holds the weights.
   *
   * @throws IllegalStateException if a tag is missing or was edited into something unreadable
   */
  public static TrafficSplitter stored(Map<String, String> tags, String where) {
    String name = require(tags, NAME, where);
    ApiGateway gateway =
        ApiGateway.fromYamlName(require(tags, API_GATEWAY, where))
            .orElseThrow(
                () -> new IllegalStateException(where + " has an unknown " + API_GATEWAY + " tag"));
    return new TrafficSplitter(
        name,
        new Networking(require(tags, ENDPOINT, where), gateway),
        Arrays.stream(require(tags, APIS, where).split(" "))
            .filter(api -> !api.isEmpty())
            .map(api -> new TargetApi(api, 0, false))
            .toList());
  }

  public static Instant lastUpdated(Map<String, String> tags) {
    try {
      return Optional.ofNullable(tags.get(LAST_UPDATED)).map(Instant::parse).orElse(Instant.EPOCH);
    } catch (DateTimeParseException e) {
      return Instant.EPOCH;
    }
  }

  private static String require(Map<String, String> tags, String key, String where) {
    String value = tags.get(key);
    if (value == null) {
      throw new IllegalStateException(where + " has no " + key + " tag");
    }
    return value;
  }
}
