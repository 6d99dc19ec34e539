package dev.splitter.benchmarks;

import dev.splitter.local.internal.Route;
import dev.splitter.model.TrafficSplitter;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The gateway's pick for a keyed request (hash the key with the splitter's name, find the bucket's
 * owner) against its random pick, on a route laid out afresh and on one fragmented by a history of
 * weight changes among five targets.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class KeyedPickBenchmark {
  @Param({"fresh", "fragmented"})
  String layout;

  private Route route;
  private byte[][] keys;
  private int next;

  @Setup
  public void setUp() {
    TrafficSplitter first = split(20, 20, 20, 20, 20);
    route = Route.of(first, Instant.EPOCH, null);
    if (layout.equals("fragmented")) {
      int[][] history = {{50, 10, 10, 10, 20}, {5, 40, 25, 10, 20}, {30, 5, 5, 50, 10}};
      for (int[] weights : history) {
        route = Route.of(split(weights), Instant.EPOCH, route);
      }
    }
    keys = new byte[4096][];
    for (int i = 0; i < keys.length; i++) {
      keys[i] = ("user-" + (1_000_000 + i * 7919)).getBytes(StandardCharsets.US_ASCII);
    }
  }

  private static TrafficSplitter split(int... weights) {
    TrafficSplitter.Builder builder = TrafficSplitter.builder().name("traffic-splitter");
    for (int i = 0; i < weights.length; i++) {
      builder.target("api-" + i, weights[i]);
    }
    return builder.build();
  }

  @Benchmark
  public String keyed() {
    next = (next + 1) & (keys.length - 1);
    return route.keyed(keys[next], Set.of());
  }

  @Benchmark
  public String random() {
    return route.pick(ThreadLocalRandom.current(), Set.of());
  }
}
