package dev.splitter.local.internal;

import dev.splitter.model.TargetApi;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.ToDoubleFunction;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * The gateway's meters in the application's Micrometer registry; without one, every method does
 * nothing and the request path records nothing more than before. Meters of a deleted splitter, an
 * unregistered API and a closed cluster are removed from the registry. Two gateways on one registry
 * add up. Thread-safe.
 */
@API(status = API.Status.INTERNAL)
public final class GatewayMeters implements AutoCloseable {
  private final @Nullable MeterRegistry registry;
  private final Set<Meter> registered = ConcurrentHashMap.newKeySet();
  private final Map<String, Counter> keyed = new ConcurrentHashMap<>();
  private final Map<String, Counter> comparisons = new ConcurrentHashMap<>();
  private final Map<String, Map<String, AtomicInteger>> weights = new ConcurrentHashMap<>();

  public GatewayMeters(@Nullable MeterRegistry registry) {
    this.registry = registry;
  }

  /** Whether there is a registry to record in. */
  public boolean enabled() {
    return registry != null;
  }

  /** A target's meters; null without a registry. */
  @Nullable TargetMeters target(String splitter, String api) {
    MeterRegistry to = registry;
    if (to == null) {
      return null;
    }
    TargetMeters meters = new TargetMeters(to, splitter, api);
    registered.addAll(meters.meters());
    return meters;
  }

  /** A request of this splitter carried a user's key. */
  void keyed(String splitter) {
    MeterRegistry to = registry;
    if (to != null) {
      keyed
          .computeIfAbsent(
              splitter,
              name ->
                  remember(
                      Counter.builder("splitter.keyed.requests")
                          .description("Requests routed by the key they carried")
                          .tag("splitter", name)
                          .register(to)))
          .increment();
    }
  }

  /**
   * A shadow comparison ended: {@code identical}, {@code differed} (bodies), {@code
   * status_mismatch} or {@code not_compared}. Noise is judged when a report is read, so this counts
   * what each pair showed at once.
   */
  void compared(String splitter, String shadow, String result) {
    MeterRegistry to = registry;
    if (to != null) {
      comparisons
          .computeIfAbsent(
              splitter + '\u0000' + shadow + '\u0000' + result,
              key ->
                  remember(
                      Counter.builder("splitter.shadow.comparisons")
                          .description("Mirrored requests whose answers were compared, by result")
                          .tags("splitter", splitter, "api", shadow, "result", result)
                          .register(to)))
          .increment();
    }
  }

  /**
   * The splitter's weights as just written, one gauge per target; a target it no longer has leaves
   * the registry. Called under the routing's write lock.
   */
  void weights(String splitter, List<TargetApi> apis) {
    MeterRegistry to = registry;
    if (to == null) {
      return;
    }
    Map<String, AtomicInteger> gauges =
        weights.computeIfAbsent(splitter, name -> new ConcurrentHashMap<>());
    Set<String> now = apis.stream().map(TargetApi::name).collect(Collectors.toSet());
    for (String gone : List.copyOf(gauges.keySet())) {
      if (!now.contains(gone)) {
        gauges.remove(gone);
        removeWhere(
            id ->
                id.getName().equals("splitter.weight")
                    && splitter.equals(id.getTag("splitter"))
                    && gone.equals(id.getTag("api")));
      }
    }
    for (TargetApi api : apis) {
      gauges
          .computeIfAbsent(
              api.name(),
              name -> {
                AtomicInteger weight = new AtomicInteger();
                remember(
                    Gauge.builder("splitter.weight", weight, AtomicInteger::get)
                        .description(
                            "The target's weight as last written; a shadow's, the share mirrored")
                        .tags("splitter", splitter, "api", name)
                        .register(to));
                return weight;
              })
          .set(api.weight());
    }
  }

  /** Gauges of the gateway's open connections. */
  public <T> void connections(T source, ToDoubleFunction<T> clients, ToDoubleFunction<T> upstream) {
    MeterRegistry to = registry;
    if (to != null) {
      remember(
          Gauge.builder("splitter.client.connections", source, clients)
              .description("Callers connected to the gateway")
              .register(to));
      remember(
          Gauge.builder("splitter.upstream.connections", source, upstream)
              .description("Connections from the gateway to Realtime APIs, busy or kept alive")
              .register(to));
    }
  }

  /** A registered API's ejection gauge and count. */
  public void api(String name, Outliers outliers) {
    MeterRegistry to = registry;
    if (to != null) {
      remember(
          Gauge.builder("splitter.api.ejected", outliers, o -> o.ejected().contains(name) ? 1 : 0)
              .description("1 while the API is out of rotation, else 0")
              .tag("api", name)
              .register(to));
      remember(
          FunctionCounter.builder("splitter.api.ejections", outliers, o -> o.ejections(name))
              .description("Times the API was taken out of rotation")
              .tag("api", name)
              .register(to));
    }
  }

  /** Removes an unregistered API's meters. */
  public void forgetApi(String name) {
    removeWhere(id -> name.equals(id.getTag("api")) && id.getTag("splitter") == null);
  }

  /** Removes a deleted splitter's meters. */
  void forget(String splitter) {
    removeWhere(id -> splitter.equals(id.getTag("splitter")));
    keyed.remove(splitter);
    weights.remove(splitter);
    comparisons.keySet().removeIf(key -> key.startsWith(splitter + '\u0000'));
  }

  /** Removes every meter this gateway registered. */
  @Override
  public void close() {
    MeterRegistry to = registry;
    if (to != null) {
      registered.forEach(to::remove);
      registered.clear();
    }
  }

  private <M extends Meter> M remember(M meter) {
    registered.add(meter);
    return meter;
  }

  /** Removes, from the registry and from what close() removes, the meters whose id matches. */
  private void removeWhere(Predicate<Meter.Id> match) {
    MeterRegistry to = registry;
    if (to == null) {
      return;
    }
    registered.removeIf(
        meter -> {
          boolean matches = match.test(meter.getId());
          if (matches) {
            to.remove(meter);
          }
          return matches;
        });
  }
}
