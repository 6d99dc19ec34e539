package dev.splitter.core;

import static java.util.Objects.requireNonNull;

import dev.splitter.core.internal.Ages;
import dev.splitter.core.internal.Tables;
import dev.splitter.model.TrafficSplitter;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * A line of {@code get} without a name: a splitter, its {@code api:weight} pairs, its age.
 *
 * @param splitter the deployed spec
 * @param lastUpdated when its routing object was last written
 */
@API(status = API.Status.STABLE)
public record SplitterSummary(TrafficSplitter splitter, Instant lastUpdated) {
  public SplitterSummary {
    requireNonNull(splitter, "splitter");
    requireNonNull(lastUpdated, "lastUpdated");
  }

  /** The targets as {@code my-api:20 another-my-api:80}; a shadow is marked {@code (shadow)}. */
  public String apis() {
    return splitter.apis().stream()
        .map(api -> api.name() + ":" + api.weight() + (api.shadow() ? " (shadow)" : ""))
        .collect(Collectors.joining(" "));
  }

  /** The table of {@code get} without a name, with ages counted to {@code now}. */
  public static String toTable(List<SplitterSummary> summaries, Instant now) {
    return Tables.render(
        List.of("traffic splitter", "apis", "last update"),
        summaries.stream()
            .map(
                summary ->
                    List.of(
                        summary.splitter().name(),
                        summary.apis(),
                        Ages.since(summary.lastUpdated(), now)))
            .toList());
  }
}
