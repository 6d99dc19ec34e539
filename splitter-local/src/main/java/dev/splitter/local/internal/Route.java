package dev.splitter.local.internal;

import dev.splitter.model.Assignment;
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
 * live targets, the bucket layout keyed requests follow, and its shadow. Replaced whole on update;
 * thread-safe.
 */
@API(status = API.Status.INTERNAL)
public final class Route {
  private final TrafficSplitter spec;
  private final Instant lastUpdated;
  private final Assignment assignment;
  // The live targets that own buckets, in file order: where a key of an ejected target goes next.
  private final List<String> owners;
  private final WeightedPicker<String> picker;
  private final @Nullable TargetApi shadow;
  private final Set<String> pinnable;
  // The picker for the latest set of ejected targets: that set changes rarely, requests often.
  private final AtomicReference<@Nullable Remaining> remaining = new AtomicReference<>();

  private Route(TrafficSplitter spec, Instant lastUpdated, Assignment assignment) {
    this.spec = spec;
    this.lastUpdated = lastUpdated;
    this.assignment = assignment;
    this.owners =
        spec.liveTargets().stream()
            .filter(api -> api.weight() > 0)
            .map(TargetApi::name)
            .distinct()
            .toList();
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

  /**
   * The route for {@code spec}, written at {@code now}, after {@code previous} (the splitter's
   * route until now, if any), whose bucket layout it carries over with the fewest keys moved.
   */
  public static Route of(TrafficSplitter spec, Instant now, @Nullable Route previous) {
    return new Route(
        spec, now, Assignment.following(previous == null ? null : previous.assignment, spec));
  }

  /** The bucket layout keyed requests follow. */
  public Assignment assignment() {
    return assignment;
  }

  /**
   * The target of a request whose key is {@code key} (the header's raw bytes): the owner of the
   * key's bucket; if that target is ejected, the next target in file order that owns buckets and is
   * not, so the key returns to its own when it is back. When every owner is ejected, the owner, as
   * {@link #pick} does.
   */
  public String keyed(byte[] key, Set<String> ejected) {
    String owner = assignment.ownerOf(assignment.bucketOf(key));
    if (ejected.isEmpty() || !ejected.contains(owner)) {
      return owner;
    }
    int at = owners.indexOf(owner);
    for (int step = 1; step < owners.size(); step++) {
      String next = owners.get((at + step) % owners.size());
      if (!ejected.contains(next)) {
        return next;
      }
    }
    return owner;
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
