package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;

import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One thing a rollout did.
 *
 * @param type what happened
 * @param splitter the splitter rolled out
 * @param step the step it happened at, from 1; 0 before the first
 * @param steps how many steps the rollout has
 * @param candidatePercent the candidate's share of the baseline's and candidate's weight at that
 *     step
 * @param gate the gate evaluated, for {@link Type#GATE_EVALUATED}
 * @param value what the gate measured, for {@link Type#GATE_EVALUATED}
 * @param message the event in words, what the CLI prints
 */
@API(status = API.Status.EXPERIMENTAL)
public record RolloutEvent(
    Type type,
    String splitter,
    int step,
    int steps,
    int candidatePercent,
    @Nullable Gate gate,
    @Nullable Double value,
    String message) {

  /** What happened. */
  public enum Type {
    /** A step's weights were deployed; its bake time starts. */
    STEP_STARTED,
    /** A gate measured the step's traffic and passed or failed. */
    GATE_EVALUATED,
    /** The step's traffic could not tell (too few requests, no metrics): it waits longer. */
    INCONCLUSIVE,
    /** Every step passed; the last step's weights stay. */
    PROMOTED,
    /** A gate failed, or the step stayed inconclusive: the weights from before are back. */
    ROLLED_BACK,
    /** Stopped by {@code abort}, an interrupt or a deleted splitter. */
    ABORTED
  }

  public RolloutEvent {
    requireNonNull(type, "type");
    requireNonNull(splitter, "splitter");
    requireNonNull(message, "message");
  }

  /** Whether a gate was evaluated and passed. */
  public boolean passed() {
    return type == Type.GATE_EVALUATED
        && gate != null
        && value != null
        && gate.passes(value.doubleValue());
  }

  @Override
  public String toString() {
    return message;
  }
}
