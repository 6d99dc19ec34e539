package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The split itself, measured over real HTTP through the gateway. */
class TrafficSplitTest {
  private static final int REQUESTS = 20_000;

  private final TestApi a = TestApi.named("model-a");
  private final TestApi b = TestApi.named("model-b");
  private final TestApi candidate = TestApi.answering("candidate", 500);
  private LocalCluster cluster;

  @BeforeEach
  void start() {
    cluster = LocalCluster.builder().seed(20_240_601L).start();
    for (TestApi api : List.of(a, b, candidate)) {
      cluster.registerApi(api.name(), api.uri());
    }
  }

  @AfterEach
  void stop() {
    cluster.close();
    List.of(a, b, candidate).forEach(TestApi::close);
  }

  @Test
  void eachTargetsShareIsWithinFourStandardDeviationsOfItsWeight() {
    URI endpoint =
        deploy(TrafficSplitter.builder().name("ab").target("model-a", 80).target("model-b", 20));

    Map<String, Long> answeredBy = answeredBy(Http.postMany(endpoint, REQUESTS, 100));

    assertThat(answeredBy.keySet()).containsExactlyInAnyOrder("model-a", "model-b");
    assertWithinFourSigma(answeredBy.get("model-a"), 0.80);
    assertWithinFourSigma(answeredBy.get("model-b"), 0.20);
    assertThat(a.requests() + b.requests()).isEqualTo(REQUESTS);
  }

  @Test
  void aTargetWithWeightZeroGetsNothing() {
    URI endpoint =
        deploy(TrafficSplitter.builder().name("ab").target("model-a", 100).target("model-b", 0));

    Map<String, Long> answeredBy = answeredBy(Http.postMany(endpoint, 2_000, 100));

    assertThat(answeredBy).containsOnlyKeys("model-a");
    assertThat(b.requests()).isZero();
  }

  @Test
  void theShadowGetsAboutItsWeightAndNeverChangesAResponse() throws InterruptedException {
    URI endpoint =
        deploy(
            TrafficSplitter.builder()
                .name("ab")
                .target("model-a", 50)
                .target("model-b", 50)
                .shadow("candidate", 30));

    List<HttpResponse<String>> responses = Http.postMany(endpoint, REQUESTS, 100);
    awaitShadowCopies(REQUESTS * 30 / 100);

    assertThat(responses).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
    assertThat(answeredBy(responses)).containsOnlyKeys("model-a", "model-b");
    assertWithinFourSigma(candidate.requests(), 0.30);
    // The candidate answers 500 to every copy: counted for it, unseen by callers.
    assertThat(cluster.deployer().get("ab").targets())
        .filteredOn(target -> target.api().shadow())
        .singleElement()
        .satisfies(target -> assertThat(target.metrics().responses5xx()).isPositive());
  }

  @Test
  void changingWeightsUnderLoadFailsNoRequest() {
    URI endpoint =
        deploy(TrafficSplitter.builder().name("ab").target("model-a", 90).target("model-b", 10));
    AtomicBoolean loading = new AtomicBoolean(true);
    Map<Integer, Long> statuses = new ConcurrentHashMap<>();
    CompletableFuture<Void> load =
        CompletableFuture.runAsync(
            () -> {
              while (loading.get()) {
                Http.postMany(endpoint, 200, 50)
                    .forEach(response -> statuses.merge(response.statusCode(), 1L, Long::sum));
              }
            });

    awaitRequests(statuses, 200);
    for (int flip = 0; flip < 40; flip++) {
      int weightA = flip % 2 == 0 ? 10 : 90;
      deploy(
          TrafficSplitter.builder()
              .name("ab")
              .target("model-a", weightA)
              .target("model-b", 100 - weightA));
      sleep(10); // spread the flips across the load
    }
    loading.set(false);
    load.join();

    assertThat(statuses).containsOnlyKeys(200);
    assertThat(statuses.get(200)).isGreaterThan(400);
    assertThat(a.requests()).isPositive();
    assertThat(b.requests()).isPositive();
  }

  private static void awaitRequests(Map<Integer, Long> statuses, long count) {
    for (int i = 0;
        i < 600 && statuses.values().stream().mapToLong(Long::longValue).sum() < count;
        i++) {
      sleep(10);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private URI deploy(TrafficSplitter.Builder splitter) {
    cluster.deployer().deploy(SplitterConfig.of(splitter.build()));
    return cluster.endpointUrl("ab");
  }

  private void awaitShadowCopies(int expected) throws InterruptedException {
    // Copies are fire-and-forget: give the last ones a moment to land (bounded).
    for (int i = 0; i < 100 && candidate.requests() < expected * 0.9; i++) {
      Thread.sleep(50);
    }
    Thread.sleep(200);
  }

  private static Map<String, Long> answeredBy(List<HttpResponse<String>> responses) {
    return responses.stream()
        .collect(
            Collectors.groupingBy(
                response -> response.headers().firstValue("x-splitter-api").orElse("none"),
                Collectors.counting()));
  }

  private static void assertWithinFourSigma(long observed, double share) {
    double expected = REQUESTS * share;
    double sigma = Math.sqrt(REQUESTS * share * (1 - share));
    assertThat((double) observed)
        .as(
            "%d of %d requests for a share of %.2f (4 sigma = %.0f)",
            observed, REQUESTS, share, 4 * sigma)
        .isBetween(expected - 4 * sigma, expected + 4 * sigma);
  }
}
