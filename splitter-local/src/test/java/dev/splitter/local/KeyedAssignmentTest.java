package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.splitter.core.SplitterStatus;
import dev.splitter.model.ApiGateway;
import dev.splitter.model.Assignment;
import dev.splitter.model.Networking;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TargetApi;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.AssignmentMode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A request carrying a key reaches the owner of the key's bucket: the same target every time,
 * through changes of weight that do not move its bucket, across a restart, and as {@link
 * Assignment} computes it offline.
 */
@Timeout(180)
class KeyedAssignmentTest {
  private static final int KEYS = 10_000;

  @Test
  void tenThousandKeysEachReachOneTargetAndMoveOnlyToTheCandidate() {
    Map<String, String> first;
    Map<String, String> afterRaise;
    try (SampleApi stable = SampleApi.start("my-api");
        SampleApi candidate = SampleApi.start("my-api-v2")) {
      try (LocalCluster cluster = start(stable, candidate)) {
        cluster.deployer().deploy(split(90, 10));
        URI endpoint = cluster.endpointUrl("ab");

        first = targetsOfKeys(endpoint, "x-splitter-key", 3);
        assertSharesMatch(first, 0.10);
        Assignment deployed = cluster.deployer().get("ab").assignment();
        assertThat(deployed).isEqualTo(Assignment.of(split(90, 10).trafficSplitters().get(0)));
        first.forEach((key, target) -> assertThat(deployed.target(key)).isEqualTo(target));

        assertThat(cluster.deployer().plan(split(50, 50)).toString())
            .contains("keys moving: 40.00% (to my-api-v2 40.00%)");
        cluster.deployer().deploy(split(50, 50));
        afterRaise = targetsOfKeys(endpoint, "x-splitter-key", 1);
        long moved = 0;
        for (Map.Entry<String, String> key : first.entrySet()) {
          String now = afterRaise.get(key.getKey());
          if (!now.equals(key.getValue())) {
            moved++;
            assertThat(now).as("a moved key goes to the gainer").isEqualTo("my-api-v2");
          }
        }
        assertThat(moved / (double) KEYS).isBetween(0.38, 0.42);
        SplitterStatus status = cluster.deployer().get("ab");
        assertThat(status.toTable())
            .contains("assignment: by key: header x-splitter-key")
            .contains("buckets: my-api=0-4999 my-api-v2=5000-9999");
      }
      // A new gateway, given the same file, lays the buckets out the same way.
      try (LocalCluster restarted = start(stable, candidate)) {
        restarted.deployer().deploy(split(50, 50));
        assertThat(targetsOfKeys(restarted.endpointUrl("ab"), "x-splitter-key", 1))
            .isEqualTo(afterRaise);
      }
    }
  }

  @Test
  void aKeyHeaderOfTheUsersChoiceAndUnicodeKeysAgreeWithTheOfflineFunction() throws IOException {
    try (SampleApi stable = SampleApi.start("my-api");
        SampleApi candidate = SampleApi.start("my-api-v2");
        LocalCluster cluster = LocalCluster.builder().keyHeader("x-user-id").start()) {
      cluster.registerApi(stable.name(), stable.uri());
      cluster.registerApi(candidate.name(), candidate.uri());
      cluster.deployer().deploy(split(50, 50));
      assertThat(cluster.deployer().capabilities().assignment())
          .isEqualTo(AssignmentMode.byKey("x-user-id"));
      Assignment offline = Assignment.of(split(50, 50).trafficSplitters().get(0));
      URI endpoint = cluster.endpointUrl("ab");

      Map<String, String> byKey = targetsOfKeys(endpoint, "x-user-id", 1, 500);
      byKey.forEach((key, target) -> assertThat(offline.target(key)).isEqualTo(target));
      // The default header means nothing now: those requests are drawn at random.
      assertThat(Http.postMany(endpoint, 1, 1).get(0).statusCode()).isEqualTo(200);

      // UTF-8 in a header: the gateway hashes the bytes the caller sent, as Assignment does.
      for (String key : List.of("用户-42", "émile", "🙂", "a b")) {
        for (int i = 0; i < 3; i++) {
          assertThat(answerTo(endpoint, "x-user-id", key)).isEqualTo(offline.target(key));
        }
      }
    }
  }

  @Test
  void pinningWinsOverTheKeyAndAnEmptyKeyIsDrawnAtRandom() throws IOException {
    try (SampleApi stable = SampleApi.start("my-api");
        SampleApi candidate = SampleApi.start("my-api-v2");
        LocalCluster cluster = start(stable, candidate)) {
      cluster.deployer().deploy(split(100, 0));
      URI endpoint = cluster.endpointUrl("ab");
      HttpRequest pinned =
          HttpRequest.newBuilder(endpoint)
              .header("x-splitter-key", "user-1")
              .header("x-splitter-api", "my-api-v2")
              .POST(HttpRequest.BodyPublishers.ofString("{}"))
              .build();
      assertThat(Http.send(pinned).headers().firstValue("x-splitter-api")).hasValue("my-api-v2");
      cluster.deployer().deploy(split(50, 50));
      Map<String, Integer> answered = new HashMap<>();
      for (int i = 0; i < 200; i++) {
        answered.merge(answerTo(endpoint, "x-splitter-key", ""), 1, Integer::sum);
      }
      assertThat(answered).containsOnlyKeys("my-api", "my-api-v2");
    }
  }

  /** Sends every key {@code times} times and returns each key's one target. */
  private static Map<String, String> targetsOfKeys(URI endpoint, String header, int times) {
    return targetsOfKeys(endpoint, header, times, KEYS);
  }

  private static Map<String, String> targetsOfKeys(
      URI endpoint, String header, int times, int keys) {
    Map<String, String> targets = new HashMap<>();
    List<String> all = new ArrayList<>();
    for (int i = 0; i < keys; i++) {
      for (int t = 0; t < times; t++) {
        all.add("user-" + i);
      }
    }
    int concurrency = 32;
    for (int sent = 0; sent < all.size(); sent += concurrency) {
      List<String> batchKeys = all.subList(sent, Math.min(all.size(), sent + concurrency));
      List<CompletableFuture<HttpResponse<String>>> batch = new ArrayList<>();
      for (String key : batchKeys) {
        HttpRequest request =
            HttpRequest.newBuilder(endpoint)
                .timeout(Duration.ofSeconds(30))
                .header(header, key)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build();
        batch.add(Http.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
      }
      for (int i = 0; i < batch.size(); i++) {
        HttpResponse<String> response = batch.get(i).join();
        assertThat(response.statusCode()).isEqualTo(200);
        String target = response.headers().firstValue("x-splitter-api").orElseThrow();
        String before = targets.put(batchKeys.get(i), target);
        if (before != null) {
          assertThat(target).as("key %s again", batchKeys.get(i)).isEqualTo(before);
        }
      }
    }
    return targets;
  }

  /** One request whose key header carries {@code key} as UTF-8 bytes; the target that answered. */
  private static String answerTo(URI endpoint, String header, String key) throws IOException {
    try (RawClient client = new RawClient(endpoint)) {
      byte[] head =
          ("POST "
                  + endpoint.getPath()
                  + " HTTP/1.1\r\nHost: x\r\n"
                  + header
                  + ": "
                  + key
                  + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
              .getBytes(StandardCharsets.UTF_8);
      String answer = client.send(head).readUntilClosed(Duration.ofSeconds(10));
      assertThat(answer).startsWith("HTTP/1.1 200");
      int at = answer.indexOf("x-splitter-api: ");
      return answer.substring(at + 16, answer.indexOf('\r', at));
    }
  }

  /** The candidate's share of distinct keys is its weight, by a chi-square test at p = 0.001. */
  private static void assertSharesMatch(Map<String, String> targets, double candidateShare) {
    long candidate = targets.values().stream().filter("my-api-v2"::equals).count();
    double expected = KEYS * candidateShare;
    double expectedOther = KEYS - expected;
    double chiSquare =
        Math.pow(candidate - expected, 2) / expected
            + Math.pow(KEYS - candidate - expectedOther, 2) / expectedOther;
    assertThat(chiSquare).as("chi-square, 1 degree of freedom").isLessThan(10.83);
  }

  private static LocalCluster start(SampleApi stable, SampleApi candidate) {
    LocalCluster cluster = LocalCluster.start();
    cluster.registerApi(stable.name(), stable.uri());
    cluster.registerApi(candidate.name(), candidate.uri());
    return cluster;
  }

  private static SplitterConfig split(int stable, int candidate) {
    return SplitterConfig.of(
        new TrafficSplitter(
            "ab",
            new Networking("/ab", ApiGateway.NONE),
            List.of(
                new TargetApi("my-api", stable, false),
                new TargetApi("my-api-v2", candidate, false))));
  }
}
