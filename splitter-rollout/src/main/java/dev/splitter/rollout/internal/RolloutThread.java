package dev.splitter.rollout.internal;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.Supplier;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Runs a rollout's work on a thread of its own and waits for it. The caller's thread may be
 * interrupted (Ctrl-C, a cancelled task): that cancels the rollout, and the caller goes on waiting
 * while the rollout restores its weights on a thread that no interrupt reached, since the AWS SDK
 * and fabric8 refuse calls on an interrupted thread.
 */
@API(status = API.Status.INTERNAL)
public final class RolloutThread {
  private RolloutThread() {}

  /**
   * Runs {@code work} and returns what it returns, or throws what it throws.
   *
   * @param splitter names the thread
   */
  public static <T> T run(String splitter, Cancellation cancellation, Supplier<T> work) {
    FutureTask<T> task = new FutureTask<>(work::get);
    Thread thread = new Thread(task, "splitter-rollout-" + splitter);
    thread.start();
    boolean interrupted = false;
    try {
      while (true) {
        try {
          return task.get();
        } catch (InterruptedException e) {
          interrupted = true;
          cancellation.cancel();
        } catch (ExecutionException e) {
          throw rethrow(e.getCause());
        }
      }
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private static RuntimeException rethrow(@Nullable Throwable cause) {
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (cause instanceof Error error) {
      throw error;
    }
    throw new IllegalStateException(cause);
  }
}
