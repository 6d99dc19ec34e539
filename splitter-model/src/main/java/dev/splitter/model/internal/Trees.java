package dev.splitter.model.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Converts opaque configuration trees between Jackson nodes and immutable plain Java values, with
 * numbers normalised so that a tree equals itself after a write and a read.
 */
@API(status = API.Status.INTERNAL)
public final class Trees {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(false);
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Trees() {}

  /** A deep, unmodifiable, order-keeping copy of {@code map} with normalised leaves. */
  public static Map<String, Object> immutableMap(Map<String, ?> map) {
    Map<String, @Nullable Object> copy = new LinkedHashMap<>();
    map.forEach((key, value) -> copy.put(key, immutable(value)));
    return Collections.unmodifiableMap(copy);
  }

  private static @Nullable Object immutable(@Nullable Object value) {
    if (value == null || value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, @Nullable Object> copy = new LinkedHashMap<>();
      map.forEach((key, item) -> copy.put(String.valueOf(key), immutable(item)));
      return Collections.unmodifiableMap(copy);
    }
    if (value instanceof Collection<?> list) {
      List<@Nullable Object> copy = new ArrayList<>(list.size());
      list.forEach(item -> copy.add(immutable(item)));
      return Collections.unmodifiableList(copy);
    }
    if (value instanceof BigInteger big) {
      return big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0 ? big.longValue() : big;
    }
    if (value instanceof Byte || value instanceof Short || value instanceof Integer) {
      return ((Number) value).longValue();
    }
    if (value instanceof Long) {
      return value;
    }
    if (value instanceof Float || value instanceof Double || value instanceof BigDecimal) {
      return ((Number) value).doubleValue();
    }
    throw new IllegalArgumentException(
        "unsupported value in a configuration tree: " + value.getClass().getName());
  }

  /**
   * The plain Java value of a Jackson node: maps, lists and normalised leaves. The collections are
   * mutable; pass the result through {@link #immutableMap} (as {@code RealtimeApi} does) to keep
   * it.
   */
  public static @Nullable Object fromNode(JsonNode node) {
    if (node.isObject()) {
      Map<String, @Nullable Object> map = new LinkedHashMap<>();
      node.properties().forEach(entry -> map.put(entry.getKey(), fromNode(entry.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<@Nullable Object> list = new ArrayList<>(node.size());
      node.forEach(item -> list.add(fromNode(item)));
      return list;
    }
    if (node.isNull()) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    if (node.isIntegralNumber()) {
      return immutable(node.bigIntegerValue());
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    return node.asText();
  }

  /** The Jackson node of a plain Java value made by {@link #immutableMap} or {@link #fromNode}. */
  public static JsonNode toNode(@Nullable Object value) {
    if (value == null) {
      return NODES.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode object = NODES.objectNode();
      map.forEach((key, item) -> object.set(String.valueOf(key), toNode(item)));
      return object;
    }
    if (value instanceof List<?> list) {
      ArrayNode array = NODES.arrayNode();
      list.forEach(item -> array.add(toNode(item)));
      return array;
    }
    if (value instanceof Boolean bool) {
      return NODES.booleanNode(bool);
    }
    if (value instanceof Long number) {
      return NODES.numberNode(number);
    }
    if (value instanceof BigInteger number) {
      return NODES.numberNode(number);
    }
    if (value instanceof Double number) {
      return NODES.numberNode(number);
    }
    return NODES.textNode(value.toString());
  }
}
