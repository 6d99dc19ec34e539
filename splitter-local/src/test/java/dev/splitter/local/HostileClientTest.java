package dev.splitter.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway against callers that misbehave on purpose, over real sockets on loopback. */
class HostileClientTest {
  private LocalCluster cluster;
  private TestApi api;
  private final List<RawClient> clients = new ArrayList<>();

  @AfterEach
  void stop() {
    clients.forEach(RawClient::close);
    if (cluster != null) {
      cluster.close();
    }
    if (api != null) {
      api.close();
    }
  }

  private URI start(LocalCluster.Builder builder, TestApi target) {
    cluster = builder.start();
    api = target;
    return target.servedAloneBy(cluster);
  }

  private RawClient connect(URI endpoint) {
    RawClient client = new RawClient(endpoint);
    clients.add(client);
    return client;
  }

  @Test
  void abortedUploadsFreeTheirUpstreamConnectionsAtOnce() throws Exception {
    URI endpoint = start(LocalCluster.builder().maxConnectionsPerApi(8), TestApi.echo("echo"));
    String partial =
        "POST /ts HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n" + "x".repeat(100);
    for (int i = 0; i < 300; i++) {
      try (RawClient client = new RawClient(endpoint)) {
        client.send(partial);
      }
    }

    // What is left open is at most the pools (8 per event loop), idle: 40 callers, 20 at a time,
    // more than one loop's pool holds, all get through.
    awaitUpstreamConnectionsAtMost(8 * Runtime.getRuntime().availableProcessors());
    assertThat(Http.postMany(endpoint, 40, 20))
        .allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
  }

  @Test
  void aClientThatSendsItsHeadersTooSlowlyGets408AndIsClosed() throws Exception {
    URI endpoint =
        start(LocalCluster.builder().headerTimeout(Duration.ofMillis(300)), TestApi.named("a"));
    RawClient slowloris = connect(endpoint);
    slowloris.send("POST /ts HTTP/1.1\r\nHost: x\r\n");
    long started = System.nanoTime();
    try {
      for (int i = 0; i < 30; i++) {
        slowloris.send("X-A" + i + ": b\r\n");
        Thread.sleep(100);
      }
    } catch (IOException closed) {
      // the gateway hung up mid-trickle: expected
    }
    String answer = slowloris.readUntilClosed(Duration.ofSeconds(5));
    assertThat(answer).startsWith("HTTP/1.1 408");
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
    assertThat(api.requests()).isZero();
  }

  @Test
  void idleConnectionsAreClosedAfterTheIdleTimeout() throws Exception {
    URI endpoint =
        start(LocalCluster.builder().idleTimeout(Duration.ofMillis(300)), TestApi.named("a"));
    RawClient silent = connect(endpoint);
    RawClient afterOneRequest = connect(endpoint);
    afterOneRequest.send("GET /ts HTTP/1.1\r\nHost: x\r\n\r\n");
    afterOneRequest.readUntil("{\"api\": \"a\"}", Duration.ofSeconds(5));

    assertThat(silent.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
    assertThat(afterOneRequest.readUntilClosed(Duration.ofSeconds(5))).isEmpty();
  }

  @Test
  void aFloodOfIdleConnectionsCannotLockOutARealCaller() throws Exception {
    URI endpoint = start(LocalCluster.builder().maxClientConnections(50), TestApi.named("a"));
    for (int i = 0; i < 300; i++) {
      connect(endpoint);
    }

    HttpResponse<String> response = Http.post(endpoint, "{}");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(cluster.clientConnections()).isLessThanOrEqualTo(50);
  }

  @Test
  void aBodyOverTheLimitGets413AndTheConnectionClosesWithoutReadingTheRest() throws Exception {
    URI endpoint = start(LocalCluster.builder().maxBodyBytes(1024), TestApi.named("a"));
    RawClient client = connect(endpoint);
    client.send("POST /ts HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000000\r\n\r\n");
    long sent = 0;
    byte[] chunk = new byte[64 * 1024];
    OutputStream out = client.socket().getOutputStream();
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    try {
      while (System.nanoTime() < deadline) {
        out.write(chunk);
        sent += chunk.length;
      }
    } catch (IOException closed) {
      // the gateway stopped listening: what this test waits for
    }

    assertThat(System.nanoTime()).isLessThan(deadline);
    assertThat(sent).isLessThan(64L * 1024 * 1024);
    assertThat(api.requests()).isZero();
  }

  @Test
  void expect100ContinueIsAnsweredAtOnceAndAnOversizedOneAt413() throws Exception {
    URI endpoint = start(LocalCluster.builder().maxBodyBytes(1024), TestApi.echo("echo"));
    RawClient client = connect(endpoint);
    client.send(
        "POST /ts HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n");
    client.readUntil("HTTP/1.1 100 Continue\r\n\r\n", Duration.ofSeconds(1));
    client.send("payload");
    assertThat(client.readUntil("payload", Duration.ofSeconds(5))).contains("HTTP/1.1 200");

    RawClient oversized = connect(endpoint);
    oversized.send(
        "POST /ts HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
    assertThat(oversized.readUntilClosed(Duration.ofSeconds(5))).startsWith("HTTP/1.1 413");
    assertThat(api.received().get(0).headers()).doesNotContainKey("expect");
  }

  @Test
  void forwardingHeadersComeFromTheRealPeerNotTheCaller() throws Exception {
    URI endpoint = start(LocalCluster.builder(), TestApi.named("a"));
    RawClient client = connect(endpoint);
    client.send(
        "GET /ts HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: 6.6.6.6\r\nForwarded: for=6.6.6.6\r\n"
            + "X-Real-IP: 6.6.6.6\r\nX-Forwarded-Proto: https\r\nx-splitter-api: b\r\n\r\n");
    client.readUntil("{\"api\": \"a\"}", Duration.ofSeconds(5));

    var headers = api.received().get(0).headers();
    assertThat(headers.get("x-forwarded-for")).containsExactly("127.0.0.1");
    assertThat(headers.get("x-real-ip")).containsExactly("127.0.0.1");
    assertThat(headers.get("forwarded")).containsExactly("for=127.0.0.1;proto=http");
    assertThat(headers.get("x-forwarded-proto")).containsExactly("http");
    assertThat(headers).doesNotContainKey("x-splitter-api");
  }

  @Test
  void anErrorNamesTheApiNeverItsAddress() {
    URI endpoint = start(LocalCluster.builder(), TestApi.named("a"));
    int port = api.uri().getPort();
    api.close();

    HttpResponse<String> response = Http.post(endpoint, "{}");

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(response.body()).contains("api a could not be reached");
    assertThat(response.body()).doesNotContain(String.valueOf(port));
    api = null;
  }

  @Test
  void connectAndTraceAreRefusedWith405() throws Exception {
    URI endpoint = start(LocalCluster.builder(), TestApi.named("a"));
    for (String method : List.of("TRACE", "CONNECT")) {
      RawClient client = connect(endpoint);
      client.send(method + " /ts HTTP/1.1\r\nHost: x\r\n\r\n");
      String answer = client.readUntilClosed(Duration.ofSeconds(5));
      assertThat(answer).startsWith("HTTP/1.1 405").containsIgnoringCase("allow: GET, HEAD");
    }
    assertThat(api.requests()).isZero();
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    URI endpoint = start(LocalCluster.builder(), TestApi.echo("echo"));
    RawClient client = connect(endpoint);
    StringBuilder three = new StringBuilder();
    for (String body : List.of("one", "two", "six")) {
      three.append("POST /ts HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\n").append(body);
    }
    client.send(three.toString());

    String answers = client.readUntil("six", Duration.ofSeconds(5));
    assertThat(answers.indexOf("one")).isLessThan(answers.indexOf("two"));
    assertThat(answers.indexOf("two")).isLessThan(answers.indexOf("six"));
  }

  @Test
  void aClientThatResetsMidRequestLeavesNoUpstreamConnection() throws Exception {
    URI endpoint = start(LocalCluster.builder().maxConnectionsPerApi(8), TestApi.echo("echo"));
    for (int i = 0; i < 50; i++) {
      RawClient client = new RawClient(endpoint);
      client.send("POST /ts HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc");
      client.socket().setSoLinger(true, 0); // RST rather than FIN
      client.close();
    }
    awaitUpstreamConnectionsAtMost(8 * Runtime.getRuntime().availableProcessors());
    assertThat(Http.postMany(endpoint, 40, 20))
        .allSatisfy(response -> assertThat(response.statusCode()).isEqualTo(200));
  }

  private void awaitUpstreamConnectionsAtMost(int most) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (cluster.upstreamConnections() > most && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(cluster.upstreamConnections()).isLessThanOrEqualTo(most);
  }
}
