package dev.splitter.spi;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import org.apiguardian.api.API;

/**
 * What a {@link MetricsSource} found, and what a person should know about it.
 *
 * @param metrics by API name; an API with no data may be missing
 * @param notes what {@code get} should say under its table (no samples in the window, a query that
 *     was refused); empty when there is nothing to say
 */
@API(status = API.Status.STABLE)
public record MetricsReport(Map<String, TargetMetrics> metrics, List<String> notes) {
  public MetricsReport {
    metrics = Map.copyOf(requireNonNull(metrics, "metrics"));
    notes = List.copyOf(requireNonNull(notes, "notes"));
  }

  /** Figures with nothing to add. */
  public static MetricsReport of(Map<String, TargetMetrics> metrics) {
    return new MetricsReport(metrics, List.of());
  }
}
