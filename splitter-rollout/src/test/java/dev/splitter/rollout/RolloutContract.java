package dev.splitter.rollout;

import static java.util.Objects.requireNonNull;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.Deployer;
import dev.splitter.local.HandClock;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Assignment;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RoutingBackend;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same rollouts on every backend: the weights each step writes, the state kept on the routing
 * object itself, a rollback and an abort from another deployer. A backend's test extends it, starts
 * its backend with the APIs {@code my-api} and {@code another-my-api}, and says how to read the
 * object's annotations without splitter.
 */
public abstract class RolloutContract {
  protected static final String SPLITTER = "traffic-splitter";
  private static final Duration INTERVAL = Duration.ofMinutes(5);

  protected final HandClock clock = new HandClock();
  protected final ScriptedMetrics metrics = new ScriptedMetrics(clock);

  /** A new routing backend of the kind under test, on the test's clock, onto the same objects. */
  protected abstract RoutingBackend routing();

  /** A deployer builder on {@code routing}, with the backend's catalog of Realtime APIs. */
  protected abstract Deployer.Builder deployerOn(RoutingBackend routing);

  /** A new deployer on the backend under test, reading traffic from {@code source}. */
  protected Deployer deployer(MetricsSource source) {
    return deployer(routing(), source);
  }

  private Deployer deployer(RoutingBackend routing, MetricsSource source) {
    return deployerOn(routing).metrics(source).build();
  }

  /**
   * The routing object's annotations or tags under {@link Annotations#PREFIX}, read past splitter
   * and given to {@link Annotations#readFrom}.
   */
  protected abstract Map<String, String> storedOnObject(String splitter);

  @Test
  void aHealthyCandidateIsPromotedAndItsStateLivesOnTheRoutingObjectMeanwhile() {
    Deployer deployer = deployed();
    List<Map<String, String>> statesSeen = new ArrayList<>();
    List<Map<String, Integer>> weightsSeen = new ArrayList<>();

    RolloutResult result =
        rollout(deployer, 0.0)
            .listener(
                event -> {
                  if (event.type() == RolloutEvent.Type.STEP_STARTED) {
                    statesSeen.add(storedOnObject(SPLITTER));
                    weightsSeen.add(weights(deployer));
                  }
                })
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(weightsSeen)
        .containsExactly(
            Map.of("my-api", 90, "another-my-api", 10),
            Map.of("my-api", 50, "another-my-api", 50),
            Map.of("my-api", 0, "another-my-api", 100));
    assertThat(statesSeen)
        .allSatisfy(
            state ->
                assertThat(state.get("rollout"))
                    .matches("v1 run n=[0-9a-f]{8} b=my-api c=another-my-api wb=100 wc=- .*"));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
    assertThat(weights(deployer)).isEqualTo(Map.of("my-api", 0, "another-my-api", 100));
  }

  @Test
  void keyedUsersOnlyEverMoveToTheCandidateAndARollbackReturnsThemAll() {
    Deployer deployer = deployed();
    List<@Nullable Assignment> layouts = new ArrayList<>();
    RolloutListener layoutAtEachStep =
        event -> {
          if (event.type() == RolloutEvent.Type.STEP_STARTED) {
            layouts.add(deployer.describe(SPLITTER).assignment());
          }
        };

    RolloutResult promoted =
        rollout(deployer, 0.0).steps(5, 25, 50, 100).listener(layoutAtEachStep).build().run();

    assertThat(promoted.outcome()).isEqualTo(Outcome.PROMOTED);
    if (!deployer.capabilities().assignment().usesBuckets()) {
      assertThat(layouts).hasSize(4).containsOnlyNulls();
      return;
    }
    assertThat(layouts)
        .extracting(layout -> requireNonNull(layout).shares().getOrDefault("another-my-api", 0))
        .containsExactly(500, 2500, 5000, 10_000);
    for (int step = 1; step < layouts.size(); step++) {
      Assignment before = requireNonNull(layouts.get(step - 1));
      Assignment after = requireNonNull(layouts.get(step));
      for (int bucket = 0; bucket < Assignment.BUCKETS; bucket++) {
        if (before.ownerOf(bucket).equals("another-my-api")) {
          assertThat(after.ownerOf(bucket))
              .as("bucket %d at step %d", bucket, step + 1)
              .isEqualTo("another-my-api");
        }
      }
    }

    Deployer again = deployed(deployer(metrics));
    RolloutResult rolledBack = rollout(again, 0.2).build().run();
    assertThat(rolledBack.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(requireNonNull(again.describe(SPLITTER).assignment()).encode())
        .isEqualTo("my-api=0-9999");
  }

  @Test
  void anErroringCandidateIsRolledBackToTheWeightsFromBefore() {
    Deployer deployer = deployed();

    RolloutResult result = rollout(deployer, 0.2).build().run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.step()).isEqualTo(1);
    assertThat(result.observed()).isEqualTo(0.2);
    assertThat(weights(deployer)).isEqualTo(Map.of("my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
  }

  @Test
  void aRolloutKilledMidWayIsAbortedFromAnotherDeployer() {
    Deployer deployer = deployed();
    Sleeper dies =
        duration -> {
          if (weights(deployer).getOrDefault("another-my-api", 0) == 50) {
            throw new IllegalStateException("the process died");
          }
          healthy(0.0).sleep(duration);
        };
    assertThatThrownBy(() -> rollout(deployer, 0.0).sleeper(dies).build().run())
        .hasMessage("the process died");
    assertThat(storedOnObject(SPLITTER)).containsKey("rollout");

    Deployer another = deployer(metrics);
    assertThat(Rollout.inProgress(another, SPLITTER).map(RolloutStatus::toString))
        .contains("another-my-api against my-api, step 2/3 (50%)");
    RolloutResult aborted = Rollout.abort(another, SPLITTER);

    assertThat(aborted.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(weights(another)).isEqualTo(Map.of("my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
  }

  /** The points of a step where a cancellation can land. */
  enum Point {
    BEFORE_THE_WRITE,
    AFTER_THE_WRITE,
    WHILE_BAKING
  }

  @ParameterizedTest
  @EnumSource(Point.class)
  void aCancelledRolloutRestoresTheWeightsFromBefore(Point point) {
    Meddling meddling = new Meddling(routing());
    Deployer deployer = deployed(deployer(meddling, metrics));
    AtomicReference<Rollout> running = new AtomicReference<>();
    Sleeper sleeper =
        duration -> {
          if (point == Point.WHILE_BAKING
              && Integer.valueOf(50).equals(weights(deployer).get("another-my-api"))) {
            cancelSoon(running.get());
            Thread.sleep(Duration.ofMinutes(1).toMillis()); // woken by the cancellation
          }
          healthy(0.0).sleep(duration);
        };
    Rollout rollout = rollout(deployer, 0.0).sleeper(sleeper).build();
    running.set(rollout);
    switch (point) {
      case BEFORE_THE_WRITE -> meddling.at(2, Meddling.When.BEFORE, rollout::cancel);
      case AFTER_THE_WRITE -> meddling.at(2, Meddling.When.AFTER, rollout::cancel);
      case WHILE_BAKING -> {}
    }

    RolloutResult result = rollout.run();

    assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(result.reason()).isEqualTo("cancelled");
    assertThat(result.step()).isEqualTo(2);
    assertThat(result.weights()).isEqualTo(Map.of("my-api", 100));
    assertThat(weights(deployer)).isEqualTo(Map.of("my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
  }

  @Test
  void interruptingTheThreadThatRunsARolloutAbortsItAndRestoresTheWeights() throws Exception {
    Meddling meddling = new Meddling(routing());
    Deployer deployer = deployed(deployer(meddling, metrics));
    AtomicReference<Thread> caller = new AtomicReference<>();
    AtomicBoolean interruptKept = new AtomicBoolean();
    // In the middle of the first step's write, as a Ctrl-C or a cancelled task would land.
    meddling.at(1, Meddling.When.BEFORE, () -> caller.get().interrupt());
    FutureTask<RolloutResult> run =
        new FutureTask<>(
            () -> {
              RolloutResult result =
                  rollout(deployer, 0.0).sleeper(bakesForAMinuteUnlessWoken()).build().run();
              interruptKept.set(Thread.currentThread().isInterrupted());
              return result;
            });
    Thread thread = new Thread(run, "caller");
    caller.set(thread);
    thread.start();

    RolloutResult result = run.get(2, TimeUnit.MINUTES);

    assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(result.step()).isEqualTo(1);
    assertThat(result.weights()).isEqualTo(Map.of("my-api", 100));
    assertThat(weights(deployer)).isEqualTo(Map.of("my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
    assertThat(interruptKept).isTrue();
  }

  @Test
  void ofTwoRolloutsStartedTogetherExactlyOneProceeds() throws Exception {
    Meddling meddling = new Meddling(routing());
    Deployer first = deployed(deployer(meddling, metrics));
    CountDownLatch otherWrote = new CountDownLatch(1);
    CountDownLatch firstEnded = new CountDownLatch(1);
    FutureTask<RolloutResult> other =
        new FutureTask<>(
            () ->
                rollout(deployer(metrics), 0.0)
                    .listener(event -> otherWrote.countDown())
                    .sleeper(
                        duration -> {
                          firstEnded.await();
                          healthy(0.0).sleep(duration);
                        })
                    .build()
                    .run());
    // Both have read "no rollout"; the other writes its first step before the first does.
    meddling.at(
        1,
        Meddling.When.BEFORE,
        () -> {
          new Thread(other, "other rollout").start();
          awaitQuietly(otherWrote);
        });

    assertThatThrownBy(() -> rollout(first, 0.0).build().run())
        .isInstanceOf(RolloutException.class)
        .hasMessageStartingWith("a rollout is already in progress on traffic-splitter");
    firstEnded.countDown();

    assertThat(other.get(2, TimeUnit.MINUTES).outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(weights(first)).isEqualTo(Map.of("my-api", 0, "another-my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
  }

  /** Every guarded write of a three-step rollout (the last ends it), just before and after. */
  @ParameterizedTest
  @CsvSource({"1,AFTER", "2,BEFORE", "2,AFTER", "3,BEFORE", "3,AFTER", "4,BEFORE"})
  void anAbortFromElsewhereAtAnyWriteEndsWithTheWeightsFromBefore(int write, Meddling.When when) {
    Meddling meddling = new Meddling(routing());
    Deployer deployer = deployed(deployer(meddling, metrics));
    AtomicReference<RolloutResult> abort = new AtomicReference<>();
    meddling.at(write, when, () -> abort.set(Rollout.abort(deployer(metrics), SPLITTER)));

    RolloutResult result = rollout(deployer, 0.0).build().run();

    assertThat(abort.get().outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(abort.get().weights()).isEqualTo(Map.of("my-api", 100));
    assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(result.reason()).startsWith("stopped from elsewhere");
    assertThat(result.weights()).isEqualTo(Map.of("my-api", 100));
    assertThat(weights(deployer)).isEqualTo(Map.of("my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
  }

  /** Waits a real minute, as a step's bake would, unless the rollout's cancellation wakes it. */
  private Sleeper bakesForAMinuteUnlessWoken() {
    return duration -> {
      Thread.sleep(Duration.ofMinutes(1).toMillis());
      healthy(0.0).sleep(duration);
    };
  }

  private static void cancelSoon(Rollout rollout) {
    Thread canceller =
        new Thread(
            () -> {
              try {
                Thread.sleep(100);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              rollout.cancel();
            },
            "canceller");
    canceller.start();
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      assertThat(latch.await(2, TimeUnit.MINUTES)).isTrue();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private Deployer deployed() {
    return deployed(deployer(metrics));
  }

  private Deployer deployed(Deployer deployer) {
    deployer.deploy(
        SplitterConfig.of(
            new TrafficSplitter(
                SPLITTER,
                new Networking("/" + SPLITTER, ApiGateway.NONE),
                List.of(new TargetApi("my-api", 100, false)))));
    return deployer;
  }

  private Rollout.Builder rollout(Deployer deployer, double candidateErrors) {
    return Rollout.builder()
        .deployer(deployer)
        .splitter(SPLITTER)
        .candidate("another-my-api")
        .steps(10, 50, 100)
        .interval(INTERVAL)
        .gate(Gate.maxErrorRate(0.05))
        .gate(Gate.maxLatencyRatio(1.5))
        .minRequests(50)
        .clock(clock)
        .sleeper(healthy(candidateErrors));
  }

  /** A step's traffic at the start of its interval, split as deployed; then the interval passes. */
  private Sleeper healthy(double candidateErrors) {
    return duration -> {
      metrics.served("my-api", 900, 0, Duration.ofMillis(10));
      metrics.served(
          "another-my-api", 100, Math.round(100 * candidateErrors), Duration.ofMillis(11));
      clock.advance(duration);
    };
  }

  private static Map<String, Integer> weights(Deployer deployer) {
    Map<String, Integer> weights = new LinkedHashMap<>();
    deployer.describe(SPLITTER).spec().apis().forEach(api -> weights.put(api.name(), api.weight()));
    return weights;
  }
}
