package dev.splitter.benchmarks;

import dev.splitter.core.Deployer;
import dev.splitter.local.HandClock;
import dev.splitter.local.LocalCluster;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.Gate;
import dev.splitter.rollout.Rollout;
import dev.splitter.rollout.RolloutResult;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.rollout.Sleeper;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Threshold gates against sequential gates on the same simulated traffic: thousands of real
 * rollouts ({@link Rollout} on the embedded gateway's routing, no requests sent), whose metrics
 * source draws each check's requests and 5XX answers at random from the current weights, on a clock
 * the sleeper moves. A baseline failing 0.8 % of its requests; a candidate equal to it, or three
 * times worse (2.4 %).
 *
 * <p>Usage: {@code java -cp ... dev.splitter.benchmarks.GateSimulation [rollouts] [seed]}
 */
public final class GateSimulation {
  private static final String SPLITTER = "ab";
  private static final double BASELINE_RATE = 0.008;
  private static final Duration INTERVAL = Duration.ofMinutes(5);

  private GateSimulation() {}

  public static void main(String[] args) {
    int rollouts = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    long seed = args.length > 1 ? Long.parseLong(args[1]) : 20261204L;
    System.out.printf(
        Locale.ROOT,
        "%d rollouts per row; steps 10/25/50/100%%, interval 5 min, min-requests 100,"
            + " max-inconclusive 3; baseline 0.8%% 5XX; seed %d%n%n",
        rollouts,
        seed);
    System.out.println(
        "| gate | requests per interval | checks per interval | candidate 5XX |"
            + " rolled back by the gate | rolled back, inconclusive | promoted |"
            + " candidate requests to the gate's roll-back (median, p90) | seconds |");
    System.out.println("|---|---|---|---|---|---|---|---|---|");
    Gate threshold = Gate.maxErrorRate(0.01);
    Gate sequential = Gate.errorRateVsBaseline(0.005);
    for (double candidate : new double[] {BASELINE_RATE, 3 * BASELINE_RATE}) {
      row("max-error-rate 1%", threshold, candidate, 5_000, 1, rollouts, seed);
    }
    for (double candidate : new double[] {BASELINE_RATE, 3 * BASELINE_RATE}) {
      row("max-error-rate 1%", threshold, candidate, 80_000, 1, rollouts, seed);
    }
    String name = "error-rate-vs-baseline +0.5 pts, 95%";
    for (int perInterval : new int[] {5_000, 20_000, 80_000}) {
      for (double candidate : new double[] {BASELINE_RATE, 3 * BASELINE_RATE}) {
        row(name, sequential, candidate, perInterval, 10, rollouts, seed);
      }
    }
    // Ten times the looks: the false roll-backs must not grow.
    for (double candidate : new double[] {BASELINE_RATE, 3 * BASELINE_RATE}) {
      row(name, sequential, candidate, 20_000, 100, rollouts, seed);
    }
  }

  private static void row(
      String name,
      Gate gate,
      double candidateRate,
      int perInterval,
      int checks,
      int rollouts,
      long seed) {
    long started = System.nanoTime();
    int byGate = 0;
    int inconclusive = 0;
    int promoted = 0;
    List<Long> toRollBack = new ArrayList<>();
    HandClock clock = new HandClock();
    try (LocalCluster cluster = LocalCluster.builder().clock(clock).start()) {
      cluster.registerApi("my-api", URI.create("http://127.0.0.1:9/"));
      cluster.registerApi("my-api-v2", URI.create("http://127.0.0.1:9/"));
      for (int run = 0; run < rollouts; run++) {
        Traffic traffic =
            new Traffic(clock, new SplittableRandom(seed + run), perInterval, candidateRate);
        Deployer deployer = cluster.deployerBuilder().metrics(traffic).build();
        deployer.deploy(
            SplitterConfig.of(
                new TrafficSplitter(
                    SPLITTER,
                    new Networking("/" + SPLITTER, ApiGateway.NONE),
                    List.of(new TargetApi("my-api", 100, false)))));
        traffic.deployer = deployer;
        Rollout.Builder rollout =
            Rollout.builder()
                .deployer(deployer)
                .splitter(SPLITTER)
                .candidate("my-api-v2")
                .steps(10, 25, 50, 100)
                .interval(INTERVAL)
                .gate(gate)
                .minRequests(100)
                .clock(clock)
                .sleeper(traffic);
        if (gate.sequential()) {
          rollout.checkEvery(INTERVAL.dividedBy(checks));
        }
        RolloutResult result = rollout.build().run();
        if (result.outcome() == Outcome.PROMOTED) {
          promoted++;
        } else if (result.gate() != null) {
          byGate++;
          toRollBack.add(traffic.candidateRequests);
        } else {
          inconclusive++;
        }
        deployer.delete(SPLITTER);
      }
    }
    long[] sorted = toRollBack.stream().mapToLong(Long::longValue).sorted().toArray();
    System.out.printf(
        Locale.ROOT,
        "| %s | %,d | %d | %.1f%% | %.1f%% | %.1f%% | %.1f%% | %s | %.1f |%n",
        name,
        perInterval,
        checks,
        candidateRate * 100,
        100.0 * byGate / rollouts,
        100.0 * inconclusive / rollouts,
        100.0 * promoted / rollouts,
        sorted.length == 0
            ? "-"
            : String.format(
                Locale.ROOT,
                "%,d, %,d",
                sorted[sorted.length / 2],
                sorted[(int) Math.min(sorted.length - 1, Math.floor(sorted.length * 0.9))]),
        (System.nanoTime() - started) / 1e9);
  }

  /**
   * The simulated traffic: each sleep of a check draws that check's requests by the current
   * weights, and 5XX answers at each target's rate, stamps them with the clock and moves it on.
   */
  private static final class Traffic implements MetricsSource, Sleeper {
    private final HandClock clock;
    private final SplittableRandom random;
    private final int perInterval;
    private final double candidateRate;
    private final List<Batch> batches = new ArrayList<>();
    private Deployer deployer;
    long candidateRequests;

    Traffic(HandClock clock, SplittableRandom random, int perInterval, double candidateRate) {
      this.clock = clock;
      this.random = random;
      this.perInterval = perInterval;
      this.candidateRate = candidateRate;
    }

    @Override
    public void sleep(Duration duration) {
      long requests = perInterval * duration.toNanos() / INTERVAL.toNanos();
      Map<String, Integer> weights = new LinkedHashMap<>();
      deployer
          .describe(SPLITTER)
          .spec()
          .apis()
          .forEach(api -> weights.put(api.name(), api.weight()));
      int total = weights.values().stream().mapToInt(Integer::intValue).sum();
      long toCandidate = 0;
      for (long i = 0; i < requests; i++) {
        if (random.nextInt(total) < weights.getOrDefault("my-api-v2", 0)) {
          toCandidate++;
        }
      }
      batches.add(
          new Batch(clock.instant(), "my-api-v2", toCandidate, errors(toCandidate, candidateRate)));
      batches.add(
          new Batch(
              clock.instant(),
              "my-api",
              requests - toCandidate,
              errors(requests - toCandidate, BASELINE_RATE)));
      candidateRequests += toCandidate;
      clock.advance(duration);
    }

    private long errors(long requests, double rate) {
      long errors = 0;
      for (long i = 0; i < requests; i++) {
        if (random.nextDouble() < rate) {
          errors++;
        }
      }
      return errors;
    }

    @Override
    public Map<String, TargetMetrics> metrics(
        String splitterName, List<String> apiNames, Duration window) {
      Instant from = clock.instant().minus(window);
      Map<String, TargetMetrics> metrics = new LinkedHashMap<>();
      for (String api : apiNames) {
        long requests = 0;
        long errors = 0;
        for (Batch batch : batches) {
          if (batch.api.equals(api) && !batch.at.isBefore(from)) {
            requests += batch.requests;
            errors += batch.errors;
          }
        }
        metrics.put(
            api, new TargetMetrics(requests, requests - errors, errors, Duration.ofMillis(10)));
      }
      return metrics;
    }

    private record Batch(Instant at, String api, long requests, long errors) {}
  }
}
