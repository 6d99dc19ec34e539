package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code get}'s shadow lines and {@code diff}, against a running serve whose splitter mirrors every
 * request to a shadow, after real predictions through its endpoint.
 */
class ShadowCommandsTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FILE =
      """
      - {name: my-api, kind: RealtimeAPI}
      - {name: my-api-v2, kind: RealtimeAPI}
      - name: ts
        kind: TrafficSplitter
        networking: {api_gateway: none}
        apis:
          - {name: my-api, weight: 100}
          - {name: my-api-v2, weight: 100, shadow: true}
      """;

  @TempDir Path home;

  @Test
  void getShowsTheShadowsAgreementAndDiffShowsWhereItDisagreed() throws Exception {
    // The sample APIs answer with their own names: every pair differs at /api.
    try (InProcessServe serve = serve()) {
      predictions(30);

      CliRun table = run("get", "ts");
      JsonNode shadow = JSON.readTree(run("get", "ts", "-o", "json").out()).get("shadow");
      CliRun diff = run("diff", "ts", "--limit", "2");
      JsonNode pairs = JSON.readTree(run("diff", "ts", "-o", "json").out()).get("differences");

      assertThat(table.out())
          .contains("shadow my-api-v2, compared with the live answers for the last")
          .contains("agreement   0.0% of 30 compared (30 mirrored, 0 not compared)")
          .contains("differing   /api 30");
      assertThat(shadow.get("api").asText()).isEqualTo("my-api-v2");
      assertThat(shadow.get("compared").asLong()).isEqualTo(30);
      assertThat(shadow.get("agreement").asDouble()).isZero();
      assertThat(shadow.get("fields").get(0).get("path").asText()).isEqualTo("/api");
      assertThat(shadow.get("shadow_latency_ms").get("count").asLong()).isEqualTo(30);
      assertThat(diff.code()).isZero();
      assertThat(diff.out().lines().filter(line -> line.contains("differ at: /api"))).hasSize(2);
      assertThat(diff.out())
          .contains("  request   {\"n\": ")
          .contains("  live      my-api 200 in ")
          .contains("  shadow    my-api-v2 200 in ");
      assertThat(pairs).hasSize(20); // the default --limit
      assertThat(pairs.get(0).get("shadow_answer").asText()).contains("\"api\": \"my-api-v2\"");
    }
  }

  @Test
  void anIgnoredPathMakesTheShadowAgree() throws Exception {
    try (InProcessServe serve = serve("--shadow-ignore", "/api")) {
      predictions(20);

      JsonNode shadow = JSON.readTree(run("get", "ts", "-o", "json").out()).get("shadow");

      assertThat(shadow.get("agreement").asDouble()).isEqualTo(1.0);
      assertThat(run("diff", "ts").out())
          .isEqualTo(
              "no disagreement between ts's shadow and its live targets kept (the gateway keeps"
                  + " the last 100)\n");
    }
  }

  @Test
  void aLimitOutOfRangeAndABadPointerAreUsageErrors() throws Exception {
    CliRun badPointer = run("serve", "nowhere.yaml", "--shadow-ignore", "api");
    CliRun badLimit = run("diff", "ts", "--limit", "0");

    assertThat(badPointer.code()).isEqualTo(1);
    assertThat(badPointer.err())
        .contains(
            "--shadow-*: not a JSON Pointer: \"api\" (one starts with /, such as"
                + " /meta/timestamp)");
    assertThat(badLimit.code()).isEqualTo(2);
    assertThat(badLimit.err()).contains("--limit must be 1 to 100 (the gateway keeps 100), got 0");
  }

  private InProcessServe serve(String... options) throws Exception {
    Path file = home.resolve("shadow.yaml");
    Files.writeString(file, FILE);
    List<String> args =
        new ArrayList<>(List.of("serve", file.toString(), "--sample-apis", "--port", "0"));
    args.addAll(List.of(options));
    InProcessServe serve = InProcessServe.start(home, args.toArray(String[]::new));
    Instant deadline = Instant.now().plusSeconds(30);
    while (run("get", "ts").code() != 0 && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    return serve;
  }

  /** Predictions one at a time, then a wait until every shadow copy is compared. */
  private void predictions(int count) throws Exception {
    JsonNode status = JSON.readTree(run("get", "ts", "-o", "json").out());
    URI endpoint = URI.create(status.get("endpoint").asText());
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(endpoint)
                  .POST(HttpRequest.BodyPublishers.ofString("{\"n\": " + i + "}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }
    Instant deadline = Instant.now().plusSeconds(30);
    while (Instant.now().isBefore(deadline)) {
      JsonNode shadow = JSON.readTree(run("get", "ts", "-o", "json").out()).get("shadow");
      if (shadow.get("compared").asLong() + shadow.get("not_compared").asLong() >= count) {
        return;
      }
      Thread.sleep(20);
    }
  }

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }
}
