package dev.splitter.local.internal;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Picks one of several items at random, each with probability weight / total. Immutable and
 * thread-safe; a pick is one random draw and a binary search, O(log n), no allocation.
 *
 * @param <T> the items
 */
public final class WeightedPicker<T> {
  private final List<T> items;
  private final int[] cumulative;
  private final int total;

  /**
   * @param items the items, each with a weight at the same index
   * @param weights non-negative weights, not all zero
   */
  public WeightedPicker(List<T> items, int[] weights) {
    if (items.size() != weights.length || items.isEmpty()) {
      throw new IllegalArgumentException("need one weight per item, and at least one item");
    }
    this.items = List.copyOf(items);
    this.cumulative = new int[weights.length];
    int sum = 0;
    for (int i = 0; i < weights.length; i++) {
      if (weights[i] < 0) {
        throw new IllegalArgumentException("weights must be >= 0: " + Arrays.toString(weights));
      }
      sum += weights[i];
      cumulative[i] = sum;
    }
    if (sum == 0) {
      throw new IllegalArgumentException("weights must not all be 0");
    }
    this.total = sum;
  }

  /** One item, drawn with {@code random}. */
  public T pick(RandomGenerator random) {
    int draw = random.nextInt(total);
    // The first index whose cumulative weight exceeds the draw; zero weights are never picked.
    int low = 0;
    int high = cumulative.length - 1;
    while (low < high) {
      int middle = (low + high) >>> 1;
      if (cumulative[middle] > draw) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return items.get(low);
  }
}
