package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LocalGatewayTest {
  private LocalCluster cluster;
  private TestApi api;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private URI deployOneTargetSplitter(LocalCluster.Builder builder, TestApi target) {
    cluster = builder.start();
    api = target;
    return target.servedAloneBy(cluster);
  }

  @Test
  void forwardsMethodBodyQueryAndEndToEndHeadersOnly() {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));

    HttpResponse<String> response =
        Http.send(
            HttpRequest.newBuilder(URI.create(endpoint + "?model=v2"))
                .header("Content-Type", "application/json")
                .header("X-Request-Id", "r-1")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"key\": \"value\"}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"api\": \"a\"}");
    assertThat(response.headers().firstValue("x-splitter-api")).contains("a");
    TestApi.Received received = api.received().get(0);
    assertThat(received.method()).isEqualTo("PUT");
    assertThat(received.uri()).isEqualTo("/?model=v2");
    assertThat(new String(received.body())).isEqualTo("{\"key\": \"value\"}");
    assertThat(received.headers()).containsEntry("x-request-id", java.util.List.of("r-1"));
    assertThat(received.headers()).containsKey("x-forwarded-for");
  }

  @Test
  void aRequestWithoutABodyReachesTheTargetWithoutOne() throws Exception {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));

    // As curl sends it: no Content-Length, no Transfer-Encoding.
    assertThat(statusLine(endpoint, "GET /ts HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"))
        .isEqualTo("HTTP/1.1 200 OK");
    TestApi.Received received = api.received().get(0);
    assertThat(received.method()).isEqualTo("GET");
    assertThat(received.headers()).doesNotContainKey("transfer-encoding");
    assertThat(received.headers().getOrDefault("content-length", java.util.List.of("0")))
        .containsExactly("0");
    assertThat(received.body()).isEmpty();
  }

  @Test
  void aTrailingSlashIsAnotherPathAsInCortexAndThe404SaysWhichWasMeant() {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));

    HttpResponse<String> response = Http.post(URI.create(endpoint + "/"), "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body())
        .isEqualTo(
            "{\"error\":\"no traffic splitter at /ts/ (endpoints match exactly: did you mean"
                + " /ts?)\",\"status\":404}");
    assertThat(api.received()).isEmpty();
  }

  @Test
  void headersNamedInConnectionAreNotForwarded() throws Exception {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));

    // java.net.http refuses to send Connection, so speak HTTP/1.1 over a plain socket.
    assertThat(
            statusLine(
                endpoint,
                "POST /ts HTTP/1.1\r\nHost: x\r\nConnection: close, X-Private\r\n"
                    + "X-Private: secret\r\nX-Public: shown\r\nContent-Length: 2\r\n\r\n{}"))
        .isEqualTo("HTTP/1.1 200 OK");
    assertThat(api.received().get(0).headers())
        .containsKey("x-public")
        .doesNotContainKey("x-private");
  }

  @Test
  void largeBodiesStreamThroughIntact() throws Exception {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.echo("echo"));
    byte[] body = new byte[8 * 1024 * 1024];
    new Random(7).nextBytes(body);

    HttpResponse<byte[]> response =
        Http.CLIENT.send(
            HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sha256(response.body())).isEqualTo(sha256(body));
  }

  @Test
  void chunkedBodiesWithinTheLimitAreForwarded() throws Exception {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.echo("echo"));
    byte[] body = new byte[300_000];
    new Random(8).nextBytes(body);

    HttpResponse<byte[]> response =
        Http.CLIENT.send(
            HttpRequest.newBuilder(endpoint)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(body))) // no length: chunked
                .build(),
            HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(sha256(response.body())).isEqualTo(sha256(body));
  }

  @Test
  void anUnknownEndpointIs404() {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));

    HttpResponse<String> response = Http.post(endpoint.resolve("/nowhere"), "{}");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("content-type")).contains("application/json");
    assertThat(response.body())
        .isEqualTo("{\"error\":\"no traffic splitter at /nowhere\",\"status\":404}");
  }

  @Test
  void aBodyOverTheLimitIs413AndNeverReachesTheTarget() {
    URI endpoint =
        deployOneTargetSplitter(LocalCluster.builder().maxBodyBytes(1_000), TestApi.named("a"));

    HttpResponse<String> declared = Http.post(endpoint, "x".repeat(1_001));
    HttpResponse<String> chunked =
        Http.send(
            HttpRequest.newBuilder(endpoint)
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream(new byte[5_000])))
                .build());

    assertThat(declared.statusCode()).isEqualTo(413);
    assertThat(declared.body())
        .isEqualTo(
            "{\"error\":\"the request body is larger than the limit of 1000 bytes\",\"status\":413}");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(api.requests()).isZero();
  }

  @Test
  void aTargetThatIsDownIs502() {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));
    api.close();

    HttpResponse<String> response = Http.post(endpoint, "{}");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).startsWith("{\"error\":\"api a could not be reached: ");
    assertThat(cluster.deployer().get("ts").targets().get(0).metrics().responses5xx()).isEqualTo(1);
  }

  @Test
  void aTargetThatDoesNotAnswerInTimeIs504() {
    TestApi slow =
        TestApi.start(
            "slow",
            (exchange, name, body) -> {
              try {
                Thread.sleep(2_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              TestApi.respond(exchange, 200, "late");
            });
    URI endpoint =
        deployOneTargetSplitter(
            LocalCluster.builder().upstreamTimeout(Duration.ofMillis(300)), slow);

    HttpResponse<String> response = Http.post(endpoint, "{}");

    assertThat(response.statusCode()).isEqualTo(504);
    assertThat(response.body())
        .isEqualTo("{\"error\":\"api slow did not answer in time\",\"status\":504}");
  }

  @Test
  void targetErrorsPassThroughUnchangedAndCountAs5xx() {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.answering("a", 503));

    HttpResponse<String> response = Http.post(endpoint, "{}");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"api\": \"a\"}");
    assertThat(cluster.deployer().get("ts").targets().get(0).metrics().responses5xx()).isEqualTo(1);
  }

  @Test
  void aClientThatOffersHttp2UpgradeIsAnswered() {
    URI endpoint = deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));
    HttpClient defaultClient = HttpClient.newHttpClient(); // offers h2c upgrade on http://

    HttpResponse<String> response =
        Http.sendWith(
            defaultClient,
            HttpRequest.newBuilder(endpoint)
                .POST(HttpRequest.BodyPublishers.ofString("{}"))
                .build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("{\"api\": \"a\"}");
  }

  @Test
  void itListensOnLoopbackByDefault() {
    deployOneTargetSplitter(LocalCluster.builder(), TestApi.named("a"));

    assertThat(cluster.baseUrl().getHost()).isEqualTo("127.0.0.1");
    assertThat(cluster.baseUrl().getPort()).isPositive();
  }

  private static String sha256(byte[] bytes) throws Exception {
    return java.util.HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Sends {@code request} as written over a plain socket and reads the answer's status line. */
  private static String statusLine(URI endpoint, String request) throws java.io.IOException {
    try (java.net.Socket socket = new java.net.Socket(endpoint.getHost(), endpoint.getPort())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(
                  socket.getInputStream(), java.nio.charset.StandardCharsets.US_ASCII))
          .readLine();
    }
  }
}
