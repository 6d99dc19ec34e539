package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.Deployer;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code x-splitter-api: NAME} pins a request to one target of the splitter, whatever its weight.
 */
@Timeout(60)
class PinningTest {

  @Test
  void aThousandPinnedRequestsAllReachThePinnedTargetEvenAtWeightZero() {
    try (LocalCluster cluster = LocalCluster.start();
        SampleApi stable = SampleApi.start("my-api");
        SampleApi candidate = SampleApi.start("my-api-v2")) {
      cluster.registerApi(stable.name(), stable.uri());
      cluster.registerApi(candidate.name(), candidate.uri());
      deploy(cluster.deployer(), 100, 0);
      URI endpoint = cluster.endpointUrl("traffic-splitter");

      Map<String, Integer> answeredBy = sendPinned(endpoint, "my-api-v2", 1_000);

      assertThat(answeredBy).containsExactly(Map.entry("my-api-v2", 1_000));
      assertThat(candidate.requests()).isEqualTo(1_000);
      // A new splitter lists its pinned routes; an update lists them only when they change.
      assertThat(cluster.deployer().plan(named("another-splitter", 50, 50)).toString())
          .contains("pinned routes (x-splitter-api: NAME): my-api, my-api-v2");
      assertThat(cluster.deployer().plan(split(90, 10)).toString()).doesNotContain("pinned");
    }
  }

  @Test
  void anUnknownNameOrTheShadowTakesTheWeightedRouteAndTheHeaderIsNeverForwarded() {
    try (LocalCluster cluster = LocalCluster.start();
        TestApi stable = TestApi.named("my-api");
        TestApi candidate = TestApi.named("my-api-v2");
        TestApi mirror = TestApi.named("mirror")) {
      for (TestApi api : List.of(stable, candidate, mirror)) {
        cluster.registerApi(api.name(), api.uri());
      }
      cluster
          .deployer()
          .deploy(
              SplitterConfig.of(
                  new TrafficSplitter(
                      "traffic-splitter",
                      new Networking("/traffic-splitter", ApiGateway.NONE),
                      List.of(
                          new TargetApi("my-api", 100, false),
                          new TargetApi("my-api-v2", 0, false),
                          new TargetApi("mirror", 0, true)))));
      URI endpoint = cluster.endpointUrl("traffic-splitter");

      assertThat(sendPinned(endpoint, "nobody", 20)).containsOnlyKeys("my-api");
      assertThat(sendPinned(endpoint, "mirror", 20)).containsOnlyKeys("my-api");
      assertThat(sendPinned(endpoint, "my-api-v2", 5)).containsOnlyKeys("my-api-v2");

      assertThat(candidate.received())
          .allSatisfy(request -> assertThat(request.headers()).doesNotContainKey("x-splitter-api"));
      assertThat(stable.received())
          .allSatisfy(request -> assertThat(request.headers()).doesNotContainKey("x-splitter-api"));
    }
  }

  @Test
  void withPinningOffEveryRequestIsRoutedByWeight() {
    try (LocalCluster cluster = LocalCluster.builder().pinning(false).start();
        SampleApi stable = SampleApi.start("my-api");
        SampleApi candidate = SampleApi.start("my-api-v2")) {
      cluster.registerApi(stable.name(), stable.uri());
      cluster.registerApi(candidate.name(), candidate.uri());
      deploy(cluster.deployer(), 100, 0);

      Map<String, Integer> answeredBy =
          sendPinned(cluster.endpointUrl("traffic-splitter"), "my-api-v2", 100);

      assertThat(answeredBy).containsExactly(Map.entry("my-api", 100));
      assertThat(cluster.deployer().plan(named("another-splitter", 90, 10)).toString())
          .doesNotContain("pinned");
    }
  }

  private static Map<String, Integer> sendPinned(URI endpoint, String pin, int count) {
    HttpRequest request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(30))
            .header("x-splitter-api", pin)
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build();
    Map<String, Integer> answeredBy = new TreeMap<>();
    for (int sent = 0; sent < count; sent += 16) {
      List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
      for (int i = 0; i < Math.min(16, count - sent); i++) {
        batch.add(Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      for (CompletableFuture<HttpResponse<String>> answer : batch) {
        HttpResponse<String> response = answer.join();
        assertThat(response.statusCode()).isEqualTo(200);
        answeredBy.merge(
            response.headers().firstValue("x-splitter-api").orElse("?"), 1, Integer::sum);
      }
    }
    return answeredBy;
  }

  private static void deploy(Deployer deployer, int stable, int candidate) {
    deployer.deploy(split(stable, candidate));
  }

  private static SplitterConfig split(int stable, int candidate) {
    return named("traffic-splitter", stable, candidate);
  }

  private static SplitterConfig named(String name, int stable, int candidate) {
    return SplitterConfig.of(
        new TrafficSplitter(
            name,
            new Networking("/" + name, ApiGateway.NONE),
            List.of(
                new TargetApi("my-api", stable, false),
                new TargetApi("my-api-v2", candidate, false))));
  }
}
