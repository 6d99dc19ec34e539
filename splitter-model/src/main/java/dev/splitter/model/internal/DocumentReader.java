package dev.splitter.model.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.splitter.InvalidConfigException;
import dev.splitter.model.SourcePosition;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads YAML or JSON text into a Jackson tree while recording the position of every node.
 *
 * <p>Jackson's YAML parser reports an alias as the anchor's name and ignores merge keys, which
 * would silently misread a file; this reader expands aliases itself, within {@link
 * Limits#MAX_ALIAS_NODES}, and applies {@code <<} merges. Duplicate keys are reported (Jackson and
 * SnakeYAML would keep the last). Problems that leave the tree readable are collected; syntax
 * errors and exceeded limits stop reading at once.
 */
@API(status = API.Status.INTERNAL)
public final class DocumentReader {
  /** What was read: the root node ({@code null} for an empty file) and every node's position. */
  public record Document(@Nullable JsonNode root, SourceMap positions) {}

  private record Anchored(JsonNode node, int size) {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
  private static final JsonFactory JSON = new JsonFactory();
  private static final YAMLFactory YAML = yamlFactory();
  private static final String MERGE_KEY = "<<";
  private static final String CORE_TAG_PREFIX = "tag:yaml.org,2002:";
  private static final Set<String> CORE_TAGS =
      Set.of("str", "int", "float", "bool", "null", "seq", "map");

  private final String source;
  private final Problems problems;
  private final SourceMap.Builder positions;
  private final Map<String, Anchored> anchors = new HashMap<>();
  private int nodes;
  private int aliasNodes;

  private DocumentReader(String source, int textLength, Problems problems, boolean positions) {
    this.source = source;
    this.problems = problems;
    this.positions = new SourceMap.Builder(textLength, positions);
  }

  /**
   * Reads {@code text}: JSON when {@code source} ends with {@code .json}, else YAML.
   *
   * @param positions whether to keep every node's position; without them the document's map is
   *     empty, and problems other than fatal ones carry no position
   * @throws InvalidConfigException at a syntax error or an exceeded limit
   */
  public static Document read(String text, String source, Problems problems, boolean positions) {
    if (text.length() > Limits.MAX_DOCUMENT_CHARS) {
      throw tooLarge(source, text.length());
    }
    return new DocumentReader(source, text.length(), problems, positions).read(text);
  }

  /** The error for a file over {@link Limits#MAX_DOCUMENT_CHARS}. */
  public static InvalidConfigException tooLarge(String source, long size) {
    return Problems.fatal(
        source,
        null,
        "document.too-large",
        "the file is " + size + " bytes; the limit is " + Limits.MAX_DOCUMENT_CHARS + " (8 MiB)");
  }

  private Document read(String text) {
    boolean json = source.toLowerCase(Locale.ROOT).endsWith(".json");
    try (JsonParser parser = (json ? JSON : YAML).createParser(text)) {
      if (parser.nextToken() == null) {
        return new Document(null, positions.build());
      }
      JsonNode root = readValue(parser, "", 0);
      if (parser.nextToken() != null) {
        problems.add(
            "",
            positionOf(parser.currentTokenLocation()),
            "document.multiple",
            "the file holds more than one YAML document; put every resource in one list");
      }
      return new Document(root, positions.build());
    } catch (StreamReadException e) {
      if (e.getCause() instanceof MarkedYAMLException yaml) {
        throw syntaxError(yaml);
      }
      JsonLocation location = e.getLocation();
      throw Problems.fatal(
          source,
          location == null ? null : positionOf(location),
          "syntax",
          firstLine(e.getOriginalMessage()));
    } catch (MarkedYAMLException e) {
      throw syntaxError(e);
    } catch (YAMLException e) {
      throw Problems.fatal(source, null, "syntax", firstLine(e.getMessage()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode readValue(JsonParser parser, String path, int depth) throws IOException {
    SourcePosition at = positionOf(parser.currentTokenLocation());
    positions.value(path, at);
    if (parser instanceof YAMLParser yaml && yaml.isCurrentAlias()) {
      return resolveAlias(yaml.getText(), at);
    }
    checkTag(parser, path, at);
    String anchor = parser.canReadObjectId() ? (String) parser.getObjectId() : null;
    int nodesBefore = nodes++;
    JsonNode node =
        switch (parser.currentToken()) {
          case START_OBJECT -> readObject(parser, path, deeper(depth, at));
          case START_ARRAY -> readArray(parser, path, deeper(depth, at));
          case VALUE_STRING -> NODES.textNode(parser.getText());
          case VALUE_NUMBER_INT -> integer(parser);
          case VALUE_NUMBER_FLOAT -> NODES.numberNode(parser.getDoubleValue());
          case VALUE_TRUE -> NODES.booleanNode(true);
          case VALUE_FALSE -> NODES.booleanNode(false);
          case VALUE_NULL -> NODES.nullNode();
          default -> throw new IllegalStateException("unexpected " + parser.currentToken());
        };
    if (anchor != null) {
      anchors.put(anchor, new Anchored(node, nodes - nodesBefore));
    }
    return node;
  }

  private ObjectNode readObject(JsonParser parser, String path, int depth) throws IOException {
    ObjectNode object = NODES.objectNode();
    List<ObjectNode> merges = new ArrayList<>();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String childPath = Paths.key(path, key);
      SourcePosition keyAt = positionOf(parser.currentTokenLocation());
      parser.nextToken();
      JsonNode value = readValue(parser, childPath, depth);
      if (MERGE_KEY.equals(key)) {
        addMerges(value, childPath, keyAt, merges);
      } else if (object.has(key)) {
        SourcePosition first = positions.keyAt(childPath);
        problems.add(
            childPath,
            keyAt,
            "key.duplicate",
            "duplicate key '"
                + key
                + "' (first at line "
                + (first == null ? keyAt : first).line()
                + "); keep only one");
      } else {
        positions.key(childPath, keyAt);
        object.set(key, value);
      }
    }
    // Keys written in the mapping win over merged ones, as YAML's merge key specifies.
    for (ObjectNode merge : merges) {
      merge.properties().forEach(entry -> object.putIfAbsent(entry.getKey(), entry.getValue()));
    }
    return object;
  }

  private void addMerges(JsonNode value, String path, SourcePosition at, List<ObjectNode> merges) {
    if (value instanceof ObjectNode object) {
      merges.add(object);
      return;
    }
    if (value.isArray() && value.size() > 0) {
      boolean allMappings = true;
      for (JsonNode item : value) {
        allMappings &= item.isObject();
      }
      if (allMappings) {
        value.forEach(item -> merges.add((ObjectNode) item));
        return;
      }
    }
    problems.add(
        path, at, "yaml.merge", "'<<' must be followed by a mapping or a list of mappings");
  }

  private ArrayNode readArray(JsonParser parser, String path, int depth) throws IOException {
    ArrayNode array = NODES.arrayNode();
    while (parser.nextToken() != JsonToken.END_ARRAY) {
      array.add(readValue(parser, Paths.index(path, array.size()), depth));
    }
    return array;
  }

  private JsonNode resolveAlias(String anchor, SourcePosition at) {
    Anchored anchored = anchors.get(anchor);
    if (anchored == null) {
      throw Problems.fatal(
          source, at, "yaml.alias", "alias *" + anchor + " refers to no anchor defined before it");
    }
    aliasNodes += anchored.size();
    nodes += anchored.size();
    if (aliasNodes > Limits.MAX_ALIAS_NODES) {
      throw Problems.fatal(
          source,
          at,
          "yaml.alias-limit",
          "aliases expand to more than "
              + Limits.MAX_ALIAS_NODES
              + " nodes; refusing to read further (a file like this is an attack, not a"
              + " configuration)");
    }
    // Shared, not copied: nodes are never changed once read, and the budget bounds the walk.
    return anchored.node();
  }

  private void checkTag(JsonParser parser, String path, SourcePosition at) throws IOException {
    if (!(parser instanceof YAMLParser yaml)) {
      return;
    }
    String tag = yaml.getTypeId();
    if (tag == null
        || (tag.startsWith(CORE_TAG_PREFIX)
            && CORE_TAGS.contains(tag.substring(CORE_TAG_PREFIX.length())))) {
      return;
    }
    problems.add(
        path,
        at,
        "yaml.tag",
        "YAML tag '" + tag + "' is not supported; remove it (values are plain data)");
  }

  private int deeper(int depth, SourcePosition at) {
    if (depth + 1 > Limits.MAX_DEPTH) {
      throw Problems.fatal(
          source,
          at,
          "document.too-deep",
          "the file nests deeper than " + Limits.MAX_DEPTH + " levels");
    }
    return depth + 1;
  }

  private InvalidConfigException syntaxError(MarkedYAMLException e) {
    Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
    String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
    String context = e.getContext() != null ? " (" + e.getContext() + ")" : "";
    return Problems.fatal(
        source,
        mark == null ? null : new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1),
        "syntax",
        firstLine(problem) + context);
  }

  private static JsonNode integer(JsonParser parser) throws IOException {
    return parser.getNumberType() == JsonParser.NumberType.BIG_INTEGER
        ? NODES.numberNode(parser.getBigIntegerValue())
        : NODES.numberNode(parser.getLongValue());
  }

  private static SourcePosition positionOf(JsonLocation location) {
    return new SourcePosition(
        Math.max(1, location.getLineNr()), Math.max(1, location.getColumnNr()));
  }

  private static String firstLine(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "the file is not valid YAML or JSON";
    }
    return message.strip().lines().findFirst().orElse(message);
  }

  private static YAMLFactory yamlFactory() {
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(Limits.MAX_DOCUMENT_CHARS);
    options.setNestingDepthLimit(Limits.MAX_DEPTH);
    return YAMLFactory.builder().loaderOptions(options).build();
  }
}
