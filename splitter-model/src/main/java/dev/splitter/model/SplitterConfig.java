package dev.splitter.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.JsonNode;
import dev.splitter.InvalidConfigException;
import dev.splitter.Violation;
import dev.splitter.model.internal.ConfigBinder;
import dev.splitter.model.internal.ConfigWriter;
import dev.splitter.model.internal.DocumentReader;
import dev.splitter.model.internal.DocumentReader.Document;
import dev.splitter.model.internal.Limits;
import dev.splitter.model.internal.Paths;
import dev.splitter.model.internal.Problems;
import dev.splitter.model.internal.SourceMap;
import dev.splitter.model.internal.Utf8;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A configuration file: a list of {@link TrafficSplitter}s and the {@link RealtimeApi}s they
 * target, with the position of every node kept beside the records for error messages.
 *
 * <p>Reading is strict: unknown keys (with a "did you mean" hint), duplicate keys, wrong types,
 * missing required keys and unsupported kinds are each reported with file, line, column and field
 * path, all in one {@link InvalidConfigException}. Reading is bounded: files over 8 MiB, nesting
 * deeper than 64 levels and YAML aliases that expand past 100,000 nodes fail fast. Values are
 * checked against Cortex's rules by {@code dev.splitter.validation.SplitterValidator}.
 *
 * <pre>{@code
 * SplitterConfig config = SplitterConfig.load(Path.of("cortex.yaml"));
 * for (TrafficSplitter splitter : config.trafficSplitters()) {
 *   System.out.println(splitter.name() + " -> " + splitter.apis());
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe. Two configurations are equal when their resources are, wherever
 * they were read from, so {@code SplitterConfig.parse(c.toYaml(), "x").equals(c)}.
 */
@API(status = API.Status.STABLE)
public final class SplitterConfig {
  /** Where {@link #jsonSchema()} lives in this module's jar. */
  public static final String JSON_SCHEMA_RESOURCE = "dev/splitter/model/splitter.schema.json";

  private static final String IN_CODE = "<config>";

  private final String sourceName;
  private final List<ApiResource> resources;
  // Positions are only needed to report a problem, so a valid file keeps its text and reads it
  // again for them on first use, rather than holding a map of every node from the start.
  private final @Nullable String text;
  private volatile @Nullable SourceMap positions;

  private SplitterConfig(
      String sourceName,
      List<ApiResource> resources,
      @Nullable String text,
      @Nullable SourceMap positions) {
    this.sourceName = sourceName;
    this.resources = List.copyOf(resources);
    this.text = text;
    this.positions = positions;
  }

  /** A configuration built in code; violations in it carry no line or column. */
  public static SplitterConfig of(List<? extends ApiResource> resources) {
    return new SplitterConfig(IN_CODE, List.copyOf(resources), null, SourceMap.empty());
  }

  /** A configuration built in code; violations in it carry no line or column. */
  public static SplitterConfig of(ApiResource... resources) {
    return of(List.of(resources));
  }

  /**
   * Reads a YAML file, or a JSON file when its name ends with {@code .json}, as UTF-8.
   *
   * @throws InvalidConfigException if the file cannot be read or is not a valid configuration
   */
  public static SplitterConfig load(Path file) {
    return parse(readText(file), file.toString());
  }

  /**
   * The text of a configuration file, read with the checks {@link #load} makes: the size limit (8
   * MiB) before reading, then strict UTF-8. For callers that need the text itself as well, such as
   * to send it elsewhere, without reading the file twice.
   *
   * @throws InvalidConfigException if the file is missing, too large, unreadable or not UTF-8
   */
  public static String readText(Path file) {
    requireNonNull(file, "file");
    String source = file.toString();
    if (Files.isDirectory(file)) {
      throw Problems.fatal(
          source, null, "file.directory", "is a directory, not a configuration file");
    }
    byte[] bytes;
    try {
      long size = Files.size(file);
      if (size > Limits.MAX_DOCUMENT_CHARS) {
        throw DocumentReader.tooLarge(source, size);
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw Problems.fatal(source, null, "file.missing", "no such file");
    } catch (AccessDeniedException e) {
      throw Problems.fatal(
          source, null, "file.unreadable", "permission denied: this user cannot read it");
    } catch (IOException e) {
      throw Problems.fatal(
          source, null, "file.unreadable", "cannot read it: " + String.valueOf(e.getMessage()));
    }
    return Utf8.decode(bytes, source);
  }

  /**
   * Reads configuration text: JSON when {@code sourceName} ends with {@code .json}, else YAML.
   *
   * @param sourceName the file name used in error messages
   * @throws InvalidConfigException if the text is not a valid configuration
   */
  public static SplitterConfig parse(String text, String sourceName) {
    requireNonNull(text, "text");
    requireNonNull(sourceName, "sourceName");
    Problems problems = new Problems(sourceName);
    Document document = DocumentReader.read(text, sourceName, problems, false);
    List<ApiResource> resources =
        new ConfigBinder(problems, document.positions()).bind(document.root());
    if (!problems.isEmpty()) {
      // Read again, keeping positions, to say where each problem is.
      Problems located = new Problems(sourceName);
      Document again = DocumentReader.read(text, sourceName, located, true);
      List<ApiResource> partial =
          new ConfigBinder(located, again.positions(), true).bind(again.root());
      located.throwIfAny(
          index -> resourceName(again.root(), index),
          again.root() == null || partial.isEmpty()
              ? null
              : new SplitterConfig(sourceName, partial, text, again.positions()));
    }
    return new SplitterConfig(sourceName, resources, text, null);
  }

  /** Where the configuration came from: a file name, or {@code <config>} when built in code. */
  public String sourceName() {
    return sourceName;
  }

  /** Every resource, in file order. */
  public List<ApiResource> resources() {
    return resources;
  }

  /** The Traffic Splitters, in file order. */
  public List<TrafficSplitter> trafficSplitters() {
    return resources.stream()
        .filter(TrafficSplitter.class::isInstance)
        .map(TrafficSplitter.class::cast)
        .toList();
  }

  /** The Realtime APIs, in file order. */
  public List<RealtimeApi> realtimeApis() {
    return resources.stream()
        .filter(RealtimeApi.class::isInstance)
        .map(RealtimeApi.class::cast)
        .toList();
  }

  /**
   * Where a node of a resource stands in the file: for {@code path} {@code apis[1].weight}, the
   * weight's value; for a node the file does not spell out (a default), the nearest enclosing one.
   * Empty for a configuration built in code.
   *
   * @param resourceIndex the resource's index in {@link #resources()}
   * @param path a field path inside the resource, empty for the resource itself
   */
  public Optional<SourcePosition> position(int resourceIndex, String path) {
    return positions().value(Paths.inResource(resourceIndex, path));
  }

  private SourceMap positions() {
    SourceMap map = positions;
    if (map == null) {
      // Racing threads may both read; they build equal maps, and either may be kept.
      String kept = requireNonNull(text, "the text is kept whenever positions are not");
      map = DocumentReader.read(kept, sourceName, new Problems(sourceName), true).positions();
      positions = map;
    }
    return map;
  }

  /**
   * A violation at a node of a resource, placed at the node's position: for checks beyond the
   * built-in ones (a backend's, a tool's), reported like theirs.
   *
   * @param resourceIndex the resource's index in {@link #resources()}
   * @param path a field path inside the resource, such as {@code apis[1].weight}
   * @param code a stable identifier of the rule
   * @param message what is wrong, for a person
   */
  public Violation violationAt(int resourceIndex, String path, String code, String message) {
    String name = resources.get(resourceIndex).name();
    return Problems.violation(
        sourceName,
        position(resourceIndex, path).orElse(null),
        name.isEmpty() ? "resources[" + resourceIndex + "]" : name,
        path,
        code,
        message);
  }

  /**
   * This configuration as JSON on one line, with every default written out: the same text for equal
   * configurations, so it can be hashed or stored beside a routing object and read back with {@link
   * #parse} under a name ending in {@code .json}.
   */
  public String toJson() {
    return ConfigWriter.toJson(resources);
  }

  /**
   * The JSON Schema (draft 2020-12) of configuration files: every key, type, enum and the name and
   * endpoint patterns the reader and validator accept, so that an editor flags a typo as it is
   * typed. It is also in this jar as {@value #JSON_SCHEMA_RESOURCE}. The rules that span fields or
   * resources (weights adding up to 100, unique names, known targets) are {@code validate}'s.
   */
  public static String jsonSchema() {
    try (InputStream schema =
        SplitterConfig.class.getResourceAsStream("/" + JSON_SCHEMA_RESOURCE)) {
      return new String(requireNonNull(schema, JSON_SCHEMA_RESOURCE).readAllBytes(), UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException("unreadable in this jar: " + JSON_SCHEMA_RESOURCE, e);
    }
  }

  /** This configuration as YAML, with every default written out. */
  public String toYaml() {
    return ConfigWriter.toYaml(resources);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof SplitterConfig config && resources.equals(config.resources);
  }

  @Override
  public int hashCode() {
    return resources.hashCode();
  }

  @Override
  public String toString() {
    return "SplitterConfig[" + sourceName + ", " + resources + "]";
  }

  private static String resourceName(@Nullable JsonNode root, int index) {
    JsonNode name = root == null ? null : root.path(index).path("name");
    return name != null && name.isTextual() && !name.textValue().isEmpty()
        ? name.textValue()
        : "resources[" + index + "]";
  }
}
