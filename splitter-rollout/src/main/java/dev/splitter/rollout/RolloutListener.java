package dev.splitter.rollout;

/** Hears what a rollout does, as it does it; called on the rollout's thread. */
@FunctionalInterface
public interface RolloutListener {
  void onEvent(RolloutEvent event);

  /** Hears nothing. */
  static RolloutListener none() {
    return event -> {};
  }
}
