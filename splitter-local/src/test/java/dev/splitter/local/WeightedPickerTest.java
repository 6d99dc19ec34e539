package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.local.internal.WeightedPicker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class WeightedPickerTest {

  @Test
  void picksInProportionToWeightAndNeverPicksAZeroWeight() {
    WeightedPicker<String> picker =
        new WeightedPicker<>(List.of("a", "zero", "b", "c"), new int[] {50, 0, 30, 20});
    SplittableRandom random = new SplittableRandom(1);
    Map<String, Integer> counts = new HashMap<>();

    for (int i = 0; i < 100_000; i++) {
      counts.merge(picker.pick(random), 1, Integer::sum);
    }

    assertThat(counts).doesNotContainKey("zero");
    assertThat(counts.get("a")).isBetween(49_000, 51_000);
    assertThat(counts.get("b")).isBetween(29_000, 31_000);
    assertThat(counts.get("c")).isBetween(19_000, 21_000);
  }

  @Test
  void theSameSeedGivesTheSamePicks() {
    WeightedPicker<String> picker = new WeightedPicker<>(List.of("a", "b"), new int[] {80, 20});
    SplittableRandom first = new SplittableRandom(42);
    SplittableRandom second = new SplittableRandom(42);

    for (int i = 0; i < 1_000; i++) {
      assertThat(picker.pick(first)).isEqualTo(picker.pick(second));
    }
  }

  @Test
  void aSingleTargetIsAlwaysPicked() {
    WeightedPicker<String> picker = new WeightedPicker<>(List.of("only"), new int[] {100});

    assertThat(picker.pick(new SplittableRandom(3))).isEqualTo("only");
  }

  @Test
  void badWeightsAreRejected() {
    assertThatThrownBy(() -> new WeightedPicker<>(List.of("a"), new int[] {0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights must not all be 0");
    assertThatThrownBy(() -> new WeightedPicker<>(List.of("a", "b"), new int[] {101, -1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights must be >= 0: [101, -1]");
    assertThatThrownBy(() -> new WeightedPicker<>(List.of("a"), new int[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new WeightedPicker<>(List.of("a", "b"), new int[] {65_536, 1}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("weights must sum to at most 65536, got 65537");
  }
}
