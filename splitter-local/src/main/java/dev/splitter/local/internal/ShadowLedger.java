package dev.splitter.local.internal;

import dev.splitter.spi.ShadowReport;
import dev.splitter.spi.ShadowReport.FieldDifference;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * What one shadow's comparisons came to since its splitter's route was last written. Thread-safe:
 * event loops count mirrored copies, the comparison thread the rest.
 *
 * <p>Agreement is decided when the report is read, not when a pair is compared: a pair agrees if
 * every path where it differed is noise, and which paths are noise is known only from the noise
 * pairs seen so far. So pairs are counted by the set of paths they differed at (a few distinct sets
 * in practice; beyond {@value #MAX_SIGNATURES}, a new set counts as a disagreement outright).
 */
final class ShadowLedger {
  /** The most distinct paths counted, and the most reported. */
  static final int MAX_PATHS = 256;

  static final int REPORTED_PATHS = 20;
  static final int MAX_SIGNATURES = 1024;
  static final String OTHER_PATHS = "(other paths)";

  private final String api;
  private final Instant since;
  private long mirrored;
  private long compared;
  private long identical;
  private long statusMismatches;
  private long shadowFailures;
  private long notCompared;
  private long noisePairs;
  private final Map<SortedSet<String>, Long> signatures = new HashMap<>();
  private final Map<String, long[]> paths = new HashMap<>(); // path → {count, noise count}
  private final long[] liveLatency = new long[LatencyBuckets.COUNT];
  private final long[] shadowLatency = new long[LatencyBuckets.COUNT];

  ShadowLedger(String api, Instant since) {
    this.api = api;
    this.since = since;
  }

  synchronized void mirrored() {
    mirrored++;
  }

  synchronized void notCompared() {
    notCompared++;
  }

  /**
   * One compared pair.
   *
   * @param statusMatch whether the status classes were the same
   * @param shadowFailed whether the shadow gave no answer of its own
   * @param differing where the bodies differed, as general paths; empty when they agree
   */
  synchronized void compared(
      boolean statusMatch,
      boolean shadowFailed,
      Set<String> differing,
      long liveNanos,
      long shadowNanos) {
    compared++;
    liveLatency[LatencyBuckets.index(liveNanos)]++;
    shadowLatency[LatencyBuckets.index(shadowNanos)]++;
    if (shadowFailed) {
      shadowFailures++;
    }
    if (!statusMatch) {
      statusMismatches++;
      return;
    }
    if (differing.isEmpty()) {
      identical++;
      return;
    }
    SortedSet<String> counted = new TreeSet<>();
    for (String path : differing) {
      String kept = keep(path);
      path(kept)[0]++;
      counted.add(kept);
    }
    Long seen = signatures.get(counted);
    // Past the cap, a new set of paths is not kept: its pairs stay disagreements whatever the
    // noise.
    if (seen != null || signatures.size() < MAX_SIGNATURES) {
      signatures.put(counted, seen == null ? 1 : seen + 1);
    }
  }

  /** A pair of two live answers, and where they differed. */
  synchronized void noise(Set<String> differing) {
    noisePairs++;
    Set<String> counted = new HashSet<>();
    for (String path : differing) {
      counted.add(keep(path));
    }
    counted.forEach(path -> path(path)[1]++);
  }

  /** Whether every one of these paths is, as things stand, noise. */
  synchronized boolean allNoise(Set<String> differing) {
    for (String path : differing) {
      long[] counts = paths.get(keep(path));
      if (counts == null || !isNoise(counts)) {
        return false;
      }
    }
    return true;
  }

  synchronized ShadowReport report() {
    Set<String> noise = new HashSet<>();
    paths.forEach(
        (path, counts) -> {
          if (isNoise(counts)) {
            noise.add(path);
          }
        });
    long agreed = identical;
    for (Map.Entry<SortedSet<String>, Long> signature : signatures.entrySet()) {
      if (noise.containsAll(signature.getKey())) {
        agreed += signature.getValue();
      }
    }
    List<FieldDifference> fields = new ArrayList<>();
    paths.forEach(
        (path, counts) ->
            fields.add(new FieldDifference(path, counts[0], counts[1], isNoise(counts))));
    fields.sort(
        Comparator.comparingLong(FieldDifference::count)
            .reversed()
            .thenComparing(FieldDifference::path));
    return new ShadowReport(
        api,
        since,
        mirrored,
        compared,
        agreed,
        statusMismatches,
        shadowFailures,
        notCompared,
        fields.subList(0, Math.min(REPORTED_PATHS, fields.size())),
        LatencyBuckets.distribution(liveLatency.clone()),
        LatencyBuckets.distribution(shadowLatency.clone()),
        noisePairs);
  }

  /**
   * Diffy's relative filter: the live model differs from itself at the path at least half as often
   * as the shadow differs from it there.
   */
  private boolean isNoise(long[] counts) {
    if (noisePairs == 0 || counts[1] == 0) {
      return false;
    }
    double shadowRate = compared == 0 ? 0 : (double) counts[0] / compared;
    double noiseRate = (double) counts[1] / noisePairs;
    return noiseRate >= shadowRate / 2;
  }

  private String keep(String path) {
    return paths.containsKey(path) || paths.size() < MAX_PATHS ? path : OTHER_PATHS;
  }

  private long[] path(String path) {
    return paths.computeIfAbsent(path, p -> new long[2]);
  }
}
