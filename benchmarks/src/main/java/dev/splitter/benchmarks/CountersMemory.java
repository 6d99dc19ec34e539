package dev.splitter.benchmarks;

import dev.splitter.local.HandClock;
import dev.splitter.local.internal.TargetCounters;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Heap held by the local gateway's per-target counters: 1,000 splitters of two targets, each target
 * receiving a request every second of the retained hour (a clock moved by hand stands in for it),
 * measured after a full GC, for the current counters and the per-second design they replaced.
 *
 * <p>Usage: {@code java -cp ... dev.splitter.benchmarks.CountersMemory [targets]}
 */
public final class CountersMemory {
  private CountersMemory() {}

  /** A target's counters, whichever design. */
  interface Counter {
    void served();
  }

  public static void main(String[] args) {
    int targets = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
    measure(
        "TargetCounters (rings: 60 x 1 s, 60 x 10 s, 60 x 1 min)",
        targets,
        clock -> {
          TargetCounters counters = new TargetCounters(clock);
          return () -> {
            counters.requested();
            counters.answered(200, 1_000_000);
          };
        });
    measure(
        "PerSecondCounters (3,600 x 1 s of LongAdders, before)",
        targets,
        clock -> {
          PerSecondCounters counters = new PerSecondCounters(clock);
          return () -> {
            counters.requested();
            counters.answered(200, 1_000_000);
          };
        });
  }

  private static void measure(String name, int targets, Function<Clock, Counter> design) {
    HandClock clock = new HandClock();
    long before = usedAfterGc();
    List<Counter> counters = new ArrayList<>();
    for (int i = 0; i < targets; i++) {
      counters.add(design.apply(clock));
    }
    for (int second = 0; second < 3_600; second++) {
      counters.forEach(Counter::served);
      clock.advance(Duration.ofSeconds(1));
    }
    long used = usedAfterGc() - before;
    System.out.printf(
        Locale.ROOT,
        "%s: %d targets, %.1f MiB after GC, %.1f KiB per target%n",
        name,
        counters.size(),
        used / 1048576.0,
        used / 1024.0 / targets);
  }

  private static long usedAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
