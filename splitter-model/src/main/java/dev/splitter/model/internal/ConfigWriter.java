package dev.splitter.model.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.splitter.model.ApiResource;
import dev.splitter.model.Networking;
import dev.splitter.model.RealtimeApi;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/** Writes resources as a Cortex configuration file, with every default spelled out. */
@API(status = API.Status.INTERNAL)
public final class ConfigWriter {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final YAMLMapper YAML =
      new YAMLMapper(
          YAMLFactory.builder()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
              .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
              .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
              .disable(YAMLGenerator.Feature.SPLIT_LINES)
              .build());

  private static final String ROOT_INDENT = "  ";

  private ConfigWriter() {}

  /** The YAML text of {@code resources}. */
  public static String toYaml(List<ApiResource> resources) {
    ArrayNode root = NODES.arrayNode();
    resources.forEach(resource -> root.add(toNode(resource)));
    try {
      return dedentRootList(YAML.writeValueAsString(root));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The JSON text of {@code resources} on one line, keys in the order Cortex files use. */
  public static String toJson(List<ApiResource> resources) {
    ArrayNode root = NODES.arrayNode();
    resources.forEach(resource -> root.add(toNode(resource)));
    return root.toString();
  }

  /**
   * Indenting nested lists also indents the root list by two spaces; every line then carries the
   * same two spaces, so removing them keeps the meaning and gives the usual Cortex layout.
   */
  private static String dedentRootList(String yaml) {
    return yaml.lines()
        .map(line -> line.startsWith(ROOT_INDENT) ? line.substring(ROOT_INDENT.length()) : line)
        .collect(Collectors.joining("\n", "", "\n"));
  }

  private static ObjectNode toNode(ApiResource resource) {
    ObjectNode node = NODES.objectNode();
    node.put("name", resource.name());
    node.put("kind", resource.kind().yamlName());
    node.set("networking", toNode(resource.networking()));
    if (resource instanceof TrafficSplitter splitter) {
      ArrayNode apis = node.putArray("apis");
      splitter.apis().forEach(api -> apis.add(toNode(api)));
    } else if (resource instanceof RealtimeApi api) {
      api.extra().forEach((key, value) -> node.set(key, Trees.toNode(value)));
    }
    return node;
  }

  private static ObjectNode toNode(Networking networking) {
    ObjectNode node = NODES.objectNode();
    node.put("endpoint", networking.endpoint());
    node.put("api_gateway", networking.apiGateway().yamlName());
    return node;
  }

  private static ObjectNode toNode(TargetApi api) {
    ObjectNode node = NODES.objectNode();
    node.put("name", api.name());
    node.put("weight", api.weight());
    if (api.shadow()) {
      node.put("shadow", true);
    }
    return node;
  }
}
