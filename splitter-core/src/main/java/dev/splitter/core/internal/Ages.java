package dev.splitter.core.internal;

import java.time.Duration;
import java.time.Instant;
import org.apiguardian.api.API;

/** Short ages as the Cortex CLI printed them: {@code 45s}, {@code 5m}, {@code 3h}, {@code 2d}. */
@API(status = API.Status.INTERNAL)
public final class Ages {
  private Ages() {}

  /** How long before {@code now} {@code then} was, in its largest whole unit. */
  public static String since(Instant then, Instant now) {
    long seconds = Math.max(0, Duration.between(then, now).toSeconds());
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return seconds / 60 + "m";
    }
    if (seconds < 86_400) {
      return seconds / 3600 + "h";
    }
    return seconds / 86_400 + "d";
  }
}
