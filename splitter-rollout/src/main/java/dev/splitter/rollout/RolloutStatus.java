package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;

import org.apiguardian.api.API;

/**
 * A rollout in progress, as its splitter's routing object keeps it ({@link Rollout#inProgress}).
 *
 * @param spec what it does; its baseline is the one it resolved when it started
 * @param step the step it has reached, from 1
 * @param rollingBack whether it failed, or was aborted, and is restoring the weights from before
 */
@API(status = API.Status.EXPERIMENTAL)
public record RolloutStatus(RolloutSpec spec, int step, boolean rollingBack) {
  public RolloutStatus {
    requireNonNull(spec, "spec");
  }

  /** The candidate's share at the step reached, in percent. */
  public int candidatePercent() {
    return spec.steps().get(step - 1);
  }

  /** In words: {@code my-api-v2 against my-api, step 2/4 (25%)}. */
  @Override
  public String toString() {
    return (rollingBack ? "rolling back " : "")
        + spec.candidate()
        + " against "
        + spec.baseline()
        + ", step "
        + step
        + "/"
        + spec.steps().size()
        + " ("
        + candidatePercent()
        + "%)";
  }
}
