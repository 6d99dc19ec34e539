package dev.splitter.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.Deployer;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.spi.Annotations;
import dev.splitter.spi.MetricsSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The same rollouts on every backend: the weights each step writes, the state kept on the routing
 * object itself, a rollback and an abort from another deployer. A backend's test extends it, starts
 * its backend with the APIs {@code my-api} and {@code another-my-api}, and says how to read the
 * object's annotations without splitter.
 */
public abstract class RolloutContract {
  protected static final String SPLITTER = "traffic-splitter";
  private static final Duration INTERVAL = Duration.ofMinutes(5);

  protected final MutableClock clock = new MutableClock();
  protected final ScriptedMetrics metrics = new ScriptedMetrics(clock);

  /** A new deployer on the backend under test, reading traffic from {@code source}. */
  protected abstract Deployer deployer(MetricsSource source);

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
                    .startsWith("v1 run b=my-api c=another-my-api wb=100 wc=-"));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
    assertThat(weights(deployer)).isEqualTo(Map.of("my-api", 0, "another-my-api", 100));
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
    assertThat(Rollout.inProgress(another, SPLITTER))
        .contains("another-my-api against my-api, step 2/3 (50%)");
    RolloutResult aborted = Rollout.abort(another, SPLITTER);

    assertThat(aborted.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(weights(another)).isEqualTo(Map.of("my-api", 100));
    assertThat(storedOnObject(SPLITTER)).isEmpty();
  }

  private Deployer deployed() {
    Deployer deployer = deployer(metrics);
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
