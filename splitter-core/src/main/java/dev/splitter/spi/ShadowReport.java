package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;
import org.apiguardian.api.API;

/**
 * How a shadow target's answers compared with the live targets' answers to the same requests, since
 * the splitter's routing object was last written. Only a source that sees both answers can say (the
 * local gateway); see {@link MetricsSource#comparesShadows}.
 *
 * <p>Every mirrored request ends in one of three counts: {@code compared} (then it agreed, or it
 * did not), {@code notCompared} (an answer over the size limit, a live answer cut short, the
 * comparer over its memory budget), or still in flight ({@code mirrored - compared - notCompared}).
 *
 * @param api the shadow target
 * @param since when counting started: the routing object's last write
 * @param mirrored copies sent to the shadow
 * @param compared pairs of answers compared
 * @param agreed compared pairs that agree: the same status class, and bodies equal within the
 *     comparison's tolerances, or differing only in fields found to be noise
 * @param statusMismatches compared pairs whose status classes differ (a failed shadow among them)
 * @param shadowFailures copies the shadow did not answer: refused, reset, timed out (as 502 or 504)
 * @param notCompared mirrored requests left uncompared, for the reasons above
 * @param fields the JSON paths where bodies differed, most often first, with array indices as
 *     {@code *}; at most the source's limit of them
 * @param liveLatency the live answers' times, over the compared pairs
 * @param shadowLatency the shadow's answers' times, over the same pairs
 * @param noisePairs requests also sent a second time to the live target, to find fields that differ
 *     between two answers of the same model (0 when that is off)
 */
@API(status = API.Status.EXPERIMENTAL)
public record ShadowReport(
    String api,
    Instant since,
    long mirrored,
    long compared,
    long agreed,
    long statusMismatches,
    long shadowFailures,
    long notCompared,
    List<FieldDifference> fields,
    LatencyDistribution liveLatency,
    LatencyDistribution shadowLatency,
    long noisePairs) {

  public ShadowReport {
    requireNonNull(api, "api");
    requireNonNull(since, "since");
    fields = List.copyOf(fields);
    requireNonNull(liveLatency, "liveLatency");
    requireNonNull(shadowLatency, "shadowLatency");
  }

  /** {@code agreed / compared}; empty before the first comparison. */
  public OptionalDouble agreement() {
    return compared == 0 ? OptionalDouble.empty() : OptionalDouble.of((double) agreed / compared);
  }

  /**
   * One JSON path where the shadow's answer differed from the live one.
   *
   * @param path a JSON Pointer (RFC 6901) with array indices as {@code *}, or {@code ""} for a body
   *     compared as bytes (or by a comparator that names no path)
   * @param count compared pairs that differed there
   * @param noiseCount noise pairs (two answers of the live target) that differed there
   * @param noise whether the live target differs from itself there about as often as from the
   *     shadow (at least half as often): such a difference does not count against agreement
   */
  public record FieldDifference(String path, long count, long noiseCount, boolean noise) {
    public FieldDifference {
      requireNonNull(path, "path");
    }
  }
}
