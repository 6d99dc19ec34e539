package dev.splitter.cli.internal;

import dev.splitter.core.Deployer;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.rollout.RolloutResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What {@code splitter rollout} asks a target for, and what it gets back: plain JSON records. */
final class Rollouts {
  private Rollouts() {}

  /**
   * A rollout to start, or (with {@code resume}) the one in progress to go on with.
   *
   * @param interval ISO-8601, as JSON carries it
   */
  record Plan(
      String splitter,
      boolean resume,
      @Nullable String candidate,
      @Nullable String baseline,
      List<Integer> steps,
      String interval,
      @Nullable Double maxErrorRate,
      @Nullable Double maxLatencyRatio,
      long minRequests,
      int maxInconclusive) {

    /** Runs it on {@code deployer}, on this thread, telling {@code listener} each event. */
    RolloutResult run(Deployer deployer, RolloutListener listener) {
      if (resume) {
        return Rollout.builder().deployer(deployer).splitter(splitter).listener(listener).resume();
      }
      Rollout.Builder rollout =
          Rollout.builder()
              .deployer(deployer)
              .splitter(splitter)
              .candidate(java.util.Objects.requireNonNull(candidate, "candidate"))
              .steps(steps.stream().mapToInt(Integer::intValue).toArray())
              .interval(Duration.parse(interval))
              .minRequests(minRequests)
              .maxInconclusive(maxInconclusive)
              .listener(listener);
      if (baseline != null) {
        rollout.baseline(baseline);
      }
      if (maxErrorRate != null) {
        rollout.gate(Gate.maxErrorRate(maxErrorRate));
      }
      if (maxLatencyRatio != null) {
        rollout.gate(Gate.maxLatencyRatio(maxLatencyRatio));
      }
      return rollout.build().run();
    }
  }

  /**
   * How a rollout ended.
   *
   * @param outcome {@code promoted}, {@code rolled_back} or {@code aborted}
   */
  record End(String outcome, String reason, Map<String, Integer> weights) {
    static End of(RolloutResult result) {
      return new End(
          result.outcome().name().toLowerCase(java.util.Locale.ROOT),
          result.reason(),
          result.weights());
    }

    boolean promoted() {
      return outcome.equals("promoted");
    }
  }

  /** One event as the CLI prints it. */
  record Event(String type, String message) {}
}
