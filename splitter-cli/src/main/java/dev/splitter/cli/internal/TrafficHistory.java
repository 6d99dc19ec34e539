package dev.splitter.cli.internal;

import dev.splitter.core.Deployer;
import dev.splitter.core.SplitterSummary;
import dev.splitter.model.TargetApi;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Each splitter's traffic per target over the last minutes, for the dashboard's chart: once a
 * second, the requests each target has served since its splitter was deployed (the local gateway's
 * counters answer a window longer than an hour with those totals) and its weight; a sample holds
 * the requests per second since the one before. A splitter deployed again from scratch counts from
 * 0, which is read as a new start rather than as negative traffic. Costs one read of the counters
 * per splitter a second, whether anyone watches or not, so that the chart has a past when opened.
 */
final class TrafficHistory implements AutoCloseable {
  static final Duration PERIOD = Duration.ofSeconds(1);

  /** Ten minutes of samples. */
  static final int KEPT = 600;

  private static final Duration SINCE_DEPLOY = Duration.ofDays(1);
  private static final Logger LOG = LoggerFactory.getLogger(TrafficHistory.class);

  private final Deployer deployer;
  private final MetricsSource counters;
  private final Clock clock;
  private final Map<String, Series> bySplitter = new ConcurrentHashMap<>();
  private final ScheduledExecutorService sampler;

  /**
   * @param deployer where the splitters and their weights are read
   * @param counters the local gateway's own counters ({@code LocalCluster.metrics()}), whatever
   *     source the deployer's {@code get} reads
   */
  TrafficHistory(Deployer deployer, MetricsSource counters, Clock clock) {
    this.deployer = deployer;
    this.counters = counters;
    this.clock = clock;
    this.sampler =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, "dashboard-sampler");
              thread.setDaemon(true);
              return thread;
            });
    sampler.scheduleWithFixedDelay(
        this::sampleQuietly, 0, PERIOD.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** One sample: when, requests per second per target, weight per target. */
  record Sample(long at, Map<String, Double> rates, Map<String, Integer> weights) {}

  /** The splitter's samples, oldest first; empty for one not seen yet. */
  List<Sample> samples(String splitter) {
    Series series = bySplitter.get(splitter);
    return series == null ? List.of() : series.samples();
  }

  private void sampleQuietly() {
    try {
      sample();
    } catch (RuntimeException e) {
      // A deleted splitter between list and read, a source that cannot answer: the next second.
      LOG.debug("dashboard sample skipped: {}", e.toString());
    }
  }

  /** Reads every splitter's totals once; what {@link #samples} returns grows by one each. */
  void sample() {
    List<SplitterSummary> splitters = deployer.list();
    bySplitter.keySet().retainAll(splitters.stream().map(s -> s.splitter().name()).toList());
    for (SplitterSummary summary : splitters) {
      String name = summary.splitter().name();
      Map<String, Integer> weights = new LinkedHashMap<>();
      for (TargetApi api : summary.splitter().apis()) {
        weights.put(api.name(), api.weight());
      }
      Map<String, TargetMetrics> totals =
          counters.metrics(name, List.copyOf(weights.keySet()), SINCE_DEPLOY);
      bySplitter.computeIfAbsent(name, key -> new Series()).add(clock.millis(), totals, weights);
    }
  }

  @Override
  public void close() {
    sampler.shutdownNow();
  }

  /** One splitter's samples and the totals the next one is measured from. */
  private static final class Series {
    private final ArrayDeque<Sample> samples = new ArrayDeque<>();
    private Map<String, Long> lastTotals = Map.of();
    private long lastAt;

    synchronized void add(
        long at, Map<String, TargetMetrics> totals, Map<String, Integer> weights) {
      Map<String, Long> now = new HashMap<>();
      totals.forEach((api, metrics) -> now.put(api, metrics.requests() + metrics.pinned()));
      if (lastAt != 0 && at > lastAt) {
        double seconds = (at - lastAt) / 1000.0;
        Map<String, Double> rates = new LinkedHashMap<>();
        for (String api : weights.keySet()) {
          long count = now.getOrDefault(api, 0L);
          long before = lastTotals.getOrDefault(api, 0L);
          rates.put(api, (count >= before ? count - before : count) / seconds);
        }
        if (samples.size() == KEPT) {
          samples.removeFirst();
        }
        samples.addLast(new Sample(at, rates, Map.copyOf(weights)));
      }
      lastTotals = now;
      lastAt = at;
    }

    synchronized List<Sample> samples() {
      return List.copyOf(samples);
    }
  }
}
