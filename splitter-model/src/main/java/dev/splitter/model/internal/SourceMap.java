package dev.splitter.model.internal;

import dev.splitter.model.SourcePosition;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Where each node of a file stands, by absolute {@linkplain Paths path}: the value's position, and
 * for a mapping's member the key's position too. Kept beside the records, never inside them.
 */
@API(status = API.Status.INTERNAL)
public final class SourceMap {
  private static final SourceMap EMPTY = new SourceMap(Map.of(), Map.of());

  private final Map<String, SourcePosition> values;
  private final Map<String, SourcePosition> keys;

  private SourceMap(Map<String, SourcePosition> values, Map<String, SourcePosition> keys) {
    this.values = values;
    this.keys = keys;
  }

  /** A map with no positions, for configurations built in code. */
  public static SourceMap empty() {
    return EMPTY;
  }

  /**
   * The position of the value at {@code path}; for a node the file does not have (a missing key, a
   * value inside an alias), the position of the nearest enclosing node.
   */
  public Optional<SourcePosition> value(String path) {
    for (String at = path; ; at = Paths.parent(at)) {
      SourcePosition position = values.get(at);
      if (position != null || at.isEmpty()) {
        return Optional.ofNullable(position);
      }
    }
  }

  /** The position of the key of the member at {@code path}, else as {@link #value(String)}. */
  public Optional<SourcePosition> key(String path) {
    SourcePosition position = keys.get(path);
    return position != null ? Optional.of(position) : value(path);
  }

  /** Collects positions while a file is read, or discards them when none are wanted. */
  static final class Builder {
    private final @Nullable Map<String, SourcePosition> values;
    private final @Nullable Map<String, SourcePosition> keys;

    /**
     * @param textLength sizes the maps: about one node per 16 characters of a typical file
     * @param record whether to keep positions at all; when not, {@link #build()} is empty
     */
    Builder(int textLength, boolean record) {
      int capacity = (int) ((textLength / 16 + 16) / 0.75f) + 1;
      this.values = record ? new HashMap<>(capacity) : null;
      this.keys = record ? new HashMap<>(capacity) : null;
    }

    void value(String path, SourcePosition position) {
      if (values != null) {
        values.putIfAbsent(path, position);
      }
    }

    void key(String path, SourcePosition position) {
      if (keys != null) {
        keys.putIfAbsent(path, position);
      }
    }

    @Nullable SourcePosition keyAt(String path) {
      return keys == null ? null : keys.get(path);
    }

    /** The positions read; the builder must not be used afterwards (the maps are not copied). */
    SourceMap build() {
      if (values == null || keys == null) {
        return EMPTY;
      }
      return new SourceMap(Collections.unmodifiableMap(values), Collections.unmodifiableMap(keys));
    }
  }
}
