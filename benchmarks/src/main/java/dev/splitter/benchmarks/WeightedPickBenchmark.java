package dev.splitter.benchmarks;

import dev.splitter.local.internal.WeightedPicker;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.random.RandomGenerator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's weighted pick (a slot table), against the simplest correct picker (a linear scan)
 * and a binary search over cumulative weights, on one thread and on two sharing the same picker
 * (run with {@code -t 2}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(1)
public class WeightedPickBenchmark {
  @Param({"2", "5", "100"})
  int targets;

  private WeightedPicker<String> picker;
  private String[] names;
  private int[] weights;
  private int[] cumulative;
  private int total;

  @Setup
  public void setUp() {
    names = new String[targets];
    weights = new int[targets];
    for (int i = 0; i < targets; i++) {
      names[i] = "api-" + i;
      weights[i] = 100 / targets + (i < 100 % targets ? 1 : 0);
      total += weights[i];
    }
    picker = new WeightedPicker<>(List.of(names), weights);
    cumulative = new int[targets];
    for (int i = 0, sum = 0; i < targets; i++) {
      sum += weights[i];
      cumulative[i] = sum;
    }
  }

  @Benchmark
  public String pick() {
    return picker.pick(ThreadLocalRandom.current());
  }

  @Benchmark
  public String linearScanPeer() {
    RandomGenerator random = ThreadLocalRandom.current();
    int draw = random.nextInt(total);
    for (int i = 0; i < weights.length; i++) {
      draw -= weights[i];
      if (draw < 0) {
        return names[i];
      }
    }
    throw new AssertionError("weights sum to " + total);
  }

  @Benchmark
  public String binarySearchPeer() {
    int draw = ThreadLocalRandom.current().nextInt(total);
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
    return names[low];
  }
}
