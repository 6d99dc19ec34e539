package dev.splitter.local.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where two JSON documents differ: object keys in any order, arrays in order (a length that differs
 * is one difference, at the array), numbers equal within an absolute or a relative tolerance, and
 * the ignored pointers skipped with everything under them. Each difference has two names: its
 * pointer, and the same with array indices as {@code *}, under which differences are counted.
 * Immutable.
 */
final class JsonDiff {
  /** The most differences reported for one pair: enough to read, bounded work. */
  static final int MAX_DIFFERENCES = 32;

  private final double absolute;
  private final double relative;
  private final List<List<String>> ignored;

  /** One place two documents differ. */
  record Difference(String pointer, String general) {}

  JsonDiff(double absolute, double relative, List<String> ignored) {
    this.absolute = absolute;
    this.relative = relative;
    this.ignored = ignored.stream().map(JsonPointers::parse).toList();
  }

  List<Difference> differences(JsonNode live, JsonNode shadow) {
    List<Difference> found = new ArrayList<>();
    walk(live, shadow, "", "", new ArrayList<>(), found);
    return found;
  }

  private void walk(
      JsonNode live,
      JsonNode shadow,
      String pointer,
      String general,
      List<String> segments,
      List<Difference> found) {
    if (found.size() >= MAX_DIFFERENCES || isIgnored(segments)) {
      return;
    }
    if (live.isNumber() && shadow.isNumber()) {
      if (!close(live, shadow)) {
        found.add(new Difference(pointer, general));
      }
    } else if (live.isObject() && shadow.isObject()) {
      Set<String> keys = new LinkedHashSet<>();
      live.fieldNames().forEachRemaining(keys::add);
      shadow.fieldNames().forEachRemaining(keys::add);
      for (String key : keys) {
        JsonNode a = live.get(key);
        JsonNode b = shadow.get(key);
        segments.add(key);
        String childPointer = JsonPointers.append(pointer, key);
        String childGeneral = JsonPointers.append(general, key);
        if (a == null || b == null) {
          if (!isIgnored(segments) && found.size() < MAX_DIFFERENCES) {
            found.add(new Difference(childPointer, childGeneral));
          }
        } else {
          walk(a, b, childPointer, childGeneral, segments, found);
        }
        segments.remove(segments.size() - 1);
      }
    } else if (live.isArray() && shadow.isArray()) {
      if (live.size() != shadow.size()) {
        found.add(new Difference(pointer, general));
        return;
      }
      Iterator<JsonNode> a = live.elements();
      Iterator<JsonNode> b = shadow.elements();
      for (int i = 0; a.hasNext(); i++) {
        segments.add(Integer.toString(i));
        walk(a.next(), b.next(), pointer + "/" + i, general + "/*", segments, found);
        segments.remove(segments.size() - 1);
      }
    } else if (!live.equals(shadow)) {
      found.add(new Difference(pointer, general));
    }
  }

  private boolean close(JsonNode live, JsonNode shadow) {
    if (live.isIntegralNumber() && shadow.isIntegralNumber()) {
      if (live.bigIntegerValue().equals(shadow.bigIntegerValue())) {
        return true;
      }
    }
    double a = live.doubleValue();
    double b = shadow.doubleValue();
    if (a == b) {
      return true;
    }
    double gap = Math.abs(a - b);
    return gap <= absolute || gap <= relative * Math.max(Math.abs(a), Math.abs(b));
  }

  private boolean isIgnored(List<String> segments) {
    for (List<String> pattern : ignored) {
      if (matches(pattern, segments)) {
        return true;
      }
    }
    return false;
  }

  private static boolean matches(List<String> pattern, List<String> segments) {
    if (pattern.size() != segments.size()) {
      return false;
    }
    for (int i = 0; i < pattern.size(); i++) {
      String expected = pattern.get(i);
      if (!expected.equals("*") && !expected.equals(segments.get(i))) {
        return false;
      }
    }
    return true;
  }
}
