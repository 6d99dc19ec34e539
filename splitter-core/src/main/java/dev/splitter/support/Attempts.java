package dev.splitter.support;

import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * A bounded number of tries at a write that can lose a race with another writer (a taken rule
 * priority, a 409 Conflict): each attempt decides whether another one may help.
 *
 * <pre>{@code
 * Attempts.upTo(3, () -> tryCreate(), () -> calls.refuse("CreateRule", name, "always taken"));
 * }</pre>
 */
@API(status = API.Status.MAINTAINED)
public final class Attempts {
  private Attempts() {}

  /**
   * One attempt, given the state the previous one left.
   *
   * @param <S> what an attempt learns for the next one (the object as read after a conflict)
   */
  @FunctionalInterface
  public interface Attempt<S> {
    /**
     * Tries once.
     *
     * @return empty when done; else the state for another attempt
     */
    Optional<S> run(S state);
  }

  /**
   * Runs {@code done} until it returns true, at most {@code maxAttempts} times.
   *
   * @param done one attempt: true when done, false when another one may help
   * @param exhausted the failure to throw when none was done
   */
  public static void upTo(
      int maxAttempts, BooleanSupplier done, Supplier<? extends RuntimeException> exhausted) {
    upTo(
        maxAttempts,
        0,
        n -> done.getAsBoolean() ? Optional.empty() : Optional.of(n + 1),
        n -> exhausted.get());
  }

  /**
   * Runs {@code attempt} from {@code initial} until it is done, at most {@code maxAttempts} times.
   *
   * @param exhausted the failure to throw when none was done, given the last attempt's state
   */
  public static <S> void upTo(
      int maxAttempts,
      S initial,
      Attempt<S> attempt,
      Function<S, ? extends RuntimeException> exhausted) {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be >= 1, got " + maxAttempts);
    }
    S state = initial;
    for (int i = 0; i < maxAttempts; i++) {
      Optional<S> next = attempt.run(state);
      if (next.isEmpty()) {
        return;
      }
      state = next.get();
    }
    throw exhausted.apply(state);
  }
}
