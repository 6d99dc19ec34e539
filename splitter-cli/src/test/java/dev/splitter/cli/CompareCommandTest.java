package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code splitter compare} and {@code get}'s percentiles against a running serve with the reference
 * page's example, after real predictions through its endpoint.
 */
class CompareCommandTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;
  private InProcessServe serve;

  @BeforeEach
  void startServe() throws Exception {
    serve = InProcessServe.example(home);
  }

  @AfterEach
  void stopServe() throws Exception {
    serve.stop();
  }

  private CliRun run(String... args) {
    return CliRun.run(home, args);
  }

  @Test
  void compareShowsEachTargetAgainstTheHeaviestWithIntervalsAndAVerdict() throws Exception {
    predictions(400);

    CliRun table = run("compare", "traffic-splitter");
    JsonNode json = JSON.readTree(run("compare", "traffic-splitter", "-o", "json").out());

    assertThat(table.code()).isZero();
    assertThat(table.out())
        .contains("apis", "5XX rate", "5XX vs baseline", "p50 ratio", "p95 ratio", "verdict")
        .contains("another-my-api", "baseline")
        .contains("baseline: another-my-api; traffic since the weights were last written (");
    assertThat(run("compare", "traffic-splitter", "--since", "30m").out())
        .contains("baseline: another-my-api; traffic of the last 30m; intervals always valid");
    assertThat(json.get("baseline").asText()).isEqualTo("another-my-api");
    assertThat(json.get("confidence").asDouble()).isEqualTo(0.95);
    assertThat(json.get("since_written").asBoolean()).isTrue();
    JsonNode other = json.get("apis").get(1);
    assertThat(other.get("name").asText()).isEqualTo("my-api");
    assertThat(other.get("requests").asLong()).isPositive();
    assertThat(other.get("verdict").asText())
        .isIn("better", "worse", "no_difference", "not_enough_data");
    assertThat(other.get("error_rate_difference").get("lower").asDouble())
        .isLessThanOrEqualTo(other.get("error_rate_difference").get("value").asDouble());
    assertThat(other.get("p50_ratio").get("value").asDouble()).isPositive();
  }

  @Test
  void getShowsPercentilesOnceTheGatewayHasTimedAnswers() throws Exception {
    predictions(50);

    CliRun table = run("get", "traffic-splitter");
    JsonNode json = JSON.readTree(run("get", "traffic-splitter", "-o", "json").out());

    // After Cortex's columns, which scripts may read by position.
    assertThat(table.out().lines().findFirst().orElseThrow())
        .containsPattern("5XX +p50 +p95 +p99$");
    JsonNode latency = json.get("apis").get(0).get("latency_ms");
    assertThat(latency.get("count").asLong()).isPositive();
    assertThat(latency.get("p50").asDouble()).isPositive();
    assertThat(latency.get("p99").asDouble()).isGreaterThanOrEqualTo(latency.get("p50").asDouble());
  }

  @Test
  void aBaselineThatIsNoTargetAndABadConfidenceAreClearErrors() {
    CliRun noSuch = run("compare", "traffic-splitter", "--baseline", "nope");
    CliRun badConfidence = run("compare", "traffic-splitter", "--confidence", "100%");

    assertThat(noSuch.code()).isEqualTo(1);
    assertThat(noSuch.err())
        .contains("nope is not a live target of traffic-splitter")
        .contains("my-api, another-my-api");
    assertThat(badConfidence.code()).isEqualTo(2);
    assertThat(badConfidence.err()).contains("confidence must be strictly between 0 and 1");
  }

  private void predictions(int count) throws Exception {
    JsonNode status = JSON.readTree(run("get", "traffic-splitter", "-o", "json").out());
    URI endpoint = URI.create(status.get("endpoint").asText());
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(endpoint)
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(answer.statusCode()).isEqualTo(200);
    }
  }
}
