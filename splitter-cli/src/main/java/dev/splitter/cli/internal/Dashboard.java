package dev.splitter.cli.internal;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.splitter.core.Deployer;
import dev.splitter.core.NotDeployedException;
import dev.splitter.core.SplitterSummary;
import dev.splitter.local.LocalCluster;
import dev.splitter.rollout.RolloutListener;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * What the live dashboard of {@code splitter serve} (and of {@code splitter demo --rollout}) shows:
 * each splitter as {@code get -o json} has it, which targets the gateway has ejected, the traffic
 * per target over the last minutes, and its latest rollout. The page polls {@link #state} every
 * second. Thread-safe.
 */
final class Dashboard implements AutoCloseable {
  private final Deployer deployer;
  private final Clock clock;
  private final Supplier<Set<String>> ejected;
  private final TrafficHistory traffic;
  private final RolloutHistory rollouts;

  /**
   * @param deployer what the commands act through, and the figures {@code get} shows
   * @param gateway the local gateway: its own counters for the chart, and what it has ejected
   */
  Dashboard(Deployer deployer, LocalCluster gateway, Clock clock) {
    this.deployer = deployer;
    this.clock = clock;
    this.ejected = gateway::ejectedApis;
    this.traffic = new TrafficHistory(deployer, gateway.metrics(), clock);
    this.rollouts = new RolloutHistory(clock);
  }

  /** The deployer it reads. */
  Deployer deployer() {
    return deployer;
  }

  /** What a rollout of {@code splitter} starting now reports to, for the dashboard to show it. */
  RolloutListener rolloutListener(String splitter) {
    return rollouts.begin(splitter, deployer);
  }

  /**
   * Everything the page shows, as it stands; of the traffic, only the samples taken after {@code
   * sinceMillis} (the page keeps the ones it has: a poll a second carries a second of samples).
   */
  State state(long sinceMillis) {
    Set<String> out = ejected.get();
    List<SplitterView> splitters = new ArrayList<>();
    for (SplitterSummary summary : deployer.list()) {
      String name = summary.splitter().name();
      Views.Status status;
      try {
        status = Views.Status.of(deployer.get(name));
      } catch (NotDeployedException deletedMeanwhile) {
        continue;
      }
      splitters.add(
          new SplitterView(
              status,
              status.apis().stream().map(Views.Api::name).filter(out::contains).toList(),
              traffic.samples(name).stream().filter(sample -> sample.at() > sinceMillis).toList(),
              rollouts.view(name).orElse(null)));
    }
    return new State(clock.instant(), splitters);
  }

  /** The page's data. */
  record State(Instant now, List<SplitterView> splitters) {}

  /** One splitter: its status, ejected targets, traffic samples and latest rollout. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record SplitterView(
      Views.Status status,
      List<String> ejected,
      List<TrafficHistory.Sample> traffic,
      RolloutHistory.@Nullable View rollout) {}

  @Override
  public void close() {
    traffic.close();
  }
}
