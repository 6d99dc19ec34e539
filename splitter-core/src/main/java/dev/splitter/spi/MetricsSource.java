package dev.splitter.spi;

import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  /** A source with no data: every figure shows as {@code -}. */
  static MetricsSource none() {
    return (splitterName, apiNames, window) -> Map.of();
  }
}
