package dev.splitter.local.internal;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.random.RandomGenerator;
import java.util.stream.Collectors;
import org.apiguardian.api.API;
import org.jspecify.annotations.Nullable;

/**
 * One deployed splitter as the gateway routes it: the spec it carries, the weighted pick over its
 * live targets, and its shadow. Replaced whole on update; thread-safe.
 */
@API(status = API.Status.INTERNAL)
public final class Route {
  private final TrafficSplitter spec;
  private final Instant lastUpdated;
  private final WeightedPicker<String> picker;
  private final @Nullable TargetApi shadow;
  private final Set<String> pinnable;
  // The picker for the latest set of ejected targets: that set changes rarely, requests often.
  private final AtomicReference<@Nullable Remaining> remaining = new AtomicReference<>();

  private Route(TrafficSplitter spec, Instant lastUpdated) {
    this.spec = spec;
    this.lastUpdated = lastUpdated;
    this.picker = pickerOver(spec.liveTargets());
    this.shadow = spec.apis().stream().filter(TargetApi::shadow).findFirst().orElse(null);
    this.pinnable =
        spec.apis().stream()
            .filter(api -> !api.shadow())
            .map(TargetApi::name)
            .collect(Collectors.toUnmodifiableSet());
  }

  /**
   * The target a request pinned to {@code name} goes to: that one, if it is a target and not the
   * shadow, whatever its weight; empty otherwise, for the weighted pick.
   */
  public Optional<String> pinned(@Nullable String name) {
    return name != null && pinnable.contains(name) ? Optional.of(name) : Optional.empty();
  }

  /** The route for {@code spec}, written at {@code now}. */
  public static Route of(TrafficSplitter spec, Instant now) {
    return new Route(spec, now);
  }

  /** The splitter's spec, which is also the state {@code describe} returns. */
  public TrafficSplitter spec() {
    return spec;
  }

  /** When it was written. */
  public Instant lastUpdated() {
    return lastUpdated;
  }

  /**
   * One live target, by weight, among those not {@code ejected}: an ejected target's share goes to
   * the others in proportion. When every target with weight is ejected, the split stands as
   * deployed (errors rather than nothing, as Envoy's panic threshold does). A shadow is never
   * picked.
   */
  public String pick(RandomGenerator random, Set<String> ejected) {
    String picked = picker.pick(random);
    if (ejected.isEmpty() || !ejected.contains(picked)) {
      return picked;
    }
    WeightedPicker<String> rest = pickerWithout(ejected);
    return rest == null ? picked : rest.pick(random);
  }

  /** The shadow target, when this request should be mirrored to it. */
  public Optional<TargetApi> mirrorTo(RandomGenerator random) {
    return shadow != null && random.nextInt(100) < shadow.weight()
        ? Optional.of(shadow)
        : Optional.empty();
  }

  private @Nullable WeightedPicker<String> pickerWithout(Set<String> ejected) {
    Remaining cached = remaining.get();
    if (cached != null && cached.ejected() == ejected) {
      return cached.picker();
    }
    List<TargetApi> rest =
        spec.liveTargets().stream()
            .filter(target -> !ejected.contains(target.name()) && target.weight() > 0)
            .toList();
    WeightedPicker<String> picker = rest.isEmpty() ? null : pickerOver(rest);
    remaining.set(new Remaining(ejected, picker));
    return picker;
  }

  private static WeightedPicker<String> pickerOver(List<TargetApi> targets) {
    return new WeightedPicker<>(
        targets.stream().map(TargetApi::name).toList(),
        targets.stream().mapToInt(TargetApi::weight).toArray());
  }

  /** The picker over the targets left for one set of ejected APIs (compared by identity). */
  private record Remaining(Set<String> ejected, @Nullable WeightedPicker<String> picker) {}
}
