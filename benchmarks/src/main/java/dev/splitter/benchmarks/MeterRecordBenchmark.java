package dev.splitter.benchmarks;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the gateway's meters cost per record in a {@code PrometheusMeterRegistry}, with two threads
 * recording into the same meters as the gateway's two event loops do: the latency timer with the
 * gateway's 20 fixed buckets, the same timer without buckets, and a counter.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@Threads(2)
public class MeterRecordBenchmark {
  private Timer bucketed;
  private Timer plain;
  private Counter counter;

  @Setup
  public void setUp() {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    Duration[] bounds = new Duration[20];
    for (int i = 0; i < bounds.length; i++) {
      bounds[i] = Duration.ofNanos(100_000L << i);
    }
    bucketed = Timer.builder("bucketed").serviceLevelObjectives(bounds).register(registry);
    plain = Timer.builder("plain").register(registry);
    counter = Counter.builder("counter").register(registry);
  }

  @Benchmark
  public void timerWithBuckets() {
    bucketed.record(1_234_567, TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void timerWithoutBuckets() {
    plain.record(1_234_567, TimeUnit.NANOSECONDS);
  }

  @Benchmark
  public void counter() {
    counter.increment();
  }
}
