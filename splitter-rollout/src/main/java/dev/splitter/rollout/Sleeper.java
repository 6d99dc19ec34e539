package dev.splitter.rollout;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * Waits out a rollout step's bake time. Tests inject one that sends traffic and moves a clock
 * instead of sleeping; the default sleeps.
 */
@FunctionalInterface
@API(status = API.Status.EXPERIMENTAL)
public interface Sleeper {
  /** Waits for {@code duration}; interruption aborts the rollout. */
  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps on the calling thread. */
  static Sleeper threadSleep() {
    return duration -> Thread.sleep(duration.toMillis());
  }
}
