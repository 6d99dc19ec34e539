package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.splitter.core.Deployer;
import dev.splitter.core.ObservedSplit;
import dev.splitter.core.SplitterStatus;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.MetricsSource;
import dev.splitter.spi.TargetMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code get} puts the split the traffic took next to the weights, and flags one off by more than
 * chance.
 */
@Timeout(120)
class SplitVerificationTest {

  @Test
  void twentyThousandRequestsAtEightyTwentyAreNotFlagged() {
    try (LocalCluster cluster = LocalCluster.start();
        SampleApi big = SampleApi.start("my-api");
        SampleApi small = SampleApi.start("another-my-api")) {
      cluster.registerApi(big.name(), big.uri());
      cluster.registerApi(small.name(), small.uri());
      Deployer deployer = cluster.deployer();
      deployer.deploy(split(80, 20));

      Http.postMany(cluster.endpointUrl("traffic-splitter"), 20_000, 16);
      SplitterStatus status = deployer.get("traffic-splitter");

      ObservedSplit split = status.observedSplit();
      assertThat(split.requests()).isEqualTo(20_000);
      assertThat(split.shares().get("my-api")).isCloseTo(0.8, within(0.015));
      assertThat(split.skewed()).isFalse();
      assertThat(status.toTable()).contains("observed").doesNotContain("further from the weights");
    }
  }

  @Test
  void aTargetBehindARetryingProxyIsFlaggedWhereItsOwnCountsAreRead() throws Exception {
    Vertx vertx = Vertx.vertx();
    try (LocalCluster cluster = LocalCluster.start();
        SampleApi big = SampleApi.start("my-api");
        SampleApi flaky = SampleApi.builder("another-my-api").failureRate(0.5).start()) {
      HttpServer proxy = retryingProxy(vertx, URI.create(flaky.uri().toString()));
      cluster.registerApi(big.name(), big.uri());
      cluster.registerApi(flaky.name(), URI.create("http://127.0.0.1:" + proxy.actualPort() + "/"));
      // What a source that scrapes the targets themselves sees: every attempt the proxy makes.
      MetricsSource atTheTargets =
          (splitter, apis, window) -> {
            Map<String, TargetMetrics> counts = new LinkedHashMap<>();
            counts.put(big.name(), new TargetMetrics(big.requests(), big.requests(), 0, null));
            counts.put(flaky.name(), new TargetMetrics(flaky.requests(), 0, 0, null));
            return counts;
          };
      Deployer deployer = cluster.deployerBuilder().metrics(atTheTargets).build();
      deployer.deploy(split(80, 20));

      Http.postMany(cluster.endpointUrl("traffic-splitter"), 2_000, 16);
      SplitterStatus status = deployer.get("traffic-splitter");

      ObservedSplit split = status.observedSplit();
      assertThat(split.shares().get("another-my-api")).isGreaterThan(0.28);
      assertThat(split.skewed()).isTrue();
      assertThat(status.toTable())
          .contains("note: the observed split is further from the weights than chance allows");
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  /** A proxy that sends each request again, up to five times, while the target answers 5XX. */
  private static HttpServer retryingProxy(Vertx vertx, URI target) throws Exception {
    HttpClient client = vertx.createHttpClient();
    return vertx
        .createHttpServer()
        .requestHandler(
            request -> request.body().onSuccess(body -> attempt(client, target, request, body, 5)))
        .listen(0, "127.0.0.1")
        .toCompletionStage()
        .toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
  }

  private static void attempt(
      HttpClient client, URI target, HttpServerRequest request, Buffer body, int attemptsLeft) {
    client
        .request(HttpMethod.POST, target.getPort(), target.getHost(), "/")
        .compose(
            outgoing ->
                outgoing
                    .send(body)
                    .compose(
                        answer -> answer.body().map(text -> new Answer(answer.statusCode(), text))))
        .recover(failure -> Future.succeededFuture(new Answer(502, Buffer.buffer())))
        .onSuccess(
            answer -> {
              if (answer.status() >= 500 && attemptsLeft > 1) {
                attempt(client, target, request, body, attemptsLeft - 1);
              } else {
                request.response().setStatusCode(answer.status()).end(answer.body());
              }
            });
  }

  private record Answer(int status, Buffer body) {}

  private static SplitterConfig split(int first, int second) {
    return SplitterConfig.of(
        new TrafficSplitter(
            "traffic-splitter",
            new Networking("/traffic-splitter", ApiGateway.NONE),
            List.of(
                new TargetApi("my-api", first, false),
                new TargetApi("another-my-api", second, false))));
  }
}
