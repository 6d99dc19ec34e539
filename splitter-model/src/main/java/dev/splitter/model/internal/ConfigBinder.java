package dev.splitter.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.ApiResource;
import dev.splitter.model.Networking;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.ResourceKind;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Turns a read tree into resources, strictly: unknown keys, wrong types, missing required keys and
 * unsupported kinds are all reported, each at its position, before anything is returned. Values are
 * checked against the rules later, by the validator.
 */
@API(status = API.Status.INTERNAL)
public final class ConfigBinder {
  private static final List<String> SPLITTER_KEYS = List.of("name", "kind", "networking", "apis");
  private static final Set<String> REALTIME_API_KEYS = Set.of("name", "kind", "networking");
  private static final List<String> NETWORKING_KEYS = List.of("endpoint", "api_gateway");
  private static final List<String> TARGET_KEYS = List.of("name", "weight", "shadow");
  private static final Set<String> OTHER_CORTEX_KINDS = Set.of("BatchAPI", "TaskAPI", "AsyncAPI");
  private static final List<String> KIND_NAMES =
      Arrays.stream(ResourceKind.values()).map(ResourceKind::yamlName).toList();

  private final Problems problems;
  private final SourceMap positions;
  private final boolean lenient;

  public ConfigBinder(Problems problems, SourceMap positions) {
    this(problems, positions, false);
  }

  /**
   * @param lenient whether a resource with problems is still bound, each broken part replaced by a
   *     neutral stand-in (a name {@code resources[i]}, weight 0, the defaults), so that the rules
   *     can check everything else in the file; the problems are reported all the same
   */
  public ConfigBinder(Problems problems, SourceMap positions, boolean lenient) {
    this.problems = problems;
    this.positions = positions;
    this.lenient = lenient;
  }

  /** The resources of a file whose root is {@code root} ({@code null} when the file is empty). */
  public List<ApiResource> bind(@Nullable JsonNode root) {
    if (root == null || root.isNull()) {
      problem(
          "",
          "document.empty",
          "the file is empty; expected a list of resources, each with a name and a kind");
      return List.of();
    }
    if (!root.isArray()) {
      problem(
          "",
          "document.not-list",
          "expected a list of resources (each starting with '- name:'), found " + describe(root));
      return List.of();
    }
    List<ApiResource> resources = new ArrayList<>(root.size());
    for (int i = 0; i < root.size(); i++) {
      Optional<ApiResource> resource = resource(root.get(i), Paths.resource(i));
      if (resource.isPresent()) {
        resources.add(resource.get());
      } else if (lenient) {
        // Kept in its place, so that every later resource keeps its index (and its position).
        String name = standInName(Paths.resource(i));
        resources.add(new RealtimeApi(name, standInNetworking(name), Map.of()));
      }
    }
    return resources;
  }

  private Optional<ApiResource> resource(JsonNode node, String path) {
    if (!node.isObject()) {
      problem(path, "type", "expected a resource with a name and a kind, found " + describe(node));
      return Optional.empty();
    }
    String kindName = text(node, path, "kind", true);
    if (kindName == null) {
      return Optional.empty();
    }
    Optional<ResourceKind> kind = ResourceKind.fromYamlName(kindName);
    if (kind.isEmpty()) {
      problem(Paths.key(path, "kind"), "kind.unsupported", unsupportedKind(kindName));
      return Optional.empty();
    }
    return switch (kind.get()) {
      case TRAFFIC_SPLITTER -> Optional.ofNullable(trafficSplitter(node, path));
      case REALTIME_API -> Optional.ofNullable(realtimeApi(node, path));
    };
  }

  private @Nullable TrafficSplitter trafficSplitter(JsonNode node, String path) {
    rejectUnknownKeys(node, path, SPLITTER_KEYS);
    String name = text(node, path, "name", true);
    Networking networking = networking(node, path, name);
    List<TargetApi> apis = targets(node, path);
    if (name == null || networking == null || apis == null) {
      if (!lenient) {
        return null;
      }
      String standIn = name != null ? name : standInName(path);
      return new TrafficSplitter(
          standIn,
          networking != null ? networking : standInNetworking(standIn),
          apis != null ? apis : List.of());
    }
    return new TrafficSplitter(name, networking, apis);
  }

  private @Nullable RealtimeApi realtimeApi(JsonNode node, String path) {
    String bound = text(node, path, "name", true);
    Networking networking = networking(node, path, bound);
    if ((bound == null || networking == null) && !lenient) {
      return null;
    }
    String name = bound != null ? bound : standInName(path);
    if (networking == null) {
      networking = standInNetworking(name);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    node.properties()
        .forEach(
            entry -> {
              if (!REALTIME_API_KEYS.contains(entry.getKey())) {
                extra.put(entry.getKey(), Trees.fromNode(entry.getValue()));
              }
            });
    return new RealtimeApi(name, networking, extra);
  }

  private @Nullable Networking networking(JsonNode resource, String path, @Nullable String name) {
    String networkingPath = Paths.key(path, "networking");
    JsonNode node = resource.path("networking");
    if (node.isMissingNode() || node.isNull()) {
      return name == null ? null : Networking.defaultsFor(name);
    }
    if (!node.isObject()) {
      problem(networkingPath, "type", "must be a mapping, found " + describe(node));
      return null;
    }
    rejectUnknownKeys(node, networkingPath, NETWORKING_KEYS);
    String endpoint = text(node, networkingPath, "endpoint", false);
    ApiGateway apiGateway = apiGateway(node, networkingPath);
    if (name == null || apiGateway == null) {
      return null;
    }
    return new Networking(endpoint != null ? endpoint : "/" + name, apiGateway);
  }

  private @Nullable ApiGateway apiGateway(JsonNode networking, String path) {
    JsonNode node = networking.path("api_gateway");
    if (!isPresent(node)) {
      return ApiGateway.PUBLIC;
    }
    Optional<ApiGateway> apiGateway =
        node.isTextual() ? ApiGateway.fromYamlName(node.textValue()) : Optional.empty();
    if (apiGateway.isEmpty()) {
      problem(
          Paths.key(path, "api_gateway"),
          "api_gateway.value",
          "must be public or none, found " + describe(node));
    }
    return apiGateway.orElse(null);
  }

  private @Nullable List<TargetApi> targets(JsonNode resource, String path) {
    String apisPath = Paths.key(path, "apis");
    JsonNode node = resource.path("apis");
    if (!isPresent(node)) {
      problem(apisPath, "apis.required", "is required: list the Realtime APIs to route to");
      return null;
    }
    if (!node.isArray()) {
      problem(apisPath, "type", "must be a list of apis, found " + describe(node));
      return null;
    }
    List<TargetApi> targets = new ArrayList<>(node.size());
    boolean complete = true;
    for (int i = 0; i < node.size(); i++) {
      TargetApi target = target(node.get(i), Paths.index(apisPath, i));
      complete &= target != null;
      if (target != null) {
        targets.add(target);
      } else if (lenient) {
        targets.add(new TargetApi("", 0, false)); // in its place: apis[i] stays apis[i]
      }
    }
    return complete || lenient ? targets : null;
  }

  private @Nullable TargetApi target(JsonNode node, String path) {
    if (!node.isObject()) {
      problem(path, "type", "must be a mapping with name and weight, found " + describe(node));
      return null;
    }
    rejectUnknownKeys(node, path, TARGET_KEYS);
    String name = text(node, path, "name", true);
    Integer weight = weight(node, path);
    Boolean shadow = shadow(node, path);
    if (name == null || weight == null || shadow == null) {
      return lenient
          ? new TargetApi(
              name != null ? name : "", weight != null ? weight : 0, shadow != null && shadow)
          : null;
    }
    return new TargetApi(name, weight, shadow);
  }

  private @Nullable Integer weight(JsonNode target, String path) {
    String weightPath = Paths.key(path, "weight");
    JsonNode node = target.path("weight");
    if (!isPresent(node)) {
      problem(weightPath, "field.required", "is required: an integer from 0 to 100");
      return null;
    }
    if (!node.isIntegralNumber()) {
      problem(weightPath, "type", "must be an integer from 0 to 100, found " + describe(node));
      return null;
    }
    if (!node.canConvertToInt()) {
      problem(weightPath, "weight.range", "must be between 0 and 100, found " + node.asText());
      return null;
    }
    return node.intValue();
  }

  private @Nullable Boolean shadow(JsonNode target, String path) {
    JsonNode node = target.path("shadow");
    if (!isPresent(node)) {
      return false;
    }
    if (!node.isBoolean()) {
      problem(Paths.key(path, "shadow"), "type", "must be true or false, found " + describe(node));
      return null;
    }
    return node.booleanValue();
  }

  /** The name a resource whose own name is broken is bound under: {@code resources[i]}. */
  private static String standInName(String path) {
    return "resources[" + Paths.resourceIndex(path) + "]";
  }

  /** Networking that passes every rule, for a resource whose own is broken. */
  private static Networking standInNetworking(String standInName) {
    return new Networking("/" + standInName.replace('[', '-').replace("]", ""), ApiGateway.NONE);
  }

  /** A string member; a missing or null one is reported when required. */
  private @Nullable String text(JsonNode mapping, String path, String key, boolean required) {
    JsonNode node = mapping.path(key);
    String keyPath = Paths.key(path, key);
    if (!isPresent(node)) {
      if (required) {
        problem(keyPath, "field.required", "is required");
      }
      return null;
    }
    if (!node.isTextual()) {
      problem(keyPath, "type", "must be a string, found " + describe(node));
      return null;
    }
    return node.textValue();
  }

  private void rejectUnknownKeys(JsonNode mapping, String path, List<String> known) {
    mapping
        .fieldNames()
        .forEachRemaining(
            key -> {
              if (!known.contains(key)) {
                String keyPath = Paths.key(path, key);
                problems.add(
                    keyPath,
                    positions.key(keyPath).orElse(null),
                    "key.unknown",
                    unknownKey(key, known));
              }
            });
  }

  private static String unknownKey(String key, List<String> known) {
    String hint =
        NearestName.nearest(key, known)
            .map(nearest -> "did you mean '" + nearest + "'?")
            .orElse("expected one of " + String.join(", ", known));
    return "unknown key '" + key + "'; " + hint;
  }

  private static String unsupportedKind(String kind) {
    if (OTHER_CORTEX_KINDS.contains(kind)) {
      return "kind "
          + kind
          + " is not supported: splitter deploys TrafficSplitter resources and reads RealtimeAPI"
          + " resources as their targets";
    }
    String hint =
        NearestName.nearest(kind, KIND_NAMES)
            .map(nearest -> "did you mean " + nearest + "?")
            .orElse("expected " + String.join(" or ", KIND_NAMES));
    return "unknown kind \"" + kind + "\"; " + hint;
  }

  private void problem(String path, String code, String message) {
    problems.add(path, positions.value(path).orElse(null), code, message);
  }

  private static boolean isPresent(JsonNode node) {
    return !node.isMissingNode() && !node.isNull();
  }

  /** Names what a node is, for messages: {@code the string "eighty"}, {@code a mapping}. */
  static String describe(JsonNode node) {
    if (node.isObject()) {
      return "a mapping";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "the string \"" + abbreviate(node.textValue()) + "\"";
    }
    if (node.isBoolean()) {
      return "the boolean " + node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return "the integer " + abbreviate(node.asText());
    }
    return "the number " + abbreviate(node.asText());
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 37) + "...";
  }
}
