package dev.splitter.local.internal;

import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;
import org.jspecify.annotations.Nullable;

/**
 * One deployed splitter as the gateway routes it: the spec it carries, the weighted pick over its
 * live targets, and its shadow. Immutable; replaced whole on update.
 *
 * @param spec the splitter's spec, which is also the state {@code describe} returns
 * @param lastUpdated when it was written
 * @param picker picks a target name by weight among the non-shadow targets
 * @param shadow the shadow target, if any
 */
public record Route(
    TrafficSplitter spec,
    Instant lastUpdated,
    WeightedPicker<String> picker,
    @Nullable TargetApi shadow) {

  /** The route for {@code spec}, written at {@code now}. */
  public static Route of(TrafficSplitter spec, Instant now) {
    List<TargetApi> live = spec.liveTargets();
    WeightedPicker<String> picker =
        new WeightedPicker<>(
            live.stream().map(TargetApi::name).toList(),
            live.stream().mapToInt(TargetApi::weight).toArray());
    TargetApi shadow = spec.apis().stream().filter(TargetApi::shadow).findFirst().orElse(null);
    return new Route(spec, now, picker, shadow);
  }

  /** The shadow target, when this request should be mirrored to it. */
  public Optional<TargetApi> mirrorTo(RandomGenerator random) {
    return shadow != null && random.nextInt(100) < shadow.weight()
        ? Optional.of(shadow)
        : Optional.empty();
  }
}
