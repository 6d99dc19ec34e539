package dev.splitter.rollout;

import org.apiguardian.api.API;

/** Hears what a rollout does, as it does it; called on the rollout's thread. */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL)
public interface RolloutListener {
  void onEvent(RolloutEvent event);

  /** Hears nothing. */
  static RolloutListener none() {
    return event -> {};
  }
}
