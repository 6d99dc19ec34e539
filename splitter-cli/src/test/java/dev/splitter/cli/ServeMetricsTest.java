package dev.splitter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.splitter.k8s.PrometheusServer;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve}'s metrics, scraped by a real Prometheus from {@code --metrics-port} while real
 * predictions flow, and read with the token from the admin endpoint.
 */
class ServeMetricsTest {
  private static final HttpClient HTTP =
      HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path home;

  @Test
  void prometheusScrapesServeAndItsCountsAgreeExactlyWithGet() throws Exception {
    int port = PrometheusServer.freePort();
    try (InProcessServe serve =
            InProcessServe.example(home, "--metrics-port", Integer.toString(port));
        PrometheusServer prometheus = PrometheusServer.scraping("127.0.0.1:" + port)) {
      int sent = predictions(300);
      prometheus.awaitScrapes();
      JsonNode apis =
          JSON.readTree(CliRun.run(home, "get", "traffic-splitter", "-o", "json").out())
              .get("apis");
      long twoXx = 0;
      for (JsonNode api : apis) {
        twoXx += api.get("responses_2xx").asLong();
      }
      assertThat(twoXx).isEqualTo(sent);

      assertThat(
              awaitValue(
                  prometheus,
                  "sum(splitter_requests_total{splitter=\"traffic-splitter\",status_class=\"2xx\"})",
                  twoXx))
          .isEqualTo(twoXx);
      assertThat(
              awaitValue(
                  prometheus,
                  "sum(splitter_request_duration_seconds_count{splitter=\"traffic-splitter\"})",
                  twoXx))
          .isEqualTo(twoXx);
      assertThat(query(prometheus, "sum(splitter_gateway_errors_total)")).isZero();
      assertThat(query(prometheus, "count(splitter_api_ejected)")).isEqualTo(2);

      // The Grafana dashboard in the repository: every query is valid PromQL to this Prometheus,
      // and the gateway's traffic panels find these requests.
      JsonNode dashboard = JSON.readTree(Path.of("../docs/grafana/splitter.json").toFile());
      int queries = 0;
      for (JsonNode target : dashboard.findValues("targets")) {
        for (JsonNode query : target) {
          String promql =
              query
                  .get("expr")
                  .asText()
                  .replace("$__rate_interval", "1m")
                  .replace("$splitter", ".*")
                  .replace("$namespace", ".*");
          JsonNode answer = ask(prometheus, promql);
          assertThat(answer.path("status").asText())
              .as(promql + ": " + answer)
              .isEqualTo("success");
          queries++;
        }
      }
      assertThat(queries).isGreaterThan(15);
      assertThat(
              ask(prometheus, "sum by (splitter, api) (rate(splitter_requests_total[1m]))")
                  .path("data")
                  .path("result"))
          .hasSize(2);
    }
  }

  @Test
  void theAdminEndpointServesTheSameMetricsOnlyWithTheToken() throws Exception {
    try (InProcessServe serve = InProcessServe.example(home)) {
      predictions(5);
      JsonNode info = JSON.readTree(home.resolve("serve.json").toFile());
      URI metrics = URI.create(info.get("admin").asText()).resolve("/metrics");

      HttpResponse<String> withToken =
          HTTP.send(
              HttpRequest.newBuilder(metrics)
                  .header("Authorization", "Bearer " + info.get("token").asText())
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      HttpResponse<String> without =
          HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());

      assertThat(withToken.statusCode()).isEqualTo(200);
      assertThat(withToken.headers().firstValue("Content-Type"))
          .hasValue("text/plain; version=0.0.4; charset=utf-8");
      assertThat(withToken.body())
          .contains("# TYPE splitter_requests_total counter")
          .contains("splitter_request_duration_seconds_bucket{");
      assertThat(without.statusCode()).isEqualTo(401);
    }
  }

  /** Predictions through the splitter's endpoint, one at a time; how many were answered 200. */
  private int predictions(int count) throws Exception {
    JsonNode status =
        JSON.readTree(CliRun.run(home, "get", "traffic-splitter", "-o", "json").out());
    URI endpoint = URI.create(status.get("endpoint").asText());
    int ok = 0;
    for (int i = 0; i < count; i++) {
      HttpResponse<String> answer =
          HTTP.send(
              HttpRequest.newBuilder(endpoint)
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      ok += answer.statusCode() == 200 ? 1 : 0;
    }
    return ok;
  }

  /** Asks until the query answers {@code expected} (a scrape after the traffic), for 30 s. */
  private static double awaitValue(PrometheusServer prometheus, String promql, double expected)
      throws Exception {
    Instant deadline = Instant.now().plusSeconds(30);
    double value = query(prometheus, promql);
    while (value != expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      value = query(prometheus, promql);
    }
    return value;
  }

  private static double query(PrometheusServer prometheus, String promql) throws Exception {
    JsonNode result = ask(prometheus, promql).path("data").path("result");
    return result.isEmpty() ? Double.NaN : result.get(0).get("value").get(1).asDouble();
  }

  /** Prometheus's whole answer to an instant query, errors included. */
  private static JsonNode ask(PrometheusServer prometheus, String promql) throws Exception {
    HttpResponse<String> answer =
        HTTP.send(
            HttpRequest.newBuilder(
                    prometheus.url.resolve(
                        "api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(answer.body());
  }
}
