package dev.splitter.support;

import static java.util.Objects.requireNonNull;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * What a routing object really routes, as read from the backend: its path and its weighted
 * references (Service names, target group ARNs). {@link #applyTo} turns it back into a spec, so
 * that a weight changed by hand shows up as a difference instead of hiding behind the stored spec.
 *
 * @param endpoint the path the object matches
 * @param targets the weighted references, shadows included
 */
@API(status = API.Status.MAINTAINED)
public record LiveRoute(String endpoint, List<WeightedRef> targets) {
  public LiveRoute {
    requireNonNull(endpoint, "endpoint");
    targets = List.copyOf(requireNonNull(targets, "targets"));
  }

  /**
   * One reference the object routes to.
   *
   * @param ref what the backend names: a Service, a host, a target group ARN
   * @param weight its weight (for a shadow, the percentage mirrored)
   * @param shadow whether it receives copies instead of requests
   */
  public record WeightedRef(String ref, int weight, boolean shadow) {
    public WeightedRef {
      requireNonNull(ref, "ref");
    }
  }

  /**
   * The stored spec with what the object really routes: the live endpoint, and each stored target
   * with its live weight, in the stored order. A stored target the object no longer routes to is
   * left out; a reference no stored target resolves to is added under the reference's own name.
   * Either way the result differs from the stored spec, and the next deploy rewrites the object.
   *
   * @param refOf the reference a target API resolves to, as the backend rendered it
   */
  public TrafficSplitter applyTo(TrafficSplitter stored, Function<String, String> refOf) {
    List<WeightedRef> unclaimed = new ArrayList<>(targets);
    List<TargetApi> apis = new ArrayList<>();
    for (TargetApi api : stored.apis()) {
      String ref = refOf.apply(api.name());
      claim(unclaimed, ref, api.shadow())
          .ifPresent(live -> apis.add(new TargetApi(api.name(), live.weight(), api.shadow())));
    }
    unclaimed.forEach(live -> apis.add(new TargetApi(live.ref(), live.weight(), live.shadow())));
    return new TrafficSplitter(stored.name(), stored.networking().endpoint(endpoint), apis);
  }

  private static Optional<WeightedRef> claim(
      List<WeightedRef> unclaimed, String ref, boolean shadow) {
    for (int i = 0; i < unclaimed.size(); i++) {
      WeightedRef live = unclaimed.get(i);
      if (live.ref().equals(ref) && live.shadow() == shadow) {
        return Optional.of(unclaimed.remove(i));
      }
    }
    return Optional.empty();
  }
}
