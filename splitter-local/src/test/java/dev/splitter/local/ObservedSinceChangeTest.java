package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.ObservedSplit;
import dev.splitter.core.SplitterStatus;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code get}'s observed split counts the traffic since the weights were last written, not the
 * hour: after a move to 100 %, the old target no longer shows its earlier share.
 */
class ObservedSinceChangeTest {
  private final HandClock clock = new HandClock();
  private SampleApi stable;
  private SampleApi candidate;
  private LocalCluster cluster;
  private URI endpoint;

  @BeforeEach
  void start() {
    stable = SampleApi.start("my-api");
    candidate = SampleApi.start("my-api-v2");
    cluster = LocalCluster.builder().clock(clock).start();
    cluster.registerApi(stable.name(), stable.uri());
    cluster.registerApi(candidate.name(), candidate.uri());
  }

  @AfterEach
  void stop() {
    cluster.close();
    candidate.close();
    stable.close();
  }

  private void deploy(int stableWeight, int candidateWeight) {
    cluster
        .deployer()
        .deploy(
            SplitterConfig.of(
                TrafficSplitter.builder()
                    .name("ab")
                    .apiGateway(ApiGateway.NONE)
                    .target("my-api", stableWeight)
                    .target("my-api-v2", candidateWeight)
                    .build()));
    endpoint = cluster.endpointUrl("ab");
  }

  @Test
  void afterAMoveToAHundredPercentTheOldTargetShowsNothingObserved() {
    deploy(50, 50);
    Http.postMany(endpoint, 300, 8);
    clock.advance(Duration.ofMinutes(5));

    deploy(0, 100);
    clock.advance(Duration.ofSeconds(30));
    Http.postMany(endpoint, 200, 8);
    SplitterStatus status = cluster.deployer().get("ab");

    ObservedSplit observed = status.observedSplit();
    assertThat(observed.requests()).isEqualTo(200);
    assertThat(observed.share("my-api")).hasValue("0.0%");
    assertThat(observed.share("my-api-v2")).hasValue("100.0%");
    // The other figures still count the hour: my-api's 2XX from before the change.
    assertThat(status.targets().get(0).metrics().responses2xx()).isGreaterThan(100);
    assertThat(status.notes())
        .contains(
            "observed: the last 30s, since the weights were last written; the other figures:"
                + " the last 1h");
    assertThat(status.toTable()).contains("0.0%").contains("100.0%");
  }

  @Test
  void trafficInTheSameSecondAsTheWriteButBeforeItIsNotCounted() {
    deploy(100, 0);
    Http.postMany(endpoint, 100, 8); // the hand clock stands still: all in one second
    deploy(0, 100);
    Http.postMany(endpoint, 50, 8);

    ObservedSplit observed = cluster.deployer().get("ab").observedSplit();

    assertThat(observed.requests()).isEqualTo(50);
    assertThat(observed.share("my-api")).hasValue("0.0%");
  }

  @Test
  void withNoTrafficFromBeforeTheWriteThereIsOneSplitAndNoNote() {
    deploy(50, 50);
    clock.advance(Duration.ofSeconds(5));
    Http.postMany(endpoint, 200, 8);

    SplitterStatus status = cluster.deployer().get("ab");

    assertThat(status.observedSplit().requests()).isEqualTo(200);
    assertThat(status.notes()).noneMatch(note -> note.startsWith("observed:"));
  }

  @Test
  void aSplitterWrittenLongerAgoThanTheWindowIsObservedOverTheWindow() {
    deploy(50, 50);
    Http.postMany(endpoint, 100, 8);
    clock.advance(Duration.ofHours(2));
    Http.postMany(endpoint, 200, 8);

    SplitterStatus status = cluster.deployer().get("ab");

    assertThat(status.observedSplit().requests()).isEqualTo(200);
    assertThat(status.notes()).noneMatch(note -> note.startsWith("observed:"));
  }
}
