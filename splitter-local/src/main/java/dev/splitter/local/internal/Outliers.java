package dev.splitter.local.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * Which registered APIs are out of rotation, as Envoy's outlier detection does it: an API whose
 * health check fails, or whose requests fail at the gateway (refused, reset, timed out, cut short,
 * or answered 502/503/504) {@value #CONSECUTIVE_FAILURES} times in a row, gets no live traffic; its
 * share goes to the splitter's other targets in proportion. It is back once its ejection time has
 * passed and its health check passes.
 *
 * <p>Requests read {@link #ejected()}, an immutable set swapped in whole on every change, without a
 * lock. Disabled, it never ejects anything.
 */
@API(status = API.Status.INTERNAL)
public final class Outliers {
  /** Failures in a row that take an API out of rotation. */
  public static final int CONSECUTIVE_FAILURES = 5;

  private final boolean enabled;
  private final Duration ejectionTime;
  private final Clock clock;
  private final Map<String, ApiHealth> apis = new ConcurrentHashMap<>();
  private volatile Set<String> ejected = Set.of();

  public Outliers(boolean enabled, Duration ejectionTime, Clock clock) {
    this.enabled = enabled;
    this.ejectionTime = ejectionTime;
    this.clock = clock;
  }

  /** The APIs out of rotation now; the same instance until the next change. */
  public Set<String> ejected() {
    return ejected;
  }

  /** Why an API is out of rotation, for a person; empty while it is in. */
  public Optional<String> reason(String api) {
    ApiHealth health = apis.get(api);
    return health == null || !ejected.contains(api)
        ? Optional.empty()
        : Optional.ofNullable(health.reason);
  }

  /** How many times the API has been taken out of rotation since it was registered. */
  public long ejections(String api) {
    ApiHealth health = apis.get(api);
    return health == null ? 0 : health.ejections.get();
  }

  /** A request to the API got an answer the gateway relayed whole. */
  public void succeeded(String api) {
    ApiHealth health = apis.get(api);
    // Read before writing: under load every request lands here, and most find nothing to reset.
    if (health != null && health.failuresInARow.get() != 0) {
      health.failuresInARow.set(0);
    }
  }

  /** A request to the API failed at the gateway; enough in a row take it out of rotation. */
  public void failed(String api) {
    if (!enabled) {
      return;
    }
    ApiHealth health = apis.computeIfAbsent(api, name -> new ApiHealth());
    if (health.failuresInARow.incrementAndGet() == CONSECUTIVE_FAILURES) {
      synchronized (this) {
        health.ejectedUntil = clock.instant().plus(ejectionTime);
        health.reason = CONSECUTIVE_FAILURES + " requests in a row failed at " + clock.instant();
        recompute();
      }
    }
  }

  /** A health check's outcome: a failing API is out at once; a passing one may come back. */
  public void healthChecked(String api, boolean healthy) {
    if (!enabled) {
      return;
    }
    ApiHealth health = apis.computeIfAbsent(api, name -> new ApiHealth());
    synchronized (this) {
      if (!healthy && health.healthy) {
        health.reason = "its health check failed at " + clock.instant();
      }
      health.healthy = healthy;
      recompute();
    }
  }

  /** Forgets an API no longer registered. */
  public void forget(String api) {
    synchronized (this) {
      apis.remove(api);
      recompute();
    }
  }

  private void recompute() {
    Instant now = clock.instant();
    Set<String> out = new HashSet<>();
    apis.forEach(
        (name, health) -> {
          Instant until = health.ejectedUntil;
          if (until != null && !now.isBefore(until) && health.healthy) {
            health.ejectedUntil = null; // served its time and the health check passes: back in
            health.failuresInARow.set(0);
          }
          if (!health.healthy || health.ejectedUntil != null) {
            out.add(name);
          }
        });
    if (!out.equals(ejected)) {
      for (String name : out) {
        ApiHealth health = apis.get(name);
        if (!ejected.contains(name) && health != null) {
          health.ejections.incrementAndGet();
        }
      }
      ejected = Set.copyOf(out);
    }
  }

  /** One API's record; its fields change under the outer lock, the counter without one. */
  private static final class ApiHealth {
    final AtomicInteger failuresInARow = new AtomicInteger();
    final AtomicLong ejections = new AtomicLong();
    volatile boolean healthy = true;
    volatile @Nullable Instant ejectedUntil;
    volatile @Nullable String reason;
  }
}
