package dev.splitter.spi;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Counts what each target of a splitter served. Thread-safe. Best effort: when a source fails,
 * {@code get} still answers, with {@code -} for the figures and the failure as a note.
 */
@API(status = API.Status.STABLE)
public interface MetricsSource {

  /**
   * Traffic per target API over the last {@code window} (a source that cannot window counts since
   * the splitter was deployed, and says so in its documentation).
   *
   * @return metrics by API name; an API with no data may be missing
   */
  Map<String, TargetMetrics> metrics(String splitterName, List<String> apiNames, Duration window);

  /**
   * {@link #metrics}, with notes for a person: what {@code get} calls. The default has none;
   * sources whose "no data" deserves a word (no samples in the window) override it.
   */
  default MetricsReport report(String splitterName, List<String> apiNames, Duration window) {
    return MetricsReport.of(metrics(splitterName, apiNames, window));
  }

  /**
   * Traffic per target API since the splitter's routing object was written at {@code written}: what
   * {@code get}'s observed split counts, so that traffic routed by earlier weights does not count
   * against the current ones. {@code window} is the time since then, rounded up to whole seconds
   * with the second of the write whole. The default counts {@code window} (so up to the source's
   * resolution from before the write); a source that can count from the write itself (the local
   * gateway marks each write) overrides it.
   *
   * @return metrics by API name; an API with no data may be missing
   */
  default Map<String, TargetMetrics> metricsSince(
      String splitterName, List<String> apiNames, Instant written, Duration window) {
    return metrics(splitterName, apiNames, window);
  }

  /**
   * Whether this source compares a shadow's answers with the live ones ({@link #shadowReport}). The
   * local gateway does; a source that only counts (Prometheus, CloudWatch) does not, as the proxies
   * behind it (Envoy, an ALB) discard a mirror's answers, and {@code get} says so.
   */
  @API(status = API.Status.EXPERIMENTAL)
  default boolean comparesShadows() {
    return false;
  }

  /**
   * How the shadow's answers compared with the live ones since the splitter's routing object was
   * last written.
   *
   * @return empty from a source that does not compare shadows, or for a splitter it has not seen
   */
  @API(status = API.Status.EXPERIMENTAL)
  default Optional<ShadowReport> shadowReport(String splitterName, String shadowApi) {
    return Optional.empty();
  }

  /**
   * The most recent requests whose shadow answer disagreed with the live one, newest first.
   *
   * @param limit the most to return, at least 1
   * @return empty from a source that does not compare shadows
   */
  @API(status = API.Status.EXPERIMENTAL)
  default List<ShadowDifference> shadowDifferences(String splitterName, int limit) {
    return List.of();
  }

  /** A source with no data: every figure shows as {@code -}. */
  static MetricsSource none() {
    return (splitterName, apiNames, window) -> Map.of();
  }
}
