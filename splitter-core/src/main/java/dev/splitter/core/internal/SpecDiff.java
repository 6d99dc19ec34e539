package dev.splitter.core.internal;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/** Readable differences between two specs of a splitter, one line per changed field. */
@API(status = API.Status.INTERNAL)
public final class SpecDiff {
  private SpecDiff() {}

  /** What changes from {@code from} to {@code to}; empty when they are equal. */
  public static List<String> between(TrafficSplitter from, TrafficSplitter to) {
    List<String> lines = new ArrayList<>();
    field(lines, "networking.endpoint", from.networking().endpoint(), to.networking().endpoint());
    field(
        lines,
        "networking.api_gateway",
        from.networking().apiGateway().yamlName(),
        to.networking().apiGateway().yamlName());
    Map<String, TargetApi> before = byName(from);
    Map<String, TargetApi> after = byName(to);
    before.forEach(
        (name, api) -> {
          TargetApi now = after.get(name);
          if (now == null) {
            lines.add("apis[" + name + "]: removed (was " + describe(api) + ")");
          } else {
            field(lines, "apis[" + name + "].weight", api.weight(), now.weight());
            field(lines, "apis[" + name + "].shadow", api.shadow(), now.shadow());
          }
        });
    after.forEach(
        (name, api) -> {
          if (!before.containsKey(name)) {
            lines.add("apis[" + name + "]: added (" + describe(api) + ")");
          }
        });
    if (lines.isEmpty() && !from.equals(to)) {
      lines.add("apis: order changed");
    }
    return lines;
  }

  /** Every field of a splitter about to be created, as additions. */
  public static List<String> creating(TrafficSplitter splitter) {
    List<String> lines = new ArrayList<>();
    lines.add("networking.endpoint: " + splitter.networking().endpoint());
    lines.add("networking.api_gateway: " + splitter.networking().apiGateway().yamlName());
    splitter.apis().forEach(api -> lines.add("apis[" + api.name() + "]: " + describe(api)));
    return lines;
  }

  private static void field(List<String> lines, String path, Object before, Object after) {
    if (!Objects.equals(before, after)) {
      lines.add(path + ": " + before + " -> " + after);
    }
  }

  private static Map<String, TargetApi> byName(TrafficSplitter splitter) {
    Map<String, TargetApi> apis = new LinkedHashMap<>();
    splitter.apis().forEach(api -> apis.put(api.name(), api));
    return apis;
  }

  private static String describe(TargetApi api) {
    return "weight " + api.weight() + (api.shadow() ? ", shadow" : "");
  }
}
