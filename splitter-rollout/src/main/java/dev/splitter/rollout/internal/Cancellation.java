package dev.splitter.rollout.internal;

import dev.splitter.rollout.Sleeper;
import java.time.Duration;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * A rollout's cancellation: a flag the run checks between its writes, and a wake-up for its bake
 * time. The run's thread is interrupted only while it sleeps, under the lock that {@link #sleep}
 * takes on its way out, and that interrupt is cleared before the run goes on: the backend calls
 * that follow (the rollback's) never start on an interrupted thread. Thread-safe.
 */
@API(status = API.Status.INTERNAL)
public final class Cancellation {
  private final Object lock = new Object();
  private boolean cancelled;
  private @Nullable Thread sleeping;

  /** Asks the run to stop and restore the weights; wakes it if it is waiting out a step. */
  public void cancel() {
    synchronized (lock) {
      cancelled = true;
      if (sleeping != null) {
        sleeping.interrupt();
      }
    }
  }

  public boolean cancelled() {
    synchronized (lock) {
      return cancelled;
    }
  }

  /**
   * Waits with {@code sleeper} unless cancelled first.
   *
   * @return whether the run was cancelled, before or during the wait
   */
  public boolean sleep(Sleeper sleeper, Duration duration) {
    synchronized (lock) {
      if (cancelled) {
        return true;
      }
      sleeping = Thread.currentThread();
    }
    try {
      sleeper.sleep(duration);
    } catch (InterruptedException e) {
      // Only cancel() interrupts this thread; the flag says so below.
    } finally {
      synchronized (lock) {
        sleeping = null;
        Thread.interrupted();
      }
    }
    return cancelled();
  }
}
