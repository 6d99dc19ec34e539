package dev.splitter.validation.internal;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.model.internal.NearestName;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The rules that span the targets of one splitter: weights, uniqueness, the single shadow, and what
 * each target names.
 */
@API(status = API.Status.INTERNAL)
public final class SplitterRules {
  private final Set<String> knownApis;
  private final Set<String> fileApis;
  private final boolean fileApisDeployable;
  private final Set<String> trafficSplitters;

  /**
   * @param knownApis Realtime APIs already deployed
   * @param fileApis Realtime APIs defined in the file
   * @param fileApisDeployable whether the file's Realtime APIs are deployed with it
   * @param trafficSplitters names of the splitters in the file, which no splitter may target
   */
  public SplitterRules(
      Set<String> knownApis,
      Set<String> fileApis,
      boolean fileApisDeployable,
      Set<String> trafficSplitters) {
    this.knownApis = knownApis;
    this.fileApis = fileApis;
    this.fileApisDeployable = fileApisDeployable;
    this.trafficSplitters = trafficSplitters;
  }

  /** Checks one splitter. */
  public void check(TrafficSplitter splitter, int index, ViolationSink sink) {
    List<TargetApi> apis = splitter.apis();
    if (apis.isEmpty()) {
      return; // reported by the field constraints
    }
    int liveWeight = splitter.liveTargets().stream().mapToInt(TargetApi::weight).sum();
    if (liveWeight != 100) {
      sink.add(
          index,
          "apis",
          "apis.weight-sum",
          "expected weights of all non-shadow apis to sum to 100 but found " + liveWeight);
    }
    Map<String, Integer> firstIndexOf = new HashMap<>();
    int firstShadow = -1;
    for (int i = 0; i < apis.size(); i++) {
      TargetApi api = apis.get(i);
      Integer first = firstIndexOf.putIfAbsent(api.name(), i);
      if (first != null && !api.name().isBlank()) {
        sink.add(
            index,
            "apis[" + i + "].name",
            "apis.duplicate",
            "api "
                + api.name()
                + " is listed twice (also at apis["
                + first
                + "]); apis must be"
                + " unique");
      }
      if (api.shadow() && firstShadow >= 0) {
        sink.add(
            index,
            "apis[" + i + "].shadow",
            "apis.multiple-shadows",
            "multiple shadow apis detected (apis["
                + firstShadow
                + "] and apis["
                + i
                + "]); only one api may be marked as a shadow");
      } else if (api.shadow()) {
        firstShadow = i;
      }
      if (first == null) {
        checkTarget(api.name(), index, "apis[" + i + "].name", sink);
      }
    }
  }

  private void checkTarget(String name, int index, String path, ViolationSink sink) {
    if (name.isBlank() || knownApis.contains(name)) {
      return;
    }
    if (fileApis.contains(name)) {
      if (!fileApisDeployable) {
        sink.add(
            index,
            path,
            "target.not-deployable",
            "api "
                + name
                + " is defined in this file but not deployed, and nothing here deploys"
                + " RealtimeAPIs; deploy it first");
      }
      return;
    }
    if (trafficSplitters.contains(name)) {
      sink.add(
          index,
          path,
          "target.not-realtime-api",
          "api " + name + " is a TrafficSplitter; a splitter can only route to RealtimeAPIs");
      return;
    }
    Set<String> candidates = new HashSet<>(knownApis);
    candidates.addAll(fileApis);
    sink.add(
        index,
        path,
        "target.unknown",
        "api "
            + name
            + " was either not found or is not a RealtimeAPI"
            + NearestName.nearest(name, candidates)
                .map(nearest -> " (did you mean " + nearest + "?)")
                .orElse("")
            + "; define it in this file or deploy it first");
  }
}
