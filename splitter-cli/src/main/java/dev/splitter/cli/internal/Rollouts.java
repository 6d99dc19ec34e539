package dev.splitter.cli.internal;

import dev.splitter.core.Deployer;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutListener;
import dev.splitter.rollout.RolloutResult;
import dev.splitter.rollout.RolloutSpec;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** What {@code splitter rollout} asks a target for, and what it gets back: plain JSON records. */
final class Rollouts {
  private Rollouts() {}

  /**
   * A rollout to start, or (with no spec) the one in progress on the splitter to go on with: what
   * the command sends to {@code splitter serve}.
   *
   * @param start what the new rollout does; null to resume
   */
  record Request(String splitter, @Nullable RolloutSpec start) {
    static Request start(RolloutSpec spec) {
      return new Request(spec.splitter(), spec);
    }

    static Request resume(String splitter) {
      return new Request(splitter, null);
    }

    /** The rollout on {@code deployer}, telling {@code listener} each event. */
    Rollout on(Deployer deployer, RolloutListener listener) {
      Rollout.Builder rollout = Rollout.builder().deployer(deployer).listener(listener);
      return start == null
          ? rollout.splitter(splitter).resume().build()
          : rollout.spec(start).build();
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
