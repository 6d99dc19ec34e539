package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * How a rollout ended.
 *
 * @param outcome promoted, rolled back or aborted
 * @param splitter the splitter rolled out
 * @param step the step it ended at, from 1; 0 if it ended before its first
 * @param steps how many steps it had
 * @param gate the gate that failed, when one did
 * @param observed what that gate measured
 * @param reason why it ended, in words
 * @param weights the splitter's weights as deployed at the end, by API
 */
@API(status = API.Status.EXPERIMENTAL)
public record RolloutResult(
    Outcome outcome,
    String splitter,
    int step,
    int steps,
    @Nullable Gate gate,
    @Nullable Double observed,
    String reason,
    Map<String, Integer> weights) {

  /** How a rollout ended. */
  public enum Outcome {
    /** Every step passed its gates. */
    PROMOTED,
    /** A gate failed, a step stayed inconclusive or could not be deployed; weights restored. */
    ROLLED_BACK,
    /** Stopped from outside; weights restored (by the abort, or by the interrupted rollout). */
    ABORTED
  }

  public RolloutResult {
    requireNonNull(outcome, "outcome");
    requireNonNull(splitter, "splitter");
    requireNonNull(reason, "reason");
    weights = Map.copyOf(weights);
  }

  /** Whether the candidate was promoted. */
  public boolean promoted() {
    return outcome == Outcome.PROMOTED;
  }

  @Override
  public String toString() {
    return splitter
        + ": "
        + outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
        + ": "
        + reason;
  }
}
