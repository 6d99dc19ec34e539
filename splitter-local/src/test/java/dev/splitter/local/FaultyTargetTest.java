package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.splitter.core.SplitterStatus;
import dev.splitter.model.Assignment;
import dev.splitter.model.SplitterConfig;
import dev.splitter.model.TrafficSplitter;
import dev.splitter.spi.ApiState;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway in front of targets that fail on purpose, over real sockets on loopback. */
class FaultyTargetTest {
  private final HandClock clock = new HandClock();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private LocalCluster cluster;

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    for (AutoCloseable closeable : toClose) {
      closeable.close();
    }
  }

  private RawTarget target(String name, RawTarget.Conversation conversation) {
    RawTarget target = RawTarget.start(name, conversation);
    toClose.add(target);
    return target;
  }

  private URI deploy(LocalCluster.Builder builder, Map<RawTarget, Integer> weights) {
    cluster = builder.start();
    TrafficSplitter.Builder splitter = TrafficSplitter.builder().name("ts");
    weights.forEach(
        (target, weight) -> {
          cluster.registerApi(target.name(), target.uri());
          splitter.target(target.name(), weight);
        });
    cluster.deployer().deploy(SplitterConfig.of(splitter.build()));
    return cluster.endpointUrl("ts");
  }

  @Test
  void aChunkedAnswerCutShortReachesTheCallerBrokenAndCountsAs5xx() throws Exception {
    RawTarget dying =
        target(
            "dying",
            RawTarget.answerOnceThenClose(
                "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1388\r\n"
                    + "x".repeat(5000)
                    + "\r\n"));
    URI endpoint = deploy(LocalCluster.builder(), Map.of(dying, 100));

    try (RawClient client = new RawClient(endpoint)) {
      client.send("GET /ts HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = client.readUntilClosed(Duration.ofSeconds(5));
      assertThat(answer).startsWith("HTTP/1.1 200");
      String body = answer.substring(answer.indexOf("\r\n\r\n"));
      assertThat(body.chars().filter(c -> c == 'x').count()).isEqualTo(5000);
      assertThat(answer).doesNotEndWith("0\r\n\r\n");
    }
    assertThatThrownBy(
            () ->
                Http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageNotContaining("timed out");
    assertFiveXx("dying", 2);
  }

  @Test
  void anAnswerShorterThanItsContentLengthEndsTheCallersConnection() {
    RawTarget dying =
        target(
            "dying",
            RawTarget.answerOnceThenClose(
                "HTTP/1.1 200 OK\r\ncontent-length: 100000\r\n\r\n" + "x".repeat(5000)));
    URI endpoint = deploy(LocalCluster.builder(), Map.of(dying, 100));

    assertThatThrownBy(
            () ->
                Http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(10)).build()))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageNotContaining("timed out");
    assertFiveXx("dying", 1);
  }

  @Test
  void aHeadAnsweredWithABodyDoesNotPoisonLaterRequests() {
    RawTarget sloppy =
        target(
            "sloppy",
            (socket, in) -> {
              String head;
              while ((head = RawTarget.readRequest(in)) != null) {
                // A body after HEAD: the bytes a pooled connection would mistake for an answer.
                RawTarget.write(
                    socket,
                    head.startsWith("head ")
                        ? "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello"
                        : "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
              }
            });
    URI endpoint = deploy(LocalCluster.builder().eventLoops(1), Map.of(sloppy, 100));

    HttpResponse<String> head =
        Http.send(
            HttpRequest.newBuilder(endpoint)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build());
    assertThat(head.statusCode()).isEqualTo(200);
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> post = Http.post(endpoint, "{}");
      assertThat(post.statusCode()).isEqualTo(200);
      assertThat(post.body()).isEqualTo("ok");
    }
  }

  @Test
  void aDeadTargetIsTakenOutOfRotationAndComesBackWhenItRecovers() throws Exception {
    RawTarget flaky = target("flaky", RawTarget.healthy("flaky"));
    URI endpoint = deployHalfAndHalf(target("good", RawTarget.healthy("good")), flaky);
    flaky.behave((socket, in) -> socket.setSoLinger(true, 0)); // accepts, then resets

    List<HttpResponse<String>> early = Http.postMany(endpoint, 40, 4);
    List<HttpResponse<String>> later = Http.postMany(endpoint, 200, 8);

    assertThat(early.stream().filter(r -> r.statusCode() == 502).count())
        .isLessThanOrEqualTo(8); // at most a few before 5 in a row take it out
    assertThat(later).allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
    SplitterStatus status = cluster.deployer().get("ts");
    assertThat(status.targets().stream().filter(t -> t.api().name().equals("flaky")).findFirst())
        .hasValueSatisfying(t -> assertThat(t.status().state()).isEqualTo(ApiState.ERROR));
    assertThat(status.notes())
        .anySatisfy(note -> assertThat(note).startsWith("flaky is out of rotation"));

    afterRecovery(
        flaky,
        () -> assertThat(answeredBy(endpoint)).containsOnlyKeys("good"),
        () -> answeredBy(endpoint),
        answers -> answers.containsKey("flaky"));
    Map<String, Long> byApi = answeredBy(endpoint); // all of it after the return
    assertThat(byApi).containsOnlyKeys("good", "flaky");
    assertThat(byApi.get("flaky")).isGreaterThan(50);
  }

  @Test
  void theKeysOfAnEjectedTargetGoToTheNextOneAndComeBackWithIt() throws Exception {
    RawTarget flaky = target("flaky", RawTarget.healthy("flaky"));
    URI endpoint = deployHalfAndHalf(target("good", RawTarget.healthy("good")), flaky);
    Assignment layout = cluster.deployer().get("ts").assignment();
    List<String> flakysKeys = new ArrayList<>();
    List<String> goodsKeys = new ArrayList<>();
    for (int i = 0; flakysKeys.size() < 20 || goodsKeys.size() < 20; i++) {
      (layout.target("user-" + i).equals("flaky") ? flakysKeys : goodsKeys).add("user-" + i);
    }
    assertThat(answeredByKey(endpoint, flakysKeys)).containsOnlyKeys("flaky");

    flaky.behave((socket, in) -> socket.setSoLinger(true, 0)); // accepts, then resets
    Instant deadline = Instant.now().plusSeconds(10);
    while (cluster.deployer().get("ts").notes().stream()
            .noneMatch(n -> n.startsWith("flaky is out"))
        && Instant.now().isBefore(deadline)) {
      Http.postMany(endpoint, 8, 4); // failures in a row, or its health check, take it out
    }
    assertThat(answeredByKey(endpoint, flakysKeys)).containsOnlyKeys("good");
    assertThat(answeredByKey(endpoint, goodsKeys)).containsOnlyKeys("good");

    Map<String, Long> back =
        afterRecovery(
            flaky,
            // Taken out by its health check rather than by failures, it is back at once.
            () -> {},
            () -> answeredByKey(endpoint, flakysKeys),
            answers -> answers.keySet().equals(Set.of("flaky")));
    assertThat(back).containsOnlyKeys("flaky");
    assertThat(answeredByKey(endpoint, goodsKeys)).containsOnlyKeys("good");
  }

  /** good and flaky at 50 each, checked every 100 ms, out for 5 minutes of the hand clock. */
  private URI deployHalfAndHalf(RawTarget good, RawTarget flaky) {
    return deploy(
        LocalCluster.builder()
            .healthInterval(Duration.ofMillis(100))
            .ejectionTime(Duration.ofMinutes(5))
            .clock(clock),
        Map.of(good, 50, flaky, 50));
  }

  /**
   * Lets an ejected target recover: {@code meanwhile} runs once its health checks pass again,
   * before its ejection time has passed; then the clock moves past it, and the answers are read
   * until {@code back} holds (at the next health check) or 10 s pass.
   */
  private Map<String, Long> afterRecovery(
      RawTarget flaky,
      Runnable meanwhile,
      Supplier<Map<String, Long>> answers,
      Predicate<Map<String, Long>> back)
      throws InterruptedException {
    flaky.behave(RawTarget.healthy(flaky.name()));
    awaitHealthChecks(flaky, 2);
    meanwhile.run();
    clock.advance(Duration.ofMinutes(5));
    Instant deadline = Instant.now().plusSeconds(10);
    Map<String, Long> now = answers.get();
    while (!back.test(now) && Instant.now().isBefore(deadline)) {
      now = answers.get();
    }
    return now;
  }

  private static Map<String, Long> answeredByKey(URI endpoint, List<String> keys) {
    Map<String, Long> byApi = new TreeMap<>();
    for (String key : keys) {
      HttpResponse<String> response =
          Http.send(
              HttpRequest.newBuilder(endpoint)
                  .header("x-splitter-key", key)
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build());
      assertThat(response.statusCode()).isEqualTo(200);
      byApi.merge(response.headers().firstValue("x-splitter-api").orElse("?"), 1L, Long::sum);
    }
    return byApi;
  }

  private static Map<String, Long> answeredBy(URI endpoint) {
    return Http.postMany(endpoint, 200, 8).stream()
        .collect(
            Collectors.groupingBy(
                response -> response.headers().firstValue("x-splitter-api").orElse("?"),
                Collectors.counting()));
  }

  /** Waits until the gateway's health checks (a TCP connect each) reached the target n times. */
  private static void awaitHealthChecks(RawTarget target, int checks) throws InterruptedException {
    int seen = target.accepted();
    Instant deadline = Instant.now().plusSeconds(10);
    while (target.accepted() < seen + checks && Instant.now().isBefore(deadline)) {
      Thread.sleep(20);
    }
    assertThat(target.accepted()).isGreaterThanOrEqualTo(seen + checks);
  }

  @Test
  void withEjectionOffADeadTargetKeepsItsShareOfErrors() {
    RawTarget good = target("good", RawTarget.healthy("good"));
    RawTarget dead = target("dead", (socket, in) -> socket.setSoLinger(true, 0));
    URI endpoint =
        deploy(
            LocalCluster.builder().outlierEjection(false).healthInterval(Duration.ofMillis(100)),
            Map.of(good, 50, dead, 50));

    Map<Integer, Long> byStatus =
        Http.postMany(endpoint, 400, 8).stream()
            .collect(Collectors.groupingBy(HttpResponse::statusCode, Collectors.counting()));

    assertThat(byStatus.get(502)).isBetween(140L, 260L);
  }

  @Test
  void anAbortedDownloadStopsReadingTheTarget() throws Exception {
    AtomicLong written = new AtomicLong();
    RawTarget firehose =
        target(
            "firehose",
            (socket, in) -> {
              RawTarget.readRequest(in);
              OutputStream out = socket.getOutputStream();
              out.write(
                  "HTTP/1.1 200 OK\r\ncontent-length: 104857600\r\n\r\n"
                      .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
              byte[] chunk = new byte[64 * 1024];
              for (int i = 0; i < 1600; i++) {
                out.write(chunk); // throws once the gateway hangs up
                written.addAndGet(chunk.length);
              }
            });
    URI endpoint = deploy(LocalCluster.builder(), Map.of(firehose, 100));

    for (int i = 0; i < 5; i++) {
      try (RawClient client = new RawClient(endpoint)) {
        client.send("GET /ts HTTP/1.1\r\nHost: x\r\n\r\n");
        InputStream in = client.socket().getInputStream();
        in.readNBytes(1024 * 1024);
      }
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (firehose.open() > 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    assertThat(firehose.open()).isZero();
    assertThat(written.get()).isLessThan(5L * 30 * 1024 * 1024); // far from 5 x 100 MB
  }

  private void assertFiveXx(String api, long count) {
    Map<String, dev.splitter.core.TargetStatus> targets =
        cluster.deployer().get("ts").targets().stream()
            .collect(Collectors.toMap(t -> t.api().name(), Function.identity()));
    assertThat(targets.get(api).metrics().responses5xx()).isEqualTo(count);
    assertThat(targets.get(api).metrics().responses2xx()).isZero();
  }
}
