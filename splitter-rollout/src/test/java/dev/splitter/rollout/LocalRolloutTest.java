package dev.splitter.rollout;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.Deployer;
import dev.splitter.local.HandClock;
import dev.splitter.local.LocalCluster;
import dev.splitter.local.SampleApi;
import dev.splitter.local.ShadowComparison;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.rollout.RolloutResult.Outcome;
import dev.splitter.spi.AssignmentMode;
import dev.splitter.spi.BackendCapabilities;
import dev.splitter.spi.DeployedSplitter;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.RoutingBackend;
import dev.splitter.spi.ShadowReport;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Rollouts on the embedded gateway: real requests over loopback, counted by the gateway per second
 * of a clock the test moves, so no test sleeps through an interval.
 */
@Timeout(120)
class LocalRolloutTest {
  private static final String SPLITTER = "traffic-splitter";
  private static final Duration INTERVAL = Duration.ofMinutes(5);

  private final HandClock clock = new HandClock();
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final List<AutoCloseable> opened = new ArrayList<>();
  private final List<RolloutEvent> events = new CopyOnWriteArrayList<>();
  private LocalCluster cluster;
  private Deployer deployer;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().clock(clock).start();
    deployer = cluster.deployer();
  }

  @AfterEach
  void stop() throws Exception {
    for (AutoCloseable resource : opened) {
      resource.close();
    }
    cluster.close();
  }

  @Test
  void healthyCandidateReachesOneHundred() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));

    RolloutResult result =
        rollout(200)
            .gate(Gate.maxErrorRate(0.01))
            .gate(Gate.maxLatencyRatio(20))
            .minRequests(5)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(weights()).containsExactly(Map.entry("my-api", 0), Map.entry("my-api-v2", 100));
    assertThat(events)
        .extracting(RolloutEvent::type)
        .containsSubsequence(
            RolloutEvent.Type.STEP_STARTED,
            RolloutEvent.Type.GATE_EVALUATED,
            RolloutEvent.Type.STEP_STARTED,
            RolloutEvent.Type.PROMOTED);
    assertThat(events.stream().filter(event -> event.type() == RolloutEvent.Type.STEP_STARTED))
        .extracting(RolloutEvent::candidatePercent)
        .containsExactly(5, 25, 50, 100);
    assertThat(Rollout.inProgress(deployer, SPLITTER)).isEmpty();
    assertThat(deployer.annotations(SPLITTER)).isEmpty();
  }

  @Test
  void aCandidateThatAgreesAsTheShadowGoesLive() {
    comparingShadows();
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));
    List<Map<String, Integer>> answeredAtEachStep = new ArrayList<>();

    RolloutResult result =
        rollout(0)
            .sleeper(settledTraffic(400, answeredAtEachStep))
            .gate(Gate.minShadowAgreement(0.99))
            .gate(Gate.maxErrorRate(0.01))
            .minRequests(10)
            .build()
            .run();

    assertThat(result.outcome()).as(result.reason()).isEqualTo(Outcome.PROMOTED);
    assertThat(result.steps()).isEqualTo(5);
    assertThat(weights()).containsExactly(Map.entry("my-api", 0), Map.entry("my-api-v2", 100));
    assertThat(events.stream().filter(event -> event.type() == RolloutEvent.Type.STEP_STARTED))
        .extracting(RolloutEvent::candidatePercent)
        .containsExactly(0, 5, 25, 50, 100);
    assertThat(events.get(0).message())
        .isEqualTo("step 1/5: my-api-v2 as the shadow, on a copy of every request (my-api 100)");
    assertThat(events)
        .anySatisfy(
            event ->
                assertThat(event.message())
                    .isEqualTo(
                        "step 1/5: min-shadow-agreement 100.00% >= 99.00% of 400 compared:"
                            + " pass"));
    // In the shadow step every caller got the baseline's answer; the candidate's were compared
    // only.
    assertThat(answeredAtEachStep.get(0)).containsExactly(Map.entry("my-api", 400));
  }

  @Test
  void aCandidateThatDisagreesAsTheShadowNeverTakesALiveRequest() {
    comparingShadows();
    api(SampleApi.start("my-api"));
    api(SampleApi.builder("my-api-v2").disagreement(0.2).start());
    deploy(target("my-api", 100));
    List<Map<String, Integer>> answered = new ArrayList<>();

    RolloutResult result =
        rollout(0)
            .sleeper(settledTraffic(400, answered))
            .gate(Gate.minShadowAgreement(0.99))
            .minRequests(50)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.gate()).isEqualTo(Gate.minShadowAgreement(0.99));
    assertThat(result.observed()).isBetween(0.7, 0.9);
    assertThat(result.reason())
        .startsWith("min-shadow-agreement ")
        .endsWith(" < 99.00% of 400 compared");
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
    assertThat(answered).containsExactly(Map.of("my-api", 400));
  }

  @Test
  void aShadowStepIsRefusedWhereTheSplitterHasAnotherShadow() {
    comparingShadows();
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    api(SampleApi.start("mirror"));
    deploy(target("my-api", 100), new TargetApi("mirror", 10, true));

    assertThatThrownBy(() -> rollout(10).gate(Gate.minShadowAgreement(0.99)).build().run())
        .isInstanceOf(RolloutException.class)
        .hasMessage(
            "cannot roll out my-api-v2 on traffic-splitter: traffic-splitter already mirrors to"
                + " mirror, and the shadow step needs the shadow's place; remove it first");
    assertThat(deployer.annotations(SPLITTER)).isEmpty();
  }

  @Test
  void aKeyedUserWhoReachedTheCandidateNeverLeavesIt() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));
    Set<String> onCandidate = new HashSet<>();
    List<Integer> candidateKeysAtEachStep = new ArrayList<>();
    Sleeper keyedTraffic =
        duration -> {
          Map<String, String> targets = sendKeyed(2_000);
          assertThat(onCandidate)
              .as("keys that reached the candidate at an earlier step")
              .allSatisfy(key -> assertThat(targets.get(key)).isEqualTo("my-api-v2"));
          targets.forEach(
              (key, target) -> {
                if (target.equals("my-api-v2")) {
                  onCandidate.add(key);
                }
              });
          candidateKeysAtEachStep.add(onCandidate.size());
          clock.advance(duration);
        };

    RolloutResult result =
        rollout(0).sleeper(keyedTraffic).gate(Gate.maxErrorRate(0.01)).minRequests(5).build().run();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(candidateKeysAtEachStep).hasSize(4).isSorted().last().isEqualTo(2_000);
    assertThat(candidateKeysAtEachStep.get(0)).isBetween(40, 170); // 5 % of 2,000 keys
  }

  @Test
  void candidateFailingOneInFiveIsRolledBackAtTheFirstStep() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("other"));
    api(SampleApi.builder("my-api-v2").failureRate(0.2).start());
    deploy(target("my-api", 70), target("other", 30));

    RolloutResult result =
        rollout(400)
            .baseline("my-api")
            .steps(10, 50, 100)
            .gate(Gate.maxErrorRate(0.01))
            .minRequests(20)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.step()).isEqualTo(1);
    assertThat(result.gate()).isEqualTo(Gate.maxErrorRate(0.01));
    assertThat(result.observed()).isBetween(0.05, 0.5);
    // Read back from the gateway: the candidate is gone again, the others as before.
    assertThat(weights()).containsExactly(Map.entry("my-api", 70), Map.entry("other", 30));
    Map<String, Integer> answeredBy = send(200);
    assertThat(answeredBy).doesNotContainKey("my-api-v2");
    assertThat(deployer.annotations(SPLITTER)).isEmpty();
  }

  @Test
  void slowCandidateFailsTheLatencyGate() {
    api(SampleApi.start("my-api"));
    api(SampleApi.builder("my-api-v2").latency(Duration.ofMillis(40)).start());
    deploy(target("my-api", 100));

    RolloutResult result =
        rollout(100)
            .steps(50, 100)
            .gate(Gate.maxErrorRate(0.01))
            .gate(Gate.maxLatencyRatio(2))
            .minRequests(10)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.gate()).isEqualTo(Gate.maxLatencyRatio(2));
    assertThat(result.observed()).isGreaterThan(2);
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
  }

  @Test
  void noTrafficIsInconclusiveAndNeverPromoted() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));

    RolloutResult result =
        rollout(0).gate(Gate.maxErrorRate(0.01)).maxInconclusive(2).build().run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.reason()).contains("inconclusive after 3 intervals", "served 0 requests");
    assertThat(events)
        .filteredOn(event -> event.type() == RolloutEvent.Type.INCONCLUSIVE)
        .hasSize(2);
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
  }

  @Test
  void pinnedRequestsAreNotTheSplitAndNeverLetAStepPass() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));
    Sleeper onlyPinned =
        duration -> {
          send(100, "my-api-v2");
          clock.advance(duration);
        };

    RolloutResult result =
        rollout(0)
            .sleeper(onlyPinned)
            .gate(Gate.maxErrorRate(0.01))
            .minRequests(50)
            .maxInconclusive(1)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.reason()).contains("served 0 requests");
    assertThat(deployer.get(SPLITTER).targets())
        .filteredOn(target -> target.api().name().equals("my-api"))
        .singleElement()
        .satisfies(target -> assertThat(target.metrics().requests()).isZero());
    send(10, "my-api");
    assertThat(deployer.get(SPLITTER).toTable(clock.instant()))
        .contains("5XX   pinned")
        .containsPattern("my-api +100 +live .* 10\n");
  }

  @Test
  void aMetricsSourceThatCannotAnswerNeverLetsAStepPass() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    Deployer blind =
        cluster
            .deployerBuilder()
            .metrics(
                (MetricsSource)
                    (splitter, apis, window) -> {
                      throw new IllegalStateException("Prometheus is down");
                    })
            .build();
    deploy(target("my-api", 100));

    RolloutResult result =
        Rollout.builder()
            .deployer(blind)
            .splitter(SPLITTER)
            .candidate("my-api-v2")
            .clock(clock)
            .sleeper(traffic(50))
            .maxInconclusive(1)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.reason()).contains("could not answer", "Prometheus is down");
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
  }

  @Test
  void aRolloutKilledMidWayIsAbortedAndTheWeightsComeBack() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 60), target("my-api-v2", 40));

    Sleeper dies = diesAtStep(2);
    assertThatThrownBy(() -> rollout(100).sleeper(dies).minRequests(5).build().run())
        .hasMessage("the process died");
    assertThat(weights()).containsExactly(Map.entry("my-api", 75), Map.entry("my-api-v2", 25));
    assertThat(Rollout.inProgress(deployer, SPLITTER).map(RolloutStatus::toString))
        .contains("my-api-v2 against my-api, step 2/4 (25%)");
    assertThat(Rollout.inProgress(deployer, SPLITTER))
        .hasValueSatisfying(
            status -> {
              assertThat(status.step()).isEqualTo(2);
              assertThat(status.spec().candidate()).isEqualTo("my-api-v2");
              assertThat(status.spec().steps()).containsExactly(5, 25, 50, 100);
            });
    assertThatThrownBy(() -> rollout(100).build().run())
        .isInstanceOf(RolloutException.class)
        .hasMessageContaining("already in progress");

    RolloutResult aborted = Rollout.abort(deployer, SPLITTER);

    assertThat(aborted.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(weights()).containsExactly(Map.entry("my-api", 60), Map.entry("my-api-v2", 40));
    assertThat(deployer.annotations(SPLITTER)).isEmpty();
    assertThatThrownBy(() -> Rollout.abort(deployer, SPLITTER))
        .isInstanceOf(RolloutException.class)
        .hasMessageContaining("no rollout is in progress");
  }

  @Test
  void aBackendThatKeepsNoAnnotationsIsRefusedBeforeAnythingIsWritten() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));
    RoutingBackend local = cluster.routing();
    RoutingBackend plain =
        new RoutingBackend() {
          @Override
          public BackendCapabilities capabilities() {
            return BackendCapabilities.builder("plain").build();
          }

          @Override
          public void apply(TrafficSplitter splitter) {
            local.apply(splitter);
          }

          @Override
          public Optional<DeployedSplitter> describe(String name) {
            return local.describe(name);
          }

          @Override
          public List<DeployedSplitter> list() {
            return local.list();
          }

          @Override
          public boolean delete(String name) {
            return local.delete(name);
          }
        };
    Deployer onPlain = cluster.deployerBuilder().routing(plain).build();

    assertThatThrownBy(
            () ->
                Rollout.builder()
                    .deployer(onPlain)
                    .splitter(SPLITTER)
                    .candidate("my-api-v2")
                    .build()
                    .run())
        .isInstanceOf(RolloutException.class)
        .hasMessage(
            "cannot roll out on traffic-splitter: the plain backend keeps no annotations, where a"
                + " rollout keeps its state");
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
  }

  @Test
  void aResumedRolloutTakesNoStepsOfItsOwn() {
    assertThatThrownBy(
            () ->
                Rollout.builder()
                    .deployer(deployer)
                    .splitter(SPLITTER)
                    .steps(50, 100)
                    .resume()
                    .build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("resume() goes on with the stored rollout, whose steps cannot be set");
  }

  @Test
  void aRolloutKilledMidWayIsResumedFromItsStep() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));
    assertThatThrownBy(() -> rollout(100).sleeper(diesAtStep(3)).minRequests(5).build().run())
        .hasMessage("the process died");
    events.clear();

    RolloutResult result =
        Rollout.builder()
            .deployer(deployer)
            .splitter(SPLITTER)
            .clock(clock)
            .sleeper(traffic(100))
            .listener(events::add)
            .resume()
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(events.stream().filter(event -> event.type() == RolloutEvent.Type.STEP_STARTED))
        .extracting(RolloutEvent::candidatePercent)
        .containsExactly(50, 100);
    assertThat(weights()).containsExactly(Map.entry("my-api", 0), Map.entry("my-api-v2", 100));
  }

  @Test
  void anAbortFromElsewhereStopsARunningRolloutWithoutItWritingAgain() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));
    Deployer elsewhere = cluster.deployer();
    Sleeper sendsThenAborts =
        duration -> {
          traffic(100).sleep(duration);
          if (stepStarted() == 2) {
            Rollout.abort(elsewhere, SPLITTER);
          }
        };

    RolloutResult result = rollout(100).sleeper(sendsThenAborts).minRequests(5).build().run();

    assertThat(result.outcome()).isEqualTo(Outcome.ABORTED);
    assertThat(result.reason()).contains("stopped from elsewhere");
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
    assertThat(deployer.annotations(SPLITTER)).isEmpty();
  }

  @Test
  void stepsThatDoNotFitAreRefusedBeforeAnythingIsWritten() {
    api(SampleApi.start("my-api"));
    api(SampleApi.start("other"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 20), target("other", 80));

    assertThatThrownBy(() -> rollout(0).baseline("my-api").steps(3, 50, 100).build().run())
        .isInstanceOf(RolloutException.class)
        .hasMessageContaining("step 3% of the 20 weight my-api and my-api-v2 share")
        .hasMessageContaining("multiples of 5%");
    assertThatThrownBy(() -> rollout(0).steps(50, 100).build().run())
        .isInstanceOf(RolloutException.class)
        .hasMessageContaining("name the baseline");
    assertThatThrownBy(() -> rollout(0).baseline("nobody").build().run())
        .isInstanceOf(RolloutException.class)
        .hasMessageContaining("nobody is not a target");
    assertThatThrownBy(() -> rollout(0).steps(50, 40).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must rise");
    assertThatThrownBy(() -> rollout(0).steps(100).gate(Gate.maxLatencyRatio(1.2)).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("add an earlier step");
    // A candidate the catalog does not know fails the deploy's own validation, before any write.
    assertThatThrownBy(() -> rollout(0).candidate("unknown-api").baseline("my-api").build().run())
        .isInstanceOf(dev.splitter.InvalidConfigException.class);

    assertThat(weights()).containsExactly(Map.entry("my-api", 20), Map.entry("other", 80));
    assertThat(deployer.annotations(SPLITTER)).isEmpty();
    assertThat(events).isEmpty();
  }

  @Test
  void aThreeTimesWorseCandidateIsRolledBackMidStepByTheSequentialErrorGate() {
    api(SampleApi.builder("my-api").failureRate(0.02).start());
    api(SampleApi.builder("my-api-v2").failureRate(0.06).start());
    deploy(target("my-api", 100));

    // 600 requests a check, ten checks an interval: rolled back at a check, before the last.
    RolloutResult result =
        rollout(600)
            .steps(50, 100)
            .checkEvery(INTERVAL.dividedBy(10))
            .gate(Gate.errorRateVsBaseline(0.005))
            .minRequests(100)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.step()).isEqualTo(1);
    assertThat(result.gate()).isEqualTo(Gate.errorRateVsBaseline(0.005));
    assertThat(result.observed()).isBetween(0.01, 0.08);
    assertThat(result.reason()).contains("error-rate-vs-baseline", "> +0.50%", "95% confidence");
    // Mid-step: fewer checks than the interval has.
    assertThat(clock.instant()).isBefore(HandClock.START.plus(INTERVAL));
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
  }

  @Test
  void anEqualCandidateIsPromotedItsLastStepComparedWithTheBaselinesEarlierTraffic() {
    api(SampleApi.builder("my-api").failureRate(0.01).start());
    api(SampleApi.builder("my-api-v2").failureRate(0.01).start());
    deploy(target("my-api", 100));

    RolloutResult result =
        rollout(600)
            .steps(50, 100)
            .checkEvery(INTERVAL.dividedBy(5))
            .gate(Gate.errorRateVsBaseline(0.02))
            .minRequests(100)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.PROMOTED);
    assertThat(weights()).containsExactly(Map.entry("my-api", 0), Map.entry("my-api-v2", 100));
    assertThat(events)
        .filteredOn(event -> event.type() == RolloutEvent.Type.GATE_EVALUATED)
        .extracting(RolloutEvent::message)
        .hasSize(2)
        .allSatisfy(message -> assertThat(message).contains("<= +2.00%", ": pass"));
    // A step ends once its interval has baked, not before.
    assertThat(clock.instant()).isAfterOrEqualTo(HandClock.START.plus(INTERVAL.multipliedBy(2)));
  }

  @Test
  void aSlowCandidateFailsTheSequentialLatencyGateMidStep() {
    api(SampleApi.start("my-api"));
    api(SampleApi.builder("my-api-v2").latency(Duration.ofMillis(20)).start());
    deploy(target("my-api", 100));

    RolloutResult result =
        rollout(100)
            .steps(50, 100)
            .gate(Gate.latencyVsBaseline(0.5, 2))
            .minRequests(20)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.gate()).isEqualTo(Gate.latencyVsBaseline(0.5, 2));
    assertThat(result.reason()).startsWith("latency-vs-baseline p50 ");
    assertThat(result.observed()).isGreaterThan(2);
    assertThat(clock.instant()).isBefore(HandClock.START.plus(INTERVAL));
  }

  @Test
  void aSequentialGateStillUndecidedWhenItsIntervalsRunOutRollsBackAsInconclusive() {
    // Neither fails (no chance in it): a tenth of a point is too fine to show on this traffic.
    api(SampleApi.start("my-api"));
    api(SampleApi.start("my-api-v2"));
    deploy(target("my-api", 100));

    RolloutResult result =
        rollout(40)
            .steps(50, 100)
            .gate(Gate.errorRateVsBaseline(0.001))
            .minRequests(10)
            .maxInconclusive(1)
            .build()
            .run();

    assertThat(result.outcome()).isEqualTo(Outcome.ROLLED_BACK);
    assertThat(result.gate()).isNull();
    assertThat(result.reason()).contains("inconclusive after 2 intervals", "not decided yet");
    assertThat(events)
        .filteredOn(event -> event.type() == RolloutEvent.Type.INCONCLUSIVE)
        .hasSize(1);
    assertThat(weights()).containsExactly(Map.entry("my-api", 100));
  }

  private Rollout.Builder rollout(int requestsPerInterval) {
    return Rollout.builder()
        .deployer(deployer)
        .splitter(SPLITTER)
        .candidate("my-api-v2")
        .steps(5, 25, 50, 100)
        .interval(INTERVAL)
        .clock(clock)
        .sleeper(traffic(requestsPerInterval))
        .listener(events::add);
  }

  /** Sends requests at the step's start, then moves the clock to its end. */
  private Sleeper traffic(int requests) {
    return duration -> {
      send(requests);
      clock.advance(duration);
    };
  }

  /**
   * A gateway whose comparisons ignore the sample APIs' own names, in place of the test's default
   * one.
   */
  private void comparingShadows() {
    cluster.close();
    cluster =
        LocalCluster.builder()
            .clock(clock)
            .shadowComparison(ShadowComparison.builder().ignore("/api").build())
            .start();
    deployer = cluster.deployer();
  }

  /**
   * Sends requests at the step's start and waits until the gateway has compared every shadow copy,
   * then moves the clock to the step's end; records who answered.
   */
  private Sleeper settledTraffic(int requests, List<Map<String, Integer>> answered) {
    return duration -> {
      answered.add(send(requests));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (System.nanoTime() < deadline) {
        Optional<ShadowReport> report = deployer.shadowReport(SPLITTER);
        if (report.isEmpty()
            || report.get().compared() + report.get().notCompared() == report.get().mirrored()) {
          break;
        }
        Thread.sleep(10);
      }
      clock.advance(duration);
    };
  }

  private Sleeper diesAtStep(int step) {
    return duration -> {
      if (stepStarted() == step) {
        throw new IllegalStateException("the process died");
      }
      traffic(100).sleep(duration);
    };
  }

  private int stepStarted() {
    return events.stream()
        .filter(event -> event.type() == RolloutEvent.Type.STEP_STARTED)
        .mapToInt(RolloutEvent::step)
        .reduce((first, second) -> second)
        .orElse(0);
  }

  private Map<String, Integer> send(int requests) {
    return send(requests, null);
  }

  /** Requests to the splitter, pinned to {@code pinnedTo} when it is not null. */
  private Map<String, Integer> send(int requests, @Nullable String pinnedTo) {
    Map<String, Integer> answeredBy = new LinkedHashMap<>();
    for (int i = 0; i < requests; i++) {
      HttpRequest.Builder request = prediction();
      if (pinnedTo != null) {
        request.header(BackendCapabilities.PIN_HEADER, pinnedTo);
      }
      answeredBy.merge(answerer(request.build()), 1, Integer::sum);
    }
    return answeredBy;
  }

  /** One request for each of {@code keys} users; the target each reached. */
  private Map<String, String> sendKeyed(int keys) {
    Map<String, String> targets = new HashMap<>();
    for (int i = 0; i < keys; i++) {
      String user = "user-" + i;
      targets.put(user, answerer(prediction().header(AssignmentMode.KEY_HEADER, user).build()));
    }
    return targets;
  }

  private HttpRequest.Builder prediction() {
    return HttpRequest.newBuilder(cluster.endpointUrl(SPLITTER))
        .POST(HttpRequest.BodyPublishers.ofString("{}"));
  }

  /** The target that answered, by the gateway's header; {@code ?} if none did. */
  private String answerer(HttpRequest request) {
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      return response.headers().firstValue("x-splitter-api").orElse("?");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private Map<String, Integer> weights() {
    Map<String, Integer> weights = new LinkedHashMap<>();
    deployer.describe(SPLITTER).spec().apis().forEach(api -> weights.put(api.name(), api.weight()));
    return weights;
  }

  private void api(SampleApi api) {
    opened.add(api);
    cluster.registerApi(api.name(), api.uri());
  }

  private void deploy(TargetApi... targets) {
    deployer.deploy(
        SplitterConfig.of(
            new TrafficSplitter(
                SPLITTER, new Networking("/" + SPLITTER, ApiGateway.NONE), List.of(targets))));
  }

  private static TargetApi target(String name, int weight) {
    return new TargetApi(name, weight, false);
  }
}
