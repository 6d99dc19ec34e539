package dev.splitter.local.internal;

import java.util.Arrays;
import java.util.List;
import java.util.random.RandomGenerator;
import org.apiguardian.api.API;

/**
 * Picks one of several items at random, each with probability weight / total. Immutable and
 * thread-safe.
 *
 * <p>A pick is one random draw and one array read, O(1): the picker keeps one slot per unit of
 * weight, which is small because splitter weights are percentages. Measured against a linear scan
 * and a binary search over cumulative weights (see docs/benchmarks.md), both of which lose to their
 * branches.
 *
 * @param <T> the items
 */
@API(status = API.Status.INTERNAL)
public final class WeightedPicker<T> {
  /** Most units of weight one picker holds a slot for. */
  static final int MAX_TOTAL_WEIGHT = 1 << 16;

  private final Object[] slots;

  /**
   * @param items the items, each with a weight at the same index
   * @param weights non-negative weights, not all zero, summing to at most 65,536
   */
  public WeightedPicker(List<T> items, int[] weights) {
    if (items.size() != weights.length || items.isEmpty()) {
      throw new IllegalArgumentException("need one weight per item, and at least one item");
    }
    long total = 0;
    for (int weight : weights) {
      if (weight < 0) {
        throw new IllegalArgumentException("weights must be >= 0: " + Arrays.toString(weights));
      }
      total += weight;
    }
    if (total == 0) {
      throw new IllegalArgumentException("weights must not all be 0");
    }
    if (total > MAX_TOTAL_WEIGHT) {
      throw new IllegalArgumentException(
          "weights must sum to at most " + MAX_TOTAL_WEIGHT + ", got " + total);
    }
    this.slots = new Object[(int) total];
    int next = 0;
    for (int i = 0; i < weights.length; i++) {
      Arrays.fill(slots, next, next + weights[i], items.get(i));
      next += weights[i];
    }
  }

  /** One item, drawn with {@code random}. */
  @SuppressWarnings("unchecked") // every slot holds a T, filled in the constructor
  public T pick(RandomGenerator random) {
    return (T) slots[random.nextInt(slots.length)];
  }
}
